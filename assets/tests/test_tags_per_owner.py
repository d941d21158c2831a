"""Tags are per owner (assets.models.Tag): each owner sees their own spelling everywhere (asset
`tags`, GET /tags/, the tag filter, search, bulk edits) and never another owner's tags; a tag
a person sets is manual even where the automatic tagger found it too; migrations 0010-0012
move the old global tags (django-taggit's taggit.Tag) to their owners."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from assets import tagging
from assets.models import Tag, TaggedAsset
from assets.tagging import add_auto_tags
from assets.tests.factories import AssetFactory

LIST = "/api/v1/assets/"
TAGS = "/api/v1/tags/"
BULK_UPDATE = "/api/v1/assets/bulk/update/"


def listed(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return {item["id"]: item for item in response.json()["results"]}


def counts(client, **params):
    response = client.get(TAGS, params)
    assert response.status_code == 200, response.json()
    return [(row["name"], row["count"]) for row in response.json()]


@pytest.fixture
def two_spellings(api, other_api):
    """The caller tags "Sunset" first; another owner then tags "sunset"."""
    mine = AssetFactory(owner=api.user, text=True, title="Evening sea", tags=["Sunset", "beach"])
    theirs = AssetFactory(owner=other_api.user, text=True, title="Evening hills", tags=["sunset", "secret-project"])
    return mine, theirs


# --- each owner's spelling -----------------------------------------------------------------------


@pytest.mark.django_db
def test_each_owner_has_their_own_tag_rows(two_spellings, api, other_api):
    assert sorted(Tag.objects.filter(name__iexact="sunset").values_list("owner_id", "name")) == sorted(
        [(api.user.pk, "Sunset"), (other_api.user.pk, "sunset")]
    )
    for link in TaggedAsset.objects.select_related("tag", "content_object"):
        assert link.tag.owner_id == link.content_object.owner_id


@pytest.mark.django_db
def test_each_owner_sees_their_own_spelling_on_their_assets(two_spellings, api, other_api):
    mine, theirs = two_spellings

    assert api.get(f"{LIST}{mine.pk}/").json()["tags"] == ["Sunset", "beach"]
    assert other_api.get(f"{LIST}{theirs.pk}/").json()["tags"] == ["secret-project", "sunset"]
    assert listed(api)[str(mine.pk)]["tags"] == ["Sunset", "beach"]
    assert listed(other_api)[str(theirs.pk)]["tags"] == ["secret-project", "sunset"]


@pytest.mark.django_db
def test_the_first_spelling_of_an_owner_stays_theirs(api, other_api):
    AssetFactory(owner=api.user, text=True, tags=["Sunset"])
    AssetFactory(owner=other_api.user, text=True, tags=["sunset"])

    later = AssetFactory(owner=api.user, text=True, tags=["SUNSET"])
    other_later = AssetFactory(owner=other_api.user, text=True, tags=["SunSet"])

    assert api.get(f"{LIST}{later.pk}/").json()["tags"] == ["Sunset"]
    assert other_api.get(f"{LIST}{other_later.pk}/").json()["tags"] == ["sunset"]


@pytest.mark.django_db
def test_get_tags_names_and_counts_only_the_callers_own(two_spellings, api, other_api):
    # the other owner's second asset, in the caller's spelling
    AssetFactory(owner=other_api.user, text=True, tags=["Sunset"])

    assert counts(api) == [("Sunset", 1), ("beach", 1)]
    assert counts(other_api) == [("sunset", 2), ("secret-project", 1)]
    assert counts(api, q="SUN") == [("Sunset", 1)]
    assert counts(other_api, q="sun") == [("sunset", 2)]
    assert counts(api, q="secret") == []


@pytest.mark.django_db
def test_the_tag_filter_finds_only_the_callers_assets_in_any_case(two_spellings, api, other_api):
    mine, theirs = two_spellings

    for spelling in ("sunset", "Sunset", "SUNSET"):
        assert set(listed(api, tags=spelling)) == {str(mine.pk)}
        assert set(listed(other_api, tags=spelling)) == {str(theirs.pk)}
    assert set(listed(api, tags="secret-project,beach")) == {str(mine.pk)}
    assert listed(api, tags="secret-project") == {}


@pytest.mark.django_db
def test_search_finds_tags_in_the_owners_spelling_and_only_theirs(two_spellings, api, other_api):
    mine, theirs = two_spellings

    assert set(listed(api, q="sunset")) == {str(mine.pk)}
    assert set(listed(api, q="SUNS")) == {str(mine.pk)}
    assert set(listed(other_api, q="Sunset")) == {str(theirs.pk)}
    assert listed(api, q="secret") == {}
    assert set(listed(other_api, q="secret")) == {str(theirs.pk)}


@pytest.mark.django_db
def test_bulk_edits_touch_only_the_callers_tags(two_spellings, api, other_api):
    mine, theirs = two_spellings
    response = api.post(BULK_UPDATE, {"ids": [str(mine.pk)], "add_tags": ["SUNSET", "Harbour"],
                                      "remove_tags": ["BEACH"]}, format="json")
    assert response.status_code == 200, response.json()

    assert api.get(f"{LIST}{mine.pk}/").json()["tags"] == ["Harbour", "Sunset"]
    assert other_api.get(f"{LIST}{theirs.pk}/").json()["tags"] == ["secret-project", "sunset"]
    assert not Tag.objects.filter(owner=other_api.user, name__iexact="harbour").exists()

    response = other_api.post(BULK_UPDATE, {"ids": [str(theirs.pk)], "remove_tags": ["Sunset"]}, format="json")
    assert response.status_code == 200, response.json()
    assert api.get(f"{LIST}{mine.pk}/").json()["tags"] == ["Harbour", "Sunset"]
    assert other_api.get(f"{LIST}{theirs.pk}/").json()["tags"] == ["secret-project"]


@pytest.mark.django_db
def test_deleting_an_owner_deletes_their_tags_only(two_spellings, api, other_api):
    other_api.user.delete()

    assert list(Tag.objects.values_list("name", flat=True).order_by("name")) == ["Sunset", "beach"]


# --- a tag a person sets is manual ---------------------------------------------------------------


@pytest.mark.django_db
def test_tags_given_on_create_stay_manual_when_the_tagger_finds_them(user):
    asset = AssetFactory(owner=user, text=True, prompt="A lighthouse on a cliff", tags=["Lighthouse"])

    add_auto_tags(asset, ["lighthouse", "cliff"])

    assert {link.tag.name: link.auto for link in asset.tagged_items.select_related("tag")} == {
        "Lighthouse": False, "cliff": True,
    }


@pytest.mark.django_db
def test_a_tag_added_by_patch_is_manual_though_the_tagger_linked_it_meanwhile(api, monkeypatch):
    asset = AssetFactory(owner=api.user, text=True, tags=["mine"])
    add_auto_tags(asset, ["blue"])
    names_for = tagging.tags_for_names

    def tagger_runs_meanwhile(*, owner_id, names):
        # The worker's automatic tagging links "landscape" while the edit is being saved.
        monkeypatch.setattr(tagging, "tags_for_names", names_for)
        add_auto_tags(type(asset).objects.get(pk=asset.pk), ["landscape"])
        return names_for(owner_id=owner_id, names=names)

    monkeypatch.setattr(tagging, "tags_for_names", tagger_runs_meanwhile)
    response = api.patch(f"{LIST}{asset.pk}/", {"tags": ["mine", "blue", "Landscape"]}, format="json")

    assert response.status_code == 200, response.json()
    body = api.get(f"{LIST}{asset.pk}/").json()
    assert body["tags"] == ["blue", "landscape", "mine"]
    assert body["auto_tags"] == ["blue"]  # sent back unchanged: still automatic


@pytest.mark.django_db
def test_bulk_add_makes_an_automatic_tag_manual_and_the_tagger_never_undoes_it(api):
    asset = AssetFactory(owner=api.user, text=True)
    add_auto_tags(asset, ["landscape", "blue"])

    api.post(BULK_UPDATE, {"ids": [str(asset.pk)], "add_tags": ["LANDSCAPE"]}, format="json")
    add_auto_tags(type(asset).objects.get(pk=asset.pk), ["landscape", "blue"])

    body = api.get(f"{LIST}{asset.pk}/").json()
    assert body["tags"] == ["blue", "landscape"]
    assert body["auto_tags"] == ["blue"]
    assert listed(api)[str(asset.pk)]["auto_tags"] == ["blue"]


# --- the migrations ------------------------------------------------------------------------------

BEFORE = [("assets", "0009_search_rows_know_owner")]
AFTER = [("assets", "0012_drop_global_tag_links")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrator(transactional_db):
    yield _migrate
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _old_library(apps):
    """Old-shape data: global tags (one name in two spellings, as a race or a bulk load
    could leave it) and links of three owners."""
    User = apps.get_model("auth", "User")
    Asset = apps.get_model("assets", "Asset")
    GlobalTag = apps.get_model("taggit", "Tag")
    Link = apps.get_model("assets", "TaggedAsset")
    upper = GlobalTag.objects.create(name="Sunset", slug="sunset")
    lower = GlobalTag.objects.create(name="sunset", slug="sunset_1")
    beach = GlobalTag.objects.create(name="beach", slug="beach")
    owners = {name: User.objects.create(username=name) for name in ("alice", "bob", "carol")}

    def asset(owner, *links):
        row = Asset.objects.create(owner=owners[owner], type="text", source_module="upload", title=owner)
        for tag, auto in links:
            Link.objects.create(content_object=row, tag=tag, auto=auto)
        return row

    return owners, {
        "alice": asset("alice", (upper, False), (beach, True)),
        "alice2": asset("alice", (upper, True)),
        "bob": asset("bob", (lower, False)),
        # carol has both spellings, one asset even carries both: they become one tag, and
        # the link stays manual; "sunset" is on more of her links, so it is her spelling.
        "carol": asset("carol", (upper, True), (lower, False)),
        "carol2": asset("carol", (lower, True)),
    }


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_gives_each_owner_their_tags_and_back(migrator):
    owners, assets = _old_library(migrator(BEFORE))

    apps = migrator(AFTER)
    Tag_ = apps.get_model("assets", "Tag")
    Link = apps.get_model("assets", "TaggedAsset")
    assert sorted(Tag_.objects.values_list("owner__username", "name")) == [
        ("alice", "Sunset"), ("alice", "beach"), ("bob", "sunset"), ("carol", "sunset"),
    ]

    def links(key):
        return sorted(Link.objects.filter(content_object_id=assets[key].pk).values_list("tag__name", "auto"))

    assert links("alice") == [("Sunset", False), ("beach", True)]
    assert links("alice2") == [("Sunset", True)]
    assert links("bob") == [("sunset", False)]
    assert links("carol") == [("sunset", False)]
    assert links("carol2") == [("sunset", True)]
    assert not Link.objects.exclude(tag__owner_id=F("content_object__owner_id")).exists()
    assert not apps.get_model("taggit", "Tag").objects.exists()

    apps = migrator(BEFORE)
    Link = apps.get_model("assets", "TaggedAsset")
    back = Link.objects.values_list("content_object__title", "tag__name", "auto")
    assert sorted((title, name.lower(), auto) for title, name, auto in back) == [
        ("alice", "beach", True), ("alice", "sunset", False), ("alice", "sunset", True),
        ("bob", "sunset", False), ("carol", "sunset", False), ("carol", "sunset", True),
    ]
    # One global tag per name again (in the spelling of the oldest owner tag).
    assert sorted(name.lower() for name in apps.get_model("taggit", "Tag").objects.values_list("name", flat=True)) \
        == ["beach", "sunset"]

