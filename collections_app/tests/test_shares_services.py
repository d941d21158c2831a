import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from analytics.models import UsageEvent, UsageEventKind
from assets.models import Asset
from assets.tests.factories import AssetFactory
from collections_app import selectors, services, share_passwords
from collections_app.models import ShareKind, ShareLink, ShareLinkItem, new_share_token
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory, ShareLinkFactory
from config.api_errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


# --- tokens ----------------------------------------------------------------------------


def test_tokens_carry_at_least_128_random_bits_and_are_url_safe():
    tokens = {new_share_token() for _ in range(1000)}

    assert len(tokens) == 1000
    for token in tokens:
        # 43 characters of a 64-letter alphabet: 258 bits of text for 256 random bits.
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


def test_each_link_gets_its_own_token(user):
    asset = AssetFactory(owner=user)
    links = [services.share_link_create_for_asset(owner=user, asset=asset) for _ in range(20)]

    assert len({link.token for link in links}) == 20
    assert all(len(link.token) >= 43 for link in links)
    assert ShareLink._meta.get_field("token").unique


# --- creating ----------------------------------------------------------------------------


def test_create_for_selection_freezes_the_owners_live_assets_only(user, other_user):
    mine = AssetFactory.create_batch(2, owner=user)
    trashed = AssetFactory(owner=user, trashed=True)
    theirs = AssetFactory(owner=other_user)

    link = services.share_link_create_for_selection(
        owner=user, assets=Asset.objects.filter(pk__in=[a.pk for a in (*mine, trashed, theirs)])
    )

    assert link.kind == ShareKind.SELECTION and link.title == ""
    assert set(ShareLinkItem.objects.filter(share_link=link).values_list("asset_id", flat=True)) == {
        a.pk for a in mine
    }
    assert [Asset.objects.get(pk=a.pk).share_count for a in (*mine, trashed, theirs)] == [1, 1, 0, 0]


def test_create_for_selection_with_nothing_to_share_raises(user, other_user):
    theirs = AssetFactory(owner=other_user)
    with pytest.raises(services.NothingToShare):
        services.share_link_create_for_selection(owner=user, assets=Asset.objects.filter(pk=theirs.pk))
    assert not ShareLink.objects.exists()


def test_create_for_another_owners_asset_or_collection_is_not_found(user, other_user):
    with pytest.raises(NotFound):
        services.share_link_create_for_asset(owner=user, asset=AssetFactory(owner=other_user))
    with pytest.raises(NotFound):
        services.share_link_create_for_collection(owner=user, collection=CollectionFactory(owner=other_user))


def test_options_are_checked_by_the_service_too(user):
    asset = AssetFactory(owner=user)
    past = timezone.now() - dt.timedelta(seconds=1)
    naive = dt.datetime(2999, 1, 1)  # noqa: DTZ001 - the point of the test
    cases = [
        ({"expires_at": past}, "expires_at"),
        ({"expires_at": naive}, "expires_at"),
        ({"expires_in_days": 400}, "expires_in_days"),
        ({"expires_in_days": True}, "expires_in_days"),
        ({"expires_at": timezone.now() + dt.timedelta(days=1), "expires_in_days": 1}, "__all__"),
        ({"password": "abc"}, "password"),
        ({"password": "ab\x00cd"}, "password"),
        ({"allow_download": "yes"}, "allow_download"),
        ({"title": "a\x00b"}, "title"),
    ]
    for options, field in cases:
        with pytest.raises(ValidationError) as caught:
            services.share_link_create_for_asset(owner=user, asset=asset, **options)
        assert field in caught.value.message_dict, options
    assert not ShareLink.objects.exists() and Asset.objects.get(pk=asset.pk).share_count == 0


def test_a_long_asset_title_is_shortened_for_the_default_link_title(user):
    asset = AssetFactory(owner=user, title="x" * 500)
    link = services.share_link_create_for_asset(owner=user, asset=asset)
    assert len(link.title) == 200 and link.title.endswith("…")


# --- reading -------------------------------------------------------------------------------


def test_public_lookup_finds_only_links_that_open(user):
    now = timezone.now()
    active = ShareLinkFactory(owner=user, expires_at=now + dt.timedelta(minutes=1))
    revoked = ShareLinkFactory(owner=user, revoked_at=now)
    expired = ShareLinkFactory(owner=user, expires_at=now - dt.timedelta(seconds=1))

    assert selectors.share_link_get_public(token=active.token) == active
    for token in (revoked.token, expired.token, "unknown", "", "x" * 500):
        assert selectors.share_link_get_public(token=token) is None


def test_links_of_a_deactivated_account_do_not_open(user):
    link = ShareLinkFactory(owner=user)
    user.is_active = False
    user.save()
    assert selectors.share_link_get_public(token=link.token) is None


def test_the_shared_assets_are_the_owners_live_items_only(user, other_user):
    mine = AssetFactory(owner=user)
    trashed = AssetFactory(owner=user, trashed=True)
    theirs = AssetFactory(owner=other_user)
    AssetFactory(owner=user)  # not in the link
    # An item pointing at another owner's asset cannot be made through the services;
    # the selector leaves it out all the same.
    link = ShareLinkFactory(owner=user, assets=[mine, trashed, theirs])

    assert list(selectors.share_link_page_assets(share_link=link)) == [mine]
    assert selectors.share_link_asset(share_link=link, asset_id=mine.pk) == mine
    for asset in (trashed, theirs):
        assert selectors.share_link_asset(share_link=link, asset_id=asset.pk) is None
    assert selectors.share_link_asset(share_link=link, asset_id="nope") is None


def test_a_collection_links_assets_follow_the_collection(user):
    collection = CollectionFactory(owner=user)
    first = CollectionItemFactory(collection=collection).asset
    link = services.share_link_create_for_collection(owner=user, collection=collection)
    second = CollectionItemFactory(collection=collection).asset

    assert set(selectors.share_link_page_assets(share_link=link)) == {first, second}


def test_text_snippets_are_cut_by_the_database(user):
    text = AssetFactory(owner=user, type="text", text_content="word " * 1000)
    link = ShareLinkFactory(owner=user, assets=[text])

    [row] = selectors.share_link_page_assets(share_link=link)

    assert len(row.text_snippet) == selectors.TEXT_SNIPPET_LENGTH
    assert "text_content" in row.get_deferred_fields()


# --- revoking, views, downloads ------------------------------------------------------------


def test_revoke_is_idempotent(user):
    link = ShareLinkFactory(owner=user)
    services.share_link_revoke(share_link=link)
    first = link.revoked_at
    assert first is not None

    services.share_link_revoke(share_link=link)

    assert link.revoked_at == first


def test_revoke_many_counts_only_links_that_were_open(user):
    now = timezone.now()
    open_links = ShareLinkFactory.create_batch(2, owner=user)
    expired = ShareLinkFactory(owner=user, expires_at=now - dt.timedelta(days=1))
    revoked = ShareLinkFactory(owner=user, revoked_at=now - dt.timedelta(days=2))

    count = services.share_links_revoke(queryset=ShareLink.objects.all())

    assert count == 2
    expired.refresh_from_db()
    revoked.refresh_from_db()
    assert expired.revoked_at == expired.expires_at
    assert revoked.revoked_at == now - dt.timedelta(days=2)
    assert all(ShareLink.objects.get(pk=link.pk).revoked_at is not None for link in open_links)


def test_a_view_counts_and_leaves_an_owner_level_event(user):
    link = ShareLinkFactory(owner=user)

    services.share_link_record_view(share_link=link)
    services.share_link_record_view(share_link=link)

    assert ShareLink.objects.get(pk=link.pk).view_count == 2
    events = UsageEvent.objects.filter(kind=UsageEventKind.VIEWED)
    assert events.count() == 2
    assert {(e.owner_id, e.asset_id, e.source, e.share_link_id) for e in events} == {(user.pk, None, "share", link.pk)}


def test_a_download_through_a_link_counts_on_the_asset_with_the_link(user):
    asset = AssetFactory(owner=user)
    link = ShareLinkFactory(owner=user, assets=[asset])

    services.share_link_record_download(share_link=link, asset=asset)

    assert Asset.objects.get(pk=asset.pk).download_count == 1
    event = UsageEvent.objects.get(kind=UsageEventKind.DOWNLOADED)
    assert (event.asset_id, event.source, event.share_link_id) == (asset.pk, "share", link.pk)


def test_deleting_a_collection_deletes_its_links_but_not_the_assets(user):
    collection = CollectionFactory(owner=user)
    asset = CollectionItemFactory(collection=collection).asset
    services.share_link_create_for_collection(owner=user, collection=collection)

    collection.delete()

    assert not ShareLink.objects.exists() and Asset.objects.filter(pk=asset.pk).exists()


def test_purging_an_asset_drops_it_from_frozen_links(user):
    keep, purge = AssetFactory.create_batch(2, owner=user)
    link = ShareLinkFactory(owner=user, assets=[keep, purge])

    purge.delete()

    assert list(selectors.share_link_page_assets(share_link=link)) == [keep]


# --- passwords -----------------------------------------------------------------------------


def test_password_hashes_and_length_rules():
    assert share_passwords.password_hash_for(None) == ""
    assert share_passwords.password_hash_for("") == ""
    assert share_passwords.password_hash_for("abcd") != "abcd"
    for bad in ("abc", "x" * 129):
        with pytest.raises(ValidationError):
            share_passwords.password_hash_for(bad)


def test_wrong_guesses_are_throttled_per_link_and_client(user):
    link = ShareLinkFactory(owner=user, password="right-one")
    other_link = ShareLinkFactory(owner=user, password="right-one")

    for _ in range(share_passwords.MAX_ATTEMPTS):
        assert share_passwords.password_check(share_link=link, password="wrong", client="1.2.3.4") is False
    with pytest.raises(share_passwords.TooManyAttempts):
        share_passwords.password_check(share_link=link, password="right-one", client="1.2.3.4")

    # Another client, or another link, has its own count.
    assert share_passwords.password_check(share_link=link, password="right-one", client="5.6.7.8") is True
    assert share_passwords.password_check(share_link=other_link, password="right-one", client="1.2.3.4") is True


def test_an_unlock_ends_when_the_password_changes(user):
    link = ShareLinkFactory(owner=user, password="first-pass")
    session = {}
    assert share_passwords.session_is_unlocked(session, link) is False

    share_passwords.session_unlock(session, link)
    assert share_passwords.session_is_unlocked(session, link) is True

    link.password_hash = share_passwords.password_hash_for("second-pass")
    assert share_passwords.session_is_unlocked(session, link) is False


def test_an_unlock_is_for_one_link_only(user):
    first = ShareLinkFactory(owner=user, password="same-pass")
    second = ShareLinkFactory(owner=user, password="same-pass")
    session = {}
    share_passwords.session_unlock(session, first)

    assert share_passwords.session_is_unlocked(session, second) is False
    # A forged value is refused.
    session[f"share_unlock:{second.pk}"] = "0" * 64
    assert share_passwords.session_is_unlocked(session, second) is False


def test_links_without_a_password_are_always_unlocked():
    assert share_passwords.session_is_unlocked({}, SimpleNamespace(pk="x", password_hash="")) is True
