"""The demo's words: concepts, phrases and the catalogue of models, read from `corpus/*.json`.

The JSON files hold only data; this module turns them into the tuples and frozen
dataclasses the planner draws from. Order matters: the planner picks with a seeded
random generator, so reordering (or adding to) a list changes the library a seed gives.
"""

import json
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
# The committed video clips (see `make_clips.sh` there): ffmpeg may be missing at seed time.
DEMO_MEDIA_DIR = Path(__file__).resolve().parents[1] / "demo_media"


def _read(name: str) -> dict:
    return json.loads((CORPUS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _priced(rows: list[dict]) -> list[tuple[str, str, str]]:
    """(model, provider, price) triples; prices stay strings so that Decimal reads them exactly."""
    return [(row["model"], row["provider"], row["price"]) for row in rows]


@dataclass(frozen=True)
class ImageConcept:
    title: str
    subject: str
    tags: tuple[str, ...]
    composition: str
    palettes: tuple[str, ...]


@dataclass(frozen=True)
class AudioConcept:
    kind: str
    title: str
    prompt: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class VideoClip:
    file_name: str
    width: int
    height: int
    seconds: float
    title: str
    prompt: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class BlogTopic:
    title: str
    audience: str
    context: str
    points: tuple[str, ...]
    stat: str
    tags: tuple[str, ...]


# The catalogue: tags, models and what can go wrong.
_catalogue = _read("catalogue")
TAG_VOCABULARY = tuple(_catalogue["tag_vocabulary"])
WORKFLOW_TAGS = tuple(_catalogue["workflow_tags"])
# module -> [(model, provider, base cost per generation)]
MODELS = {module: _priced(rows) for module, rows in _catalogue["models"].items()}
# audio kind -> [(model, provider, cost per second)]
AUDIO_MODELS = {kind: _priced(rows) for kind, rows in _catalogue["audio_models"].items()}
ERROR_MESSAGES = tuple(_catalogue["error_messages"])

# Images.
_images = _read("images")
IMAGE_STYLES = tuple(_images["styles"])
UPLOAD_IMAGE_NAMES = tuple(_images["upload_names"])
IMAGE_CONCEPTS = tuple(
    ImageConcept(c["title"], c["subject"], tuple(c["tags"]), c["composition"], tuple(c["palettes"]))
    for c in _images["concepts"]
)

# Audio.
_audio = _read("audio")
VOICES = tuple(_audio["voices"])
AUDIO_CONCEPTS = tuple(AudioConcept(c["kind"], c["title"], c["prompt"], tuple(c["tags"])) for c in _audio["concepts"])

# Video: one asset per committed clip.
VIDEO_CLIPS = tuple(
    VideoClip(c["file_name"], c["width"], c["height"], c["seconds"], c["title"], c["prompt"], tuple(c["tags"]))
    for c in _read("videos")["clips"]
)

# Stories: templates with {name}, {pron}, {poss}, {place}, {here}, {object}, {companion}... slots.
_stories = _read("stories")
CHARACTERS = tuple((c["name"], c["subject"], c["possessive"]) for c in _stories["characters"])
PLACES = tuple((p["first_mention"], p["later_mentions"], p["title"]) for p in _stories["places"])
OBJECTS = tuple((o["description"], o["title"]) for o in _stories["objects"])
COMPANIONS = tuple(_stories["companions"])
WEATHERS = tuple(_stories["weathers"])
STORY_TONES = tuple(_stories["tones"])
STORY_OPENINGS = tuple(_stories["openings"])
STORY_MIDDLES = tuple(_stories["middles"])
STORY_TURNS = tuple(_stories["turns"])
STORY_ENDINGS = tuple(_stories["endings"])

# Posts: blog intros, LinkedIn and Facebook.
_posts = _read("posts")
BLOG_TOPICS = tuple(
    BlogTopic(t["title"], t["audience"], t["context"], tuple(t["points"]), t["stat"], tuple(t["tags"]))
    for t in _posts["blog_topics"]
)
BLOG_HOOKS = tuple(_posts["blog_hooks"])
BLOG_CLOSINGS = tuple(_posts["blog_closings"])
LINKEDIN_TOPICS = tuple(
    (t["hook"], t["body"], t["lesson"], tuple(t["hashtags"]), tuple(t["tags"])) for t in _posts["linkedin_topics"]
)
LINKEDIN_CLOSERS = tuple(_posts["linkedin_closers"])
FACEBOOK_POSTS = tuple((p["title"], p["template"], tuple(p["tags"])) for p in _posts["facebook_posts"])
FLAVOURS = tuple(_posts["flavours"])
