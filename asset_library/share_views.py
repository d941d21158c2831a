"""The public side of share links: `/s/{token}/` and the files behind it. No login.

Every view starts from the token (collections_app.selectors.share_link_get_public), so
an unknown, revoked or expired link is a 404 on the page and on every file URL alike.
A link with a password opens nothing (page, file, thumbnail or download) until the
visitor has given it in this browser session. The page shows exactly the link's assets
outside the trash and nothing of the owner: no name, no e-mail, no other asset.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from asset_library import display
from assets.api.files import asset_file_response
from assets.models import AssetType
from collections_app import selectors, services, share_passwords
from collections_app.models import ShareLink
from config.client_address import client_address

PAGE_SIZE = 48
ROBOTS = "noindex, nofollow, noarchive"


def _page_csp(nonce: str) -> str:
    # No script at all; the one <style> block carries the nonce; forms post back here only.
    return (
        "default-src 'none'; img-src 'self'; media-src 'self'; "
        f"style-src 'nonce-{nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def _share_link_or_404(token: str) -> ShareLink:
    share_link = selectors.share_link_get_public(token=token)
    if share_link is None:
        raise Http404("No such share link.")
    return share_link


def _page(request, template: str, context: dict, *, status: int = 200, referrer_policy: str = "no-referrer"):
    nonce = secrets.token_urlsafe(16)
    response = render(request, template, {**context, "csp_nonce": nonce}, status=status)
    response["Content-Security-Policy"] = _page_csp(nonce)
    response["Referrer-Policy"] = referrer_policy
    response["X-Robots-Tag"] = ROBOTS
    response["Cache-Control"] = "no-store"
    return response


def _file_headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = ROBOTS
    return response


@dataclass(frozen=True)
class Card:
    """What the page shows of one shared asset."""

    id: str
    title: str
    type: str
    type_label: str
    preview: str  # image, video, audio, text or none
    details: str
    file_url: str
    thumbnail_url: str
    download_url: str
    snippet: str


def _card(share_link: ShareLink, asset) -> Card:
    def url(name):
        return reverse(f"library:share-asset-{name}", kwargs={"token": share_link.token, "asset_id": asset.pk})

    # A text asset's content is its text (or, failing that, its file).
    has_file = bool(asset.file) or (asset.type == AssetType.TEXT and asset.text_snippet is not None)
    preview = asset.type if has_file else "none"
    details = [part for part in (display.dimensions(asset), display.duration(asset.duration_seconds)) if part]
    snippet = asset.text_snippet or ""
    if len(snippet) >= selectors.TEXT_SNIPPET_LENGTH:
        snippet = snippet.rstrip() + "…"
    return Card(
        id=str(asset.pk),
        title=display.display_title(asset),
        type=asset.type,
        type_label=display.type_label(asset.type),
        preview=preview,
        details=" · ".join(details),
        file_url=url("file") if has_file else "",
        thumbnail_url=url("thumbnail") if asset.thumbnail else "",
        download_url=url("download") if has_file and share_link.allow_download else "",
        snippet=snippet,
    )


def _password_form(request, share_link: ShareLink, *, error: str = "", status: int = 200):
    # `same-origin`, not `no-referrer`: under no-referrer browsers post the form with
    # `Origin: null`, which Django's CSRF check rightly refuses. The form page shows
    # nothing of the link and loads nothing from elsewhere, so the token still never
    # leaves the site in a Referer.
    return _page(
        request,
        "share/password.html",
        {"share_link": share_link, "error": error},
        status=status,
        referrer_policy="same-origin",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def share_page(request, token):
    """The landing page: the shared assets in a grid, or the password form first."""
    share_link = _share_link_or_404(token)
    if request.method == "POST":
        return _password_submitted(request, share_link)
    if not share_passwords.session_is_unlocked(request.session, share_link):
        return _password_form(request, share_link)

    paginator = Paginator(selectors.share_link_page_assets(share_link=share_link), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    cards = [_card(share_link, asset) for asset in page.object_list]
    if request.method == "GET":
        services.share_link_record_view(share_link=share_link)
    return _page(
        request,
        "share/page.html",
        {"share_link": share_link, "page": page, "cards": cards, "count": paginator.count},
    )


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
