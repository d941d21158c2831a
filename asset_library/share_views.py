"""The public side of share links: `/s/{token}/` and the files behind it. No login.

Every view starts from the token (collections_app.selectors.share_link_get_public), so
an unknown, revoked or expired link is a 404 on the page and on every file URL alike.
A link with a password opens nothing (page, viewer, file, thumbnail or download) until
the visitor has given it in this browser session. The page shows exactly the link's
assets outside the trash and nothing of the owner: no name, no e-mail, no other asset.

The pages are server-rendered and complete without script: the grid links every asset to
its full-screen viewer page (previous and next are links), and "Download all" is a form
whose answer is a progress page that refreshes itself. `share.js` (the only script, from
our own origin) adds arrow keys, the zip's progress in place and the live refresh of a
collection link.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from asset_library import display
from assets import jobs
from assets.api.files import asset_file_response, stored_file_response
from assets.models import AssetType, JobStatus
from collections_app import selectors, services, share_passwords
from collections_app.models import ShareKind, ShareLink
from config.api_errors import DomainError
from config.client_address import client_address

PAGE_SIZE = 48
ROBOTS = "noindex, nofollow, noarchive"


# Only our own stylesheet and script, no inline code of any kind (no style attributes
# either); the script talks to this site only; forms post back here only.
PAGE_CSP = (
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The viewer shows a text asset in full up to this many characters (the rest: its file).
VIEWER_TEXT_LIMIT = 200_000


def _share_link_or_404(token: str) -> ShareLink:
    share_link = selectors.share_link_get_public(token=token)
    if share_link is None:
        raise Http404("No such share link.")
    return share_link


def _page(request, template: str, context: dict, *, status: int = 200):
    # `same-origin`, not `no-referrer`: under no-referrer browsers post a form (the
    # password, "Download all") with `Origin: null`, which Django's CSRF check rightly
    # refuses. The pages load nothing from elsewhere and link nowhere else, so the token
    # still never leaves the site in a Referer.
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = PAGE_CSP
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = ROBOTS
    response["Cache-Control"] = "no-store"
    return response


def _file_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = ROBOTS
    return response


@dataclass(frozen=True)
class Card:
    """What the page (and the viewer) shows of one shared asset."""

    id: str
    title: str
    type: str
    type_label: str
    kind: str  # what the card's picture area shows: picture, video, waveform, text or none
    details: str
    duration: str
    view_url: str
    file_url: str
    thumbnail_url: str
    download_url: str
    snippet: str
    bars: list = field(default_factory=list)


def _bars(asset) -> list[tuple[int, float, int]]:
    """The decorative waveform as SVG bars (x, y, height) in a 10-per-bar, 100-high box:
    attributes, not style, which the page's CSP does not allow."""
    return [(10 * n + 2, (100 - height) / 2, height) for n, height in enumerate(display.waveform_bars(str(asset.pk)))]


def _card(share_link: ShareLink, asset) -> Card:
    def url(name):
        return reverse(f"library:share-asset-{name}", kwargs={"token": share_link.token, "asset_id": asset.pk})

    # A text asset's content is its text (or, failing that, its file).
    # The page's rows carry the first lines only (`text_snippet`); the viewer's, all of it.
    text = asset.text_snippet if hasattr(asset, "text_snippet") else asset.text_content
    has_file = bool(asset.file) or (asset.type == AssetType.TEXT and text is not None)
    if asset.thumbnail or (asset.type == AssetType.IMAGE and has_file):
        kind = "picture"
    elif asset.type == AssetType.TEXT and text:
        kind = "text"
    elif asset.type in (AssetType.VIDEO, AssetType.AUDIO) and has_file:
        kind = "waveform" if asset.type == AssetType.AUDIO else "video"
    else:
        kind = "none"
    details = [part for part in (display.dimensions(asset), display.duration(asset.duration_seconds)) if part]
    snippet = text or ""
    if len(snippet) >= selectors.TEXT_SNIPPET_LENGTH:
        snippet = snippet[:selectors.TEXT_SNIPPET_LENGTH].rstrip() + "…"
    return Card(
        id=str(asset.pk),
        title=display.display_title(asset),
        type=asset.type,
        type_label=display.type_label(asset.type),
        kind=kind,
        details=" · ".join(details),
        duration=display.duration(asset.duration_seconds) if asset.type in (AssetType.VIDEO, AssetType.AUDIO) else "",
        view_url=url("view"),
        file_url=url("file") if has_file else "",
        thumbnail_url=url("thumbnail") if asset.thumbnail else "",
        download_url=url("download") if has_file and share_link.allow_download else "",
        snippet=snippet,
        bars=_bars(asset) if kind == "waveform" else [],
    )


def _password_form(request, share_link: ShareLink, *, error: str = "", status: int = 200):
    return _page(request, "share/password.html", {"share_link": share_link, "error": error}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def share_page(request, token):
    """The landing page: the shared assets in a grid, or the password form first.

    With `X-Share-Live: 1` (the script's refresh of a live collection link) it answers
    the grid alone, and counts no view.
    """
    share_link = _share_link_or_404(token)
    if request.method == "POST":
        return _password_submitted(request, share_link)
    if not share_passwords.session_is_unlocked(request.session, share_link):
        return _password_form(request, share_link)

    paginator = Paginator(selectors.share_link_page_assets(share_link=share_link), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    cards = [_card(share_link, asset) for asset in page.object_list]
    context = {"share_link": share_link, "page": page, "cards": cards, "count": paginator.count,
               "live": share_link.kind == ShareKind.COLLECTION,
               "live_every_ms": int(settings.SHARE_LIVE_REFRESH_SECONDS * 1000)}
    if request.headers.get("X-Share-Live") == "1":
        return _page(request, "share/_grid.html", context)
    if request.method == "GET":
        services.share_link_record_view(share_link=share_link)
    return _page(request, "share/page.html", context)


@require_safe
def share_asset_page(request, token, asset_id):
    """One shared asset full-screen: the picture, the player or the whole text, with the
    previous and next assets of the page's order as links (arrow keys with the script)."""
    share_link = _share_link_or_404(token)
    if not share_passwords.session_is_unlocked(request.session, share_link):
        return HttpResponseRedirect(reverse("library:share-page", kwargs={"token": token}), status=303)
    asset = selectors.share_link_asset(share_link=share_link, asset_id=asset_id)
    if asset is None:
        raise Http404("No such asset in this share link.")
    around = selectors.share_link_neighbours(share_link=share_link, asset=asset)

    def view_url(pk):
        return reverse("library:share-asset-view", kwargs={"token": token, "asset_id": pk}) if pk else ""

    text = asset.text_content if asset.type == AssetType.TEXT else None
    page_number = (around.position - 1) // PAGE_SIZE + 1
    grid_url = reverse("library:share-page", kwargs={"token": token})
    return _page(request, "share/asset.html", {
        "share_link": share_link,
        "card": _card(share_link, asset),
        "text": text[:VIEWER_TEXT_LIMIT] if text else "",
        "text_cut": bool(text) and len(text) > VIEWER_TEXT_LIMIT,
        "around": around,
        "newer_url": view_url(around.newer),
        "older_url": view_url(around.older),
        "back_url": f"{grid_url}{f'?page={page_number}' if page_number > 1 else ''}#asset-{asset.pk}",
    })


def _password_submitted(request, share_link: ShareLink):
    if not share_link.has_password:
        return HttpResponseRedirect(request.path, status=303)
    try:
        correct = share_passwords.password_check(
            share_link=share_link, password=request.POST.get("password", ""), client=client_address(request)
        )
    except share_passwords.TooManyAttempts as exc:
        response = _password_form(request, share_link, error=str(exc), status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if not correct:
        return _password_form(request, share_link, error="That password is not right.", status=403)
    request.session.cycle_key()  # a new session id once it grants something
    share_passwords.session_unlock(request.session, share_link)
    # 303: back to GET, so that a reload does not post the password again.
    return HttpResponseRedirect(request.path, status=303)


def _shared_asset(request, share_link: ShareLink, asset_id):
    """One asset the link shows, for the file URLs: 403 before the password, else 404."""
    if not share_passwords.session_is_unlocked(request.session, share_link):
        raise PermissionDenied("Open the share link and give its password first.")
    asset = selectors.share_link_asset(share_link=share_link, asset_id=asset_id)
    if asset is None:
        raise Http404("No such asset in this share link.")
    return asset


@require_safe
def share_asset_file(request, token, asset_id):
    """The asset's file (or text) inline, for the page's previews."""
    asset = _shared_asset(request, _share_link_or_404(token), asset_id)
    return _file_headers(asset_file_response(asset, attachment=False, range_header=request.META.get("HTTP_RANGE", "")))


@require_safe
def share_asset_thumbnail(request, token, asset_id):
    asset = _shared_asset(request, _share_link_or_404(token), asset_id)
    return _file_headers(asset_file_response(asset, attachment=False, thumbnail=True))


@require_safe
def share_asset_download(request, token, asset_id):
    """The asset as an attachment, when the link allows downloads; counts one download."""
    share_link = _share_link_or_404(token)
    if not share_link.allow_download:
        raise Http404("This share link does not offer downloads.")
    asset = _shared_asset(request, share_link, asset_id)
    response = _file_headers(asset_file_response(asset, attachment=True))
    if request.method == "GET":
        services.share_link_record_download(share_link=share_link, asset=asset)
    return response


# --- "Download all": one zip of every shared asset, through the core's job machinery ------


def _wants_html(request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


def _refuse(request, status: int, message: str):
    """An error in the asker's language: JSON for scripts and clients, a page for browsers."""
    if _wants_html(request):
        if status == 404:
            raise Http404(message)
        if status == 403:
            raise PermissionDenied(message)
    return JsonResponse({"detail": message}, status=status)


def _downloadable_link(request, token):
    """The link, if it offers downloads and this visitor has opened it; else an error answer."""
    share_link = selectors.share_link_get_public(token=token)
    if share_link is None:
        return None, _refuse(request, 404, "No such share link.")
    if not share_link.allow_download:
        return None, _refuse(request, 404, "This share link does not offer downloads.")
    if not share_passwords.session_is_unlocked(request.session, share_link):
        return None, _refuse(request, 403, "Open the share link and give its password first.")
    return share_link, None


def _status_url(share_link, job, name="share-download-status"):
    return reverse(f"library:{name}", kwargs={"token": share_link.token, "job_id": job.pk})


def _download_body(request, share_link, job, *, current: bool) -> dict:
    ready = current and jobs.job_download_ready(job)
    return {
        "id": str(job.pk),
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "download_url": request.build_absolute_uri(_status_url(share_link, job, "share-download-file"))
        if ready else None,
    }


@csrf_exempt
@require_http_methods(["POST"])
def share_download_start(request, token):
    """`POST /s/{token}/download/`: start (or join) the zip of every shared asset.

    202 with the job for scripts and clients; a browser's form goes on (303) to the
    progress page. A link without a password carries no session rights, so any client
    may post here; one with a password is unlocked by the session, and then the usual
    CSRF check applies.
    """
    share_link, refused = _downloadable_link(request, token)
    if refused:
        return refused
    if share_link.has_password:
        rejected = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
        if rejected is not None:
            return rejected
    try:
        job = services.share_link_download_start(share_link=share_link)
    except DomainError as exc:
        if _wants_html(request):
            return HttpResponseRedirect(reverse("library:share-page", kwargs={"token": token}), status=303)
        return JsonResponse({"detail": exc.message}, status=400)
    if _wants_html(request):
        return HttpResponseRedirect(_status_url(share_link, job), status=303)
    response = JsonResponse(_download_body(request, share_link, job, current=True), status=202)
    response["Location"] = _status_url(share_link, job)
    return response


@require_safe
def share_download_status(request, token, job_id):
    """`GET /s/{token}/download/{id}/`: the zip's progress. JSON, or for a browser a page
    that refreshes itself until the zip is ready (so it works without script)."""
    share_link, refused = _downloadable_link(request, token)
    if refused:
        return refused
    job = selectors.share_link_download_get(share_link=share_link, job_id=job_id)
    if job is None:
        return _refuse(request, 404, "No such download.")
    finished = job.status == JobStatus.SUCCEEDED
    current = not finished or selectors.share_link_download_current(share_link=share_link, job=job)
    body = _download_body(request, share_link, job, current=current)
    if not _wants_html(request):
        response = JsonResponse(body)
        response["Cache-Control"] = "no-store"
        return response
    if not finished or job.status == JobStatus.FAILED:
        state = "failed" if job.status == JobStatus.FAILED else "working"
    else:
        state = "ready" if body["download_url"] else "gone"
    return _page(request, "share/download.html", {
        "share_link": share_link,
        "job": job,
        "state": state,
        "percent": round(100 * job.done / job.total) if job.total else 0,
        "download_url": body["download_url"],
        "start_url": reverse("library:share-download", kwargs={"token": token}),
        "grid_url": reverse("library:share-page", kwargs={"token": token}),
    })


@require_safe
def share_download_file(request, token, job_id):
    """The finished zip. 404 if the link no longer shows every asset in it; 409 while it
    is being made; 410 once it has expired (start a new one)."""
    share_link, refused = _downloadable_link(request, token)
    if refused:
        return refused
    job = selectors.share_link_download_get(share_link=share_link, job_id=job_id)
    if job is None or not selectors.share_link_download_current(share_link=share_link, job=job):
        return _refuse(request, 404, "No such download.")
    if job.status != JobStatus.SUCCEEDED or not job.result_file:
        return JsonResponse({"detail": "The zip is not ready yet."}, status=409)
    stem = slugify(share_link.title)[:80] or "shared-assets"
    name = f"{stem}-{timezone.localtime(job.created_at):%Y-%m-%d}.zip"
    try:
        if not jobs.job_download_ready(job):
            raise OSError
        return _file_headers(stored_file_response(job.result_file.name, filename=name, content_type="application/zip"))
    except OSError:
        return JsonResponse({"detail": "This zip has expired. Start the download again."}, status=410)
