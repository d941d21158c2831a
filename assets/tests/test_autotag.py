"""Automatic tags: derived from the prompt, the model, the module and an image's pixels, when an
asset is created and on demand (bulk autotag, `manage.py autotag`); kept apart from manual tags
(`auto_tags`), never overwriting one, removable by the user."""

import io
import json
import uuid
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from lemminflect import getAllInflections, getAllLemmas
from PIL import Image, ImageDraw
from stop_words import get_stop_words

from assets import autotag, services
from assets.models import Asset, AssetStatus, AssetType, TaggedAsset
from assets.tagging import MAX_TAGS_PER_ASSET, add_auto_tags
from assets.tasks import autotag_assets
from assets.tests import prompt_corpus
from assets.tests.factories import AssetFactory, UserFactory
from assets.tests.samples import make_image_bytes
from conftest import asset_url

LIST = "/api/v1/assets/"
BULK_AUTOTAG = "/api/v1/assets/bulk/autotag/"
FOX_PROMPT = "Three red foxes running through snowy forests"
BLUE = (0, 0, 255)


def links(asset):
    """{name: auto} for the asset's tag links."""
    return {
        link.tag.name: link.auto
        for link in TaggedAsset.objects.filter(content_object_id=getattr(asset, "pk", asset)).select_related("tag")
    }


def png(size, color=BLUE, fmt="PNG"):
    return SimpleUploadedFile(f"gen.{fmt.lower()}", make_image_bytes(fmt, size=size, color=color))


def create_image(api, capture, size=(300, 200), color=BLUE, **fields):
    """POST an image as a module would; the on-commit autotag task runs before this returns."""
    data = {"source_module": "image_studio", "model": "ideogram-v3-turbo", "file": png(size, color), **fields}
    with capture(execute=True):
        response = api.post(LIST, data, format="multipart")
    assert response.status_code == 201, response.json()
    return response.json()


def image_with_stripes(colors, size=(120, 60), mode="RGB"):
    """Vertical stripes of equal width, one per colour."""
    image = Image.new(mode, size)
    draw = ImageDraw.Draw(image)
    width = size[0] // len(colors)
    for index, color in enumerate(colors):
        draw.rectangle([index * width, 0, (index + 1) * width - 1, size[1] - 1], fill=color)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


# --- pure functions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [("foxes", "fox"), ("forests", "forest"), ("cities", "city"), ("boxes", "box"), ("beaches", "beach"),
     ("dishes", "dish"), ("dresses", "dress"), ("sunsets", "sunset"), ("glass", "glass"), ("bus", "bus"),
     ("iris", "iris"), ("cat", "cat"), ("ties", "tie"), ("gas", "gas")],
)
def test_singular_folds_simple_plurals(word, expected):
    assert autotag.singular(word) == expected


def test_prompt_keywords_for_the_fox_prompt():
    keywords = autotag.prompt_keywords(FOX_PROMPT)

    assert keywords[:2] == ["red", "fox"]
    assert {"fox", "forest", "red", "snowy", "running"} == set(keywords)
    assert not {"three", "through", "foxes", "forests"} & set(keywords)


def test_prompt_keywords_drop_stop_words_and_short_words_and_rank_by_frequency():
    keywords = autotag.prompt_keywords("A photo of the cat and the cats, a detailed 4k render of an ox at sea")

    assert keywords == ["cat", "sea"]


def test_prompt_keywords_are_capped_and_ordered_by_first_appearance_among_ties():
    prompt = "lighthouse harbour boat gull wave cliff storm night"

    assert autotag.prompt_keywords(prompt) == ["lighthouse", "harbour", "boat", "gull", "wave", "cliff"]
    assert autotag.prompt_keywords(prompt, limit=2) == ["lighthouse", "harbour"]


@pytest.mark.parametrize("prompt", ["", None, "   ", "a the of 42 !!"])
def test_prompt_keywords_of_nothing_is_nothing(prompt):
    assert autotag.prompt_keywords(prompt) == []


def test_a_request_gives_its_subject_not_its_wording():
    prompt = "Write a LinkedIn post about our new lighthouse coffee brand"

    assert autotag.prompt_keywords(prompt) == ["lighthouse", "coffee", "brand"]


def test_a_story_prompt_leaves_out_verbs_and_requests():
    prompt = ("Write a short, engaging story about a sailor who came home, opened the old door and found "
              "his writing desk. Open with a question; posts welcome.")

    keywords = autotag.prompt_keywords(prompt)

    assert {"sailor", "door", "desk"} <= set(keywords)
    assert not {"write", "writing", "short", "engaging", "story", "came", "come", "home", "opened", "open",
                "old", "found", "question", "post", "welcome"} & set(keywords)


def test_plurals_fold_to_the_noun_and_nouns_of_their_own_stay():
    keywords = autotag.prompt_keywords("Autumn leaves, wolves and children wearing glasses")

    assert keywords == ["autumn", "leaf", "wolf", "child", "glasses"]


def test_possessives_are_the_word():
    assert autotag.prompt_keywords("The dragon's castle") == ["dragon", "castle"]


def test_prompt_keywords_keep_accented_words_whole():
    keywords = autotag.prompt_keywords("A cozy café in Zürich, crème brûlée on the table")

    assert {"café", "zürich", "crème", "brûlée", "cozy", "table"} == set(keywords)
    assert not {"caf", "rich", "cr", "br"} & set(keywords)


@pytest.mark.parametrize(
    ("model", "family"),
    [("ideogram-v3-turbo", "ideogram"), ("flux-1.1-pro", "flux"), ("dall-e-3", "dall-e"),
     ("sd3.5-large", "stable-diffusion"), ("sdxl", "stable-diffusion"), ("gpt-image-1", "gpt"), ("o3", "gpt"),
     ("Claude-Sonnet-4", "claude"), ("", None), ("4o", None), ("x", None)],
)
def test_model_family(model, family):
    assert autotag.model_family(model) == family


def test_module_tag():
    assert autotag.module_tag("image_studio") == "image-studio"
    assert autotag.module_tag("upload") == "upload"
    assert autotag.module_tag("") is None


@pytest.mark.parametrize(
    ("size", "expected"),
    [((300, 200), "landscape"), ((200, 300), "portrait"), ((512, 512), "square"), ((1024, 1000), "square"),
     ((1000, 1024), "square"), ((None, 100), None), ((100, 0), None)],
)
def test_orientation(size, expected):
    assert autotag.orientation(*size) == expected


@pytest.mark.parametrize(
    ("color", "name"),
    [((0, 0, 255), "blue"), ((220, 20, 20), "red"), ((20, 160, 40), "green"), ((250, 220, 30), "yellow"),
     ((255, 140, 0), "orange"), ((128, 0, 160), "purple"), ((255, 105, 180), "pink"), ((0, 128, 128), "teal"),
     ((255, 255, 255), "white"), ((0, 0, 0), "black"), ((128, 128, 128), "gray"), ((120, 80, 40), "brown")],
)
def test_a_solid_image_has_its_colour_name(color, name):
    assert autotag.dominant_colours(io.BytesIO(make_image_bytes(size=(64, 64), color=color))) == [name]


def test_two_colours_are_named_most_common_first():
    stripes = image_with_stripes([(0, 0, 255), (0, 0, 255), (255, 255, 255)])

    assert autotag.dominant_colours(stripes) == ["blue", "white"]


def test_a_colour_under_a_fifth_of_the_image_is_not_named():
    stripes = image_with_stripes([(220, 20, 20)] * 9 + [(0, 0, 255)], size=(200, 20))

    assert autotag.dominant_colours(stripes) == ["red"]


def test_transparent_pixels_are_not_counted_as_black():
    stripes = image_with_stripes([(0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), (220, 20, 20, 255)], mode="RGBA")

    assert autotag.dominant_colours(stripes) == ["red"]


def test_derive_tags_combines_every_source_without_repeats(db):
    asset = AssetFactory.build(
        type=AssetType.IMAGE, prompt="Blue blue sky over a landscape", model="ideogram-v3-turbo",
        source_module="image_studio", width=300, height=200,
    )

    names = autotag.derive_tags(asset, image_file=io.BytesIO(make_image_bytes(size=(30, 20), color=BLUE)))

    assert names == ["blue", "sky", "landscape", "ideogram", "image-studio"]


def test_derive_tags_of_a_text_asset_has_no_image_tags(db):
    asset = AssetFactory.build(type=AssetType.TEXT, prompt=FOX_PROMPT, model="gpt-4o", source_module="story_writer")

    assert autotag.derive_tags(asset) == ["red", "fox", "running", "snowy", "forest", "gpt", "story-writer"]


# --- when an asset is created --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_generated_blue_landscape_png_gets_landscape_and_blue(api, django_capture_on_commit_callbacks, asset_detail):
    created = create_image(api, django_capture_on_commit_callbacks, size=(300, 200), color=BLUE)

    body = asset_detail(created["id"])
    assert {"landscape", "blue", "ideogram", "image-studio"} <= set(body["auto_tags"])
    assert set(body["auto_tags"]) <= set(body["tags"])
    assert "square" not in body["tags"] and "portrait" not in body["tags"]


@pytest.mark.django_db
def test_a_green_portrait_jpeg_gets_portrait_and_green(api, django_capture_on_commit_callbacks, asset_detail):
    data = {"source_module": "upload", "file": png((200, 300), color=(20, 160, 40), fmt="JPEG")}
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(LIST, data, format="multipart").json()

    body = asset_detail(created["id"])
    assert {"portrait", "green", "upload"} <= set(body["auto_tags"])
    assert "landscape" not in body["tags"]


@pytest.mark.django_db
def test_a_prompt_gives_its_keywords(api, django_capture_on_commit_callbacks, asset_detail):
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(LIST, {
            "type": "text", "source_module": "story_writer", "model": "gpt-4o", "prompt": FOX_PROMPT,
            "text_content": "Once upon a time...",
        }, format="json").json()

    body = asset_detail(created["id"])
    assert {"fox", "forest", "red", "snowy", "gpt", "story-writer"} <= set(body["auto_tags"])
    assert not {"foxes", "forests", "three", "through"} & set(body["tags"])


@pytest.mark.django_db
def test_automatic_tags_are_searchable_and_filterable_at_once(api, django_capture_on_commit_callbacks):
    created = create_image(api, django_capture_on_commit_callbacks, prompt="A lighthouse on a cliff")

    ids = {item["id"] for item in api.get(LIST, {"q": "blue landscape"}).json()["results"]}
    assert ids == {created["id"]}
    ids = {item["id"] for item in api.get(LIST, {"tags": "cliff"}).json()["results"]}
    assert ids == {created["id"]}


@pytest.mark.django_db
def test_nothing_is_derived_before_the_asset_is_committed(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = api.post(LIST, {"source_module": "upload", "file": png((300, 200))}, format="multipart").json()

    assert created["auto_tags"] == []
    assert callbacks, "the autotag task is dispatched on commit"
    assert links(created["id"]) == {}


@pytest.mark.django_db
def test_a_manual_tag_is_never_overwritten_or_duplicated(api, django_capture_on_commit_callbacks, asset_detail):
    created = create_image(api, django_capture_on_commit_callbacks, tags=json.dumps(["Blue", "LANDSCAPE", "mine"]))

    body = asset_detail(created["id"])
    lowered = [name.lower() for name in body["tags"]]
    assert len(lowered) == len(set(lowered)), body["tags"]
    assert {"Blue", "LANDSCAPE", "mine"} <= set(body["tags"])
    assert not {"Blue", "LANDSCAPE", "mine", "blue", "landscape"} & set(body["auto_tags"])
    assert links(created["id"])["Blue"] is False
    assert "ideogram" in body["auto_tags"]


@pytest.mark.django_db
def test_a_pending_image_gets_its_image_tags_when_its_file_arrives(
    api, django_capture_on_commit_callbacks, asset_detail
):
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(LIST, {"type": "image", "status": "pending", "source_module": "image_studio",
                                  "model": "flux-1.1-pro"}, format="json").json()
    assert "flux" in asset_detail(created["id"])["auto_tags"]

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(asset_url(created["id"]), {"status": "completed", "file": png((300, 200))},
                             format="multipart")

    assert response.status_code == 200, response.json()
    body = asset_detail(created["id"])
    assert {"landscape", "blue", "flux", "image-studio"} <= set(body["auto_tags"])


# --- the user's control --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_automatic_tag_removed_by_patch_stays_removed(api, django_capture_on_commit_callbacks):
    created = create_image(api, django_capture_on_commit_callbacks, tags=json.dumps(["mine"]))
    url = asset_url(created["id"])
    tags = api.get(url).json()["tags"]
    assert "landscape" in tags

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(url, {"tags": [t for t in tags if t != "landscape"]}, format="json")
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        api.patch(url, {"title": "Renamed", "description": "Still no landscape"}, format="json")

    body = api.get(url).json()
    assert body["title"] == "Renamed"
    assert "landscape" not in body["tags"] and "landscape" not in body["auto_tags"]
    assert "mine" in body["tags"] and "blue" in body["auto_tags"]


@pytest.mark.django_db
def test_resending_the_tags_keeps_automatic_ones_marked(api, django_capture_on_commit_callbacks):
    created = create_image(api, django_capture_on_commit_callbacks)
    url = asset_url(created["id"])
    before = api.get(url).json()

    body = api.patch(url, {"tags": [*before["tags"], "extra"]}, format="json").json()

    assert sorted(body["auto_tags"]) == sorted(before["auto_tags"])
    assert "extra" in body["tags"] and "extra" not in body["auto_tags"]


@pytest.mark.django_db
def test_clearing_the_tags_removes_automatic_ones_too(api, django_capture_on_commit_callbacks):
    created = create_image(api, django_capture_on_commit_callbacks)

    body = api.patch(asset_url(created["id"]), {"tags": []}, format="json").json()

    assert body["tags"] == [] and body["auto_tags"] == []


# --- the service and the task --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_is_idempotent(user):
    asset = AssetFactory(owner=user, type=AssetType.TEXT, prompt=FOX_PROMPT, model="gpt-4o",
                         source_module="story_writer")

    first = services.assets_autotag(asset_ids=[asset.pk])
    again = services.assets_autotag(asset_ids=[asset.pk])

    assert first == len(links(asset)) > 0
    assert again == 0
    assert all(links(asset).values())


@pytest.mark.django_db
def test_the_service_stays_within_the_tag_limit(user):
    asset = AssetFactory(owner=user, type=AssetType.TEXT, prompt=FOX_PROMPT,
                         tags=[f"t{n:02}" for n in range(MAX_TAGS_PER_ASSET - 2)])

    assert services.assets_autotag(asset_ids=[asset.pk]) == 2
    assert len(links(asset)) == MAX_TAGS_PER_ASSET
    assert services.assets_autotag(asset_ids=[asset.pk]) == 0


@pytest.mark.django_db
def test_an_unreadable_image_still_gets_its_other_tags(user):
    asset = AssetFactory(owner=user, type=AssetType.IMAGE, width=300, height=200, prompt="A red barn")

    services.assets_autotag(asset_ids=[asset.pk])

    assert {"barn", "red", "landscape", "ideogram", "image-studio"} <= set(links(asset))


@pytest.mark.django_db
def test_the_task_takes_ids_and_tolerates_unknown_ones(user):
    asset = AssetFactory(owner=user, type=AssetType.TEXT, prompt="Golden retriever puppies")

    added = autotag_assets.delay([str(asset.pk), str(uuid.uuid4())]).get()

    assert added > 0
    assert {"golden", "retriever", "puppy"} <= set(links(asset))


@pytest.mark.django_db
def test_automatic_tags_of_other_owners_do_not_mix(user, other_user):
    mine = AssetFactory(owner=user, type=AssetType.TEXT, prompt="Mountains at dawn")
    theirs = AssetFactory(owner=other_user, type=AssetType.TEXT, prompt="Secret mountains")

    services.assets_autotag(asset_ids=[mine.pk, theirs.pk])

    assert "secret" not in links(mine)
    assert "mountain" in links(mine) and "mountain" in links(theirs)


# --- POST /assets/bulk/autotag/ ------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_autotag_by_ids(api, other_user, django_capture_on_commit_callbacks):
    mine = AssetFactory(owner=api.user, type=AssetType.TEXT, prompt="Autumn leaves")
    theirs = AssetFactory(owner=other_user, type=AssetType.TEXT, prompt="Private garden")
    unknown = str(uuid.uuid4())

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(BULK_AUTOTAG, {"ids": [str(mine.pk), str(theirs.pk), unknown]}, format="json")

    assert response.status_code == 202, response.json()
    assert response.json() == {"queued": 1, "not_found": [str(theirs.pk), unknown]}
    assert {"autumn", "leaf"} <= set(links(mine))  # "leaves" is the noun's plural, not the verb
    assert links(theirs) == {}


@pytest.mark.django_db
def test_bulk_autotag_by_filter(api, django_capture_on_commit_callbacks):
    story = AssetFactory(owner=api.user, type=AssetType.TEXT, source_module="story_writer", prompt="Dragons")
    other = AssetFactory(owner=api.user, type=AssetType.TEXT, source_module="blog_writer", prompt="Castles")

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(BULK_AUTOTAG, {"filter": {"source_module": "story_writer"}}, format="json")

    assert response.status_code == 202
    assert response.json()["queued"] == 1
    assert "dragon" in links(story)
    assert links(other) == {}


@pytest.mark.django_db
def test_bulk_autotag_twice_adds_nothing_new(api, django_capture_on_commit_callbacks):
    asset = AssetFactory(owner=api.user, type=AssetType.TEXT, prompt="Ocean waves", tags=["Ocean"])
    body = {"ids": [str(asset.pk)]}

    with django_capture_on_commit_callbacks(execute=True):
        api.post(BULK_AUTOTAG, body, format="json")
    first = links(asset)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(BULK_AUTOTAG, body, format="json")

    assert links(asset) == first
    assert first["Ocean"] is False and first["wave"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "non_field_errors"), ({"ids": [str(uuid.uuid4())], "filter": {}}, "non_field_errors"),
     ({"ids": ["nope"]}, "ids"), ({"filter": {"colour": "red"}}, "filter.colour")],
)
def test_bulk_autotag_bad_bodies_are_a_400(api, body, field):
    response = api.post(BULK_AUTOTAG, body, format="json")

    assert response.status_code == 400
    assert field in response.json()


# --- manage.py autotag ---------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("autotag", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def libraries(db):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    return {
        "alice": AssetFactory(owner=alice, type=AssetType.TEXT, prompt="Foxes in forests", tags=["fox-manual"]),
        "alice_image": AssetFactory(owner=alice, type=AssetType.IMAGE, width=200, height=300, prompt="Owls"),
        "alice_trashed": AssetFactory(owner=alice, type=AssetType.TEXT, prompt="Deleted dreams", trashed=True),
        "bob": AssetFactory(owner=bob, type=AssetType.TEXT, prompt="Bicycles everywhere", source_module="blog_writer"),
    }


def test_command_for_one_owner(libraries):
    output = run("--owner", "alice")

    assert "Tagged 2 asset(s)" in output
    assert {"fox", "forest"} <= set(links(libraries["alice"]))
    assert links(libraries["alice"])["fox-manual"] is False
    assert {"owl", "portrait"} <= set(links(libraries["alice_image"]))
    assert links(libraries["bob"]) == {}
    assert links(libraries["alice_trashed"]) == {}


def test_command_is_idempotent(libraries):
    run("--all")
    before = {name: links(asset) for name, asset in libraries.items()}

    output = run("--all")

    assert "0 automatic tag(s) added" in output
    assert {name: links(asset) for name, asset in libraries.items()} == before
    assert "bicycle" in before["bob"]


def test_command_by_ids(libraries):
    run("--ids", str(libraries["bob"].pk), str(libraries["alice"].pk))

    assert "bicycle" in links(libraries["bob"])
    assert "fox" in links(libraries["alice"])
    assert set(links(libraries["alice_image"])) == set()


def test_command_missing_only_skips_assets_that_have_automatic_tags(libraries):
    add_auto_tags(libraries["alice"], ["already-auto"])

    output = run("--owner", "alice", "--missing-only")

    assert "Tagged 1 asset(s)" in output
    assert set(links(libraries["alice"])) == {"fox-manual", "already-auto"}
    assert "owl" in links(libraries["alice_image"])


def test_command_dry_run_changes_nothing(libraries):
    output = run("--all", "--dry-run")

    assert "3 asset(s)" in output
    assert TaggedAsset.objects.filter(auto=True).count() == 0


def test_command_async_queues_tasks(libraries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--all", "--async", "--chunk-size", "2")

    assert "Queued automatic tagging of 3 asset(s) in 2 task(s)" in output
    assert "bicycle" in links(libraries["bob"])


def test_command_walks_every_chunk(libraries):
    output = run("--all", "--chunk-size", "1")

    assert "Tagged 3 asset(s)" in output
    assert all(links(libraries[name]) for name in ("alice", "alice_image", "bob"))


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "--owner"), (("--owner", "nobody"), "nobody"), (("--owner", "alice", "--all"), "not both"),
     (("--ids", "not-a-uuid"), "not-a-uuid"), (("--all", "--chunk-size", "0"), "chunk-size")],
)
def test_command_refuses_bad_arguments(libraries, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_pending_assets_without_a_file_are_tagged_from_what_is_known(db):
    asset = AssetFactory(type=AssetType.IMAGE, status=AssetStatus.PENDING, file="", mime_type="",
                         prompt="Neon city", model="flux-dev")

    services.assets_autotag(asset_ids=[asset.pk])

    assert {"neon", "city", "flux"} <= set(links(asset))
    assert not {"landscape", "portrait", "square"} & set(links(asset))
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.PENDING


# --- the most common automatic tags are content words ---------------------------------------------

ENGLISH_STOP_WORDS = frozenset(get_stop_words("en"))
FILLER_NAMED_IN_THE_ISSUE = {"write", "post", "came", "open", "new", "our"}


def generic_verb(word: str) -> bool:
    """A form of a verb in assets/data/generic_verbs.txt, or a word the dictionary knows only as a verb."""
    readings = getAllLemmas(word)
    if readings and set(readings) <= {"VERB", "AUX"}:
        return True
    return word in autotag.GENERIC_VERBS or any(
        word in forms for verb in autotag.GENERIC_VERBS for forms in getAllInflections(verb, upos="VERB").values()
    )


def assert_content_words(counts, *, top=50):
    common = [name for name, _ in counts.most_common(top)]
    assert len(common) == top, counts
    assert not [name for name in common if name in ENGLISH_STOP_WORDS], common
    assert not [name for name in common if generic_verb(name)], common
    assert not FILLER_NAMED_IN_THE_ISSUE & set(counts), common


@pytest.mark.parametrize("word", ["write", "wrote", "posting", "came", "opened", "explaining", "featuring"])
def test_generic_verb_knows_the_issues_words(word):
    assert generic_verb(word)


@pytest.mark.parametrize("word", ["lighthouse", "leaf", "fox", "running", "painting", "snowy", "café"])
def test_generic_verb_spares_content_words(word):
    assert not generic_verb(word)


def test_the_corpus_most_common_automatic_tags_are_content_words():
    prompts = prompt_corpus.prompts(1000)
    assert len(set(prompts)) > 900

    counts = Counter(name for prompt in prompts for name in autotag.prompt_keywords(prompt))

    assert_content_words(counts)
    assert {"lighthouse", "desert", "forest", "greenhouse", "podcast"} <= {n for n, _ in counts.most_common(50)}


@pytest.mark.django_db
def test_the_demo_library_most_common_automatic_tags_are_content_words():
    call_command("seed_demo", "--assets", "120", "--seed", "42", stdout=io.StringIO())

    counts = Counter(TaggedAsset.objects.filter(auto=True).values_list("tag__name", flat=True))

    assert_content_words(counts)
    assert {"image-studio", "lighthouse"} <= set(counts)
