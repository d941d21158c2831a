// The one way page scripts talk to /api/v1/: same-origin session cookies, the CSRF
// token from the csrftoken cookie, JSON in and out, and errors as readable messages.

export class ApiError extends Error {
  constructor(message, { status = 0, data = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.data = data;
  }
}

export function cookie(name) {
  const match = document.cookie.split("; ").find((row) => row.startsWith(`${name}=`));
  return match ? decodeURIComponent(match.slice(name.length + 1)) : "";
}

const FIELD_LABELS = {
  ids: "Selection",
  filter: "Filter",
  q: "Search",
  id: "ID search",
  source_module: "Module",
  created_after: "From date",
  created_before: "To date",
  page_size: "Page size",
  expires_in_days: "Expiry",
  expires_at: "Expiry",
  allow_download: "Allow download",
  add_tags: "Tags to add",
  remove_tags: "Tags to remove",
  is_favorite: "Favourite",
};

/** "filter.status" → "Status filter", "page_size" → "Page size". */
export function fieldLabel(field) {
  if (field.startsWith("filter.")) return `${fieldLabel(field.slice(7))} filter`;
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  const words = field.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An error field's messages, whatever their nesting, as one sentence. */
export function messagesText(messages) {
  if (Array.isArray(messages)) return messages.map(messagesText).join(" ");
  if (messages && typeof messages === "object") return Object.values(messages).map(messagesText).join(" ");
  return String(messages ?? "");
}

const STATUS_MESSAGES = {
  401: "Your session has ended. Sign in again to continue.",
  403: "You don't have permission to do that.",
  404: "Not found: it may have been deleted.",
  409: "That isn't ready yet.",
  410: "That has expired.",
  413: "That file is larger than the upload limit.",
  429: "Too many requests. Wait a moment and try again.",
};

/** A sentence for an error body: DRF's {"detail"} or {"field": ["message"]}, naming each field. */
export function errorMessage(status, data) {
  if (data && typeof data === "object" && !Array.isArray(data)) {
    if (typeof data.detail === "string") return data.detail;
    const parts = Object.entries(data).map(([field, messages]) => {
      const text = messagesText(messages).trim();
      return ["non_field_errors", "__all__", "detail"].includes(field) ? text : `${fieldLabel(field)}: ${text}`;
    }).filter(Boolean);
    if (parts.length) return parts.join(" ");
  }
  if (Array.isArray(data) && data.length) return messagesText(data);
  if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status];
  if (status >= 500) return `The server had a problem (${status}). Try again in a moment.`;
  return `The request failed (${status}).`;
}

function withParams(path, params) {
  if (!params) return path;
  const search = params instanceof URLSearchParams ? params : new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  );
  const text = search.toString();
  if (!text) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${text}`;
}

/**
 * fetch() for the API. Resolves with the parsed JSON (null for 204); rejects with an
 * ApiError whose message can be shown as is. An AbortError passes through untouched.
 */
export async function api(path, { method = "GET", body, params, signal, headers = {} } = {}) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", ...headers },
    signal,
  };
  if (body !== undefined) {
    if (body instanceof FormData) {
      options.body = body;
    } else {
      options.body = JSON.stringify(body);
      options.headers["Content-Type"] = "application/json";
    }
  }
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) {
    options.headers["X-CSRFToken"] = cookie("csrftoken");
  }
  let response;
  try {
    response = await fetch(withParams(path, params), options);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("Can't reach the server. Check your connection and try again.", { status: 0 });
  }
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(errorMessage(response.status, data), { status: response.status, data });
  return data;
}

export const get = (path, options = {}) => api(path, { ...options, method: "GET" });
export const post = (path, body, options = {}) => api(path, { ...options, method: "POST", body });
export const patch = (path, body, options = {}) => api(path, { ...options, method: "PATCH", body });
export const del = (path, options = {}) => api(path, { ...options, method: "DELETE" });
