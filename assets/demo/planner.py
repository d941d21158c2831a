"""The demo plan: one `PlannedAsset` per asset, decided from the seed before anything is written.

The plan depends only on the seed and the count (and "now", which only shifts the dates):
how many of each type and status, titles, prompts, tags, costs, parents, favourites, the
trash, and the recipes of the files. External ids derive from the seed too, so creating
the same plan twice adds nothing.
"""

import hashlib
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from assets.demo.corpus import (
    AUDIO_CONCEPTS,
    AUDIO_MODELS,
    BLOG_TOPICS,
    ERROR_MESSAGES,
    IMAGE_CONCEPTS,
    IMAGE_STYLES,
    MODELS,
    TAG_VOCABULARY,
    UPLOAD_IMAGE_NAMES,
    VIDEO_CLIPS,
    VOICES,
    WORKFLOW_TAGS,
    BlogTopic,
    VideoClip,
)
from assets.demo.painter import PALETTES, SMOOTH_COMPOSITIONS, ImageRecipe
from assets.demo.sound import SAMPLE_RATE, AudioRecipe
from assets.demo.texts import blog_text, facebook_text, linkedin_text, story_text
from assets.models import AssetStatus, AssetType

MIN_ASSETS = 12  # enough for every type and every status to appear
SPREAD_DAYS = 90  # creation times spread over the last SPREAD_DAYS days

TYPE_SHARES = {AssetType.IMAGE: 0.47, AssetType.TEXT: 0.30, AssetType.AUDIO: 0.13, AssetType.VIDEO: 0.10}
STATUS_SHARES = {
    AssetStatus.COMPLETED: 0.80,
    AssetStatus.FAILED: 0.08,
    AssetStatus.PENDING: 0.07,
    AssetStatus.PROCESSING: 0.05,
}
TEXT_MODULE_WEIGHTS = {"story_writer": 30, "blog_writer": 25, "linkedin_writer": 28, "facebook_writer": 17}

SIZES = {
    "landscape": [(768, 512), (640, 360), (512, 384), (768, 432)],
    "portrait": [(512, 768), (384, 576), (360, 640), (432, 768)],
    "square": [(256, 256), (384, 384), (512, 512), (640, 640), (768, 768)],
}


@dataclass
class PlannedAsset:
    index: int
    type: str
    status: str
    source_module: str = ""
    model: str = ""
    provider: str = ""
    title: str = ""
    prompt: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    cost: Decimal = Decimal("0")
    metadata: dict = field(default_factory=dict)
    is_favorite: bool = False
    external_id: str | None = None
    error_message: str = ""
    created_at: datetime | None = None
    parent_index: int | None = None
    trash: bool = False
    image: ImageRecipe | None = None
    audio: AudioRecipe | None = None
    clip: VideoClip | None = None
    text: str | None = None
    upload_name: str = ""
    duration_seconds: float | None = None
    blog_topic: BlogTopic | None = None


def _quota(count: int, shares: dict) -> list:
    """`count` items split by `shares` (largest remainder), each kind at least once."""
    exact = {kind: count * share for kind, share in shares.items()}
    sizes = {kind: max(1, int(value)) for kind, value in exact.items()}
    by_remainder = sorted(shares, key=lambda kind: exact[kind] - int(exact[kind]), reverse=True)
    k = 0
    while sum(sizes.values()) < count:
        sizes[by_remainder[k % len(by_remainder)]] += 1
        k += 1
    while sum(sizes.values()) > count:
        biggest = max(sizes, key=sizes.get)
        sizes[biggest] -= 1
    return [kind for kind, size in sizes.items() for _ in range(size)]


def _assign_statuses(types: list, statuses: list, *, video_files: int) -> None:
    """Swap statuses so each type has a completed asset and no more completed videos than clips."""
    completed = AssetStatus.COMPLETED
    for kind in TYPE_SHARES:
        if kind == AssetType.VIDEO and video_files == 0:
            continue
        if any(t == kind and s == completed for t, s in zip(types, statuses, strict=True)):
            continue
        donors = Counter(t for t, s in zip(types, statuses, strict=True) if s == completed)
        j = types.index(kind)
        k = next(i for i, (t, s) in enumerate(zip(types, statuses, strict=True)) if s == completed and donors[t] > 1)
        statuses[j], statuses[k] = statuses[k], statuses[j]
    completed_videos = [i for i, (t, s) in enumerate(zip(types, statuses, strict=True))
                        if t == AssetType.VIDEO and s == completed]
    for j in completed_videos[video_files:]:
        k = next((i for i, (t, s) in enumerate(zip(types, statuses, strict=True))
                  if t != AssetType.VIDEO and s != completed), None)
        if k is None:
            statuses[j] = AssetStatus.FAILED
        else:
            statuses[j], statuses[k] = statuses[k], statuses[j]


def _external_id(seed: int, index: int, module: str) -> str:
    digest = hashlib.sha256(f"seed-demo:{seed}:{index}".encode()).hexdigest()[:12]
    prefix = {"image_studio": "img", "video_studio": "vid", "podcast_maker": "pod"}.get(module, "txt")
    return f"{prefix}_{digest}"


def _pick_tags(rng: random.Random, topical, *extra) -> list[str]:
    """2-5 tags from the vocabulary: some topical ones, perhaps a type tag and a workflow tag."""
    topical = [t for t in topical if t in TAG_VOCABULARY]
    tags = rng.sample(topical, k=min(len(topical), rng.randint(1, 3)))
    for tag in extra:
        if tag and tag not in tags:
            tags.append(tag)
    if rng.random() < 0.45:
        tags.append(rng.choice(WORKFLOW_TAGS))
    while len(set(tags)) < 2:
        tags.append(rng.choice(TAG_VOCABULARY))
    return list(dict.fromkeys(tags))[:5]


def _after(earlier: datetime, latest: datetime, *, minutes: int) -> datetime:
    """A derived asset's time: `minutes` after its source, but no later than its own slot."""
    return max(earlier + timedelta(minutes=1), min(earlier + timedelta(minutes=minutes), latest))


def money(value) -> Decimal:
    """A cost as the Asset stores it: four decimal places."""
    return Decimal(value).quantize(Decimal("0.0001"))


def _aspect_ratio(width: int, height: int) -> str:
    divisor = math.gcd(width, height)
    return f"{width // divisor}:{height // divisor}"


def build_plan(*, count: int, seed: int, now, video_clips: list[VideoClip]) -> list[PlannedAsset]:
    """The whole library, decided from the seed before anything is written."""
    rng = random.Random(seed)
    types = _quota(count, TYPE_SHARES)
    statuses = _quota(count, STATUS_SHARES)
    rng.shuffle(types)
    rng.shuffle(statuses)
    _assign_statuses(types, statuses, video_files=len(video_clips))

    # Creation times, oldest first, a little denser towards today.
    offsets = sorted((rng.random() ** 1.3 * SPREAD_DAYS * 86_400 for _ in range(count)), reverse=True)
    clips = list(video_clips)
    rng.shuffle(clips)
    plan: list[PlannedAsset] = []
    for index, (asset_type, status) in enumerate(zip(types, statuses, strict=True)):
        item = PlannedAsset(index=index, type=asset_type, status=status)
        item.created_at = now - timedelta(seconds=offsets[index] + 60)
        item_rng = random.Random(f"{seed}:{index}")
        if asset_type == AssetType.IMAGE:
            _plan_image(item, item_rng, plan)
        elif asset_type == AssetType.VIDEO:
            _plan_video(item, item_rng, clips)
        elif asset_type == AssetType.AUDIO:
            _plan_audio(item, item_rng)
        else:
            _plan_text(item, item_rng, plan)
        _plan_lifecycle(item, item_rng, seed)
        plan.append(item)

    parents = {p.parent_index for p in plan if p.parent_index is not None}
    trashable = [p.index for p in plan if p.status == AssetStatus.COMPLETED and p.external_id
                 and p.index not in parents]
    for index in rng.sample(trashable, k=min(len(trashable), max(1, round(count / 48)))):
        plan[index].trash = True
        plan[index].is_favorite = False
    return plan


def _plan_image(item: PlannedAsset, rng: random.Random, plan: list[PlannedAsset]) -> None:
    candidates = [p for p in plan[-25:] if p.type == AssetType.IMAGE and p.status == AssetStatus.COMPLETED
                  and p.source_module == "image_studio" and p.parent_index is None]
    if candidates and rng.random() < 0.2:
        parent = rng.choice(candidates)
        _plan_image_child(item, rng, parent, version=2 + sum(1 for p in plan if p.parent_index == parent.index))
        return
    uploaded = item.status == AssetStatus.COMPLETED and rng.random() < 0.12
    concept = rng.choice(IMAGE_CONCEPTS)
    orientation = rng.choice(["landscape", "landscape", "portrait", "square", "square"])
    size = rng.choice(SIZES[orientation])
    smooth = concept.composition in SMOOTH_COMPOSITIONS
    fmt = "JPEG" if (smooth and rng.random() < 0.75) or (not smooth and rng.random() < 0.2) else "PNG"
    item.image = ImageRecipe(concept.composition, rng.choice(concept.palettes), size, rng.randrange(2**31), fmt)
    if uploaded:
        item.source_module = "upload"
        item.upload_name = rng.choice(UPLOAD_IMAGE_NAMES).format(n=rng.randint(1, 9999), v=rng.randint(1, 9))
        if fmt == "JPEG":
            item.upload_name = item.upload_name.rsplit(".", 1)[0] + ".jpg"
        else:
            item.upload_name = item.upload_name.rsplit(".", 1)[0] + ".png"
        item.title = item.upload_name.rsplit(".", 1)[0]
        item.description = rng.choice(["Reference from the client.", "Uploaded from the shared drive.",
                                       f"Reference for {concept.title.lower()}.", ""])
        item.tags = _pick_tags(rng, concept.tags, "draft" if rng.random() < 0.3 else None)
        return
    style = rng.choice(IMAGE_STYLES)
    item.source_module = "image_studio"
    item.model, item.provider, price = rng.choice(MODELS["image_studio"])
    item.title = concept.title if rng.random() < 0.55 else f"{concept.title} ({style.split(',')[0]})"
    item.prompt = f"{concept.subject}, {style}"
    item.description = rng.choice([
        "", "", f"First pass at {concept.title.lower()}.", "Shortlisted for the Q3 campaign.",
        "Client liked the colours; try a tighter crop next.", "Good candidate for the homepage hero.",
        "Generated during the Thursday brainstorm.",
    ])
    item.tags = _pick_tags(rng, concept.tags)
    item.cost = money(Decimal(price) * rng.choice([1, 1, 1, 2]))
    item.metadata = {
        "seed": rng.randrange(2**31),
        "aspect_ratio": _aspect_ratio(*size),
        "style": style,
        **({"quality": rng.choice(["standard", "hd"])} if item.model == "dall-e-3"
           else {"steps": rng.choice([20, 25, 30, 40]), "guidance_scale": rng.choice([3.5, 5, 7, 7.5])}),
    }


def _plan_image_child(item: PlannedAsset, rng: random.Random, parent: PlannedAsset, *, version: int) -> None:
    """A variation, upscale or recolour of an earlier image: it looks like its parent."""
    recipe = parent.image
    operation = rng.choice(["variation", "variation", "variation", "upscale", "recolour"])
    if operation == "upscale" and max(recipe.size) > 384:
        operation = "variation"
    if operation == "variation":
        item.image = ImageRecipe(recipe.composition, recipe.palette, recipe.size, rng.randrange(2**31), recipe.fmt)
        item.title = f"{parent.title} (variation {version})"
        item.metadata = {"operation": "variation", "strength": rng.choice([0.35, 0.5, 0.65, 0.8])}
    elif operation == "upscale":
        item.image = ImageRecipe(recipe.composition, recipe.palette, (recipe.size[0] * 2, recipe.size[1] * 2),
                                 recipe.seed, recipe.fmt)
        item.title = f"{parent.title} (upscaled 2x)"
        item.metadata = {"operation": "upscale", "scale": 2}
    else:
        palette = rng.choice([name for name in PALETTES if name != recipe.palette])
        item.image = ImageRecipe(recipe.composition, palette, recipe.size, recipe.seed, recipe.fmt)
        item.title = f"{parent.title} ({palette} palette)"
        item.metadata = {"operation": "edit", "instruction": f"recolour with a {palette} palette"}
    item.source_module = "image_studio"
    item.model, item.provider = parent.model, parent.provider
    item.prompt = parent.prompt
    item.description = rng.choice(["", f"{operation.capitalize()} of an earlier favourite.",
                                   "Closer to what the client asked for."])
    item.tags = list(parent.tags)
    base = next(price for model, _provider, price in MODELS["image_studio"] if model == parent.model)
    item.cost = money(Decimal(base) * (Decimal("0.5") if operation == "upscale" else 1))
    item.metadata["aspect_ratio"] = _aspect_ratio(*item.image.size)
    item.parent_index = parent.index
    item.created_at = _after(parent.created_at, item.created_at, minutes=rng.randint(2, 2880))


def _plan_video(item: PlannedAsset, rng: random.Random, clips: list[VideoClip]) -> None:
    if item.status == AssetStatus.COMPLETED:
        item.clip = clips.pop()
        concept = item.clip
        item.duration_seconds = concept.seconds
    else:
        concept = rng.choice(VIDEO_CLIPS)
    uploaded = item.status == AssetStatus.COMPLETED and rng.random() < 0.1
    if uploaded:
        item.source_module = "upload"
        item.upload_name = f"screen-recording-{rng.randint(100, 999)}.{concept.file_name.rsplit('.', 1)[1]}"
        item.title = item.upload_name.rsplit(".", 1)[0]
        item.tags = _pick_tags(rng, concept.tags, "b-roll")
        return
    item.source_module = "video_studio"
    item.model, item.provider, price = rng.choice(MODELS["video_studio"])
    item.title = concept.title
    item.prompt = concept.prompt
    item.description = rng.choice(["", "Loop for the launch page.", "B-roll candidate.", "Social story background."])
    item.tags = _pick_tags(rng, concept.tags, "b-roll" if rng.random() < 0.4 else None)
    item.cost = money(Decimal(price) * rng.choice([1, 1, 2]))
    item.metadata = {"fps": 12, "duration": concept.seconds, "motion": rng.choice(["low", "medium", "high"]),
                     "aspect_ratio": _aspect_ratio(concept.width, concept.height)}


def _plan_audio(item: PlannedAsset, rng: random.Random) -> None:
    concept = rng.choice(AUDIO_CONCEPTS)
    seconds = round(rng.uniform(1.0, 3.0), 2)
    if concept.kind in ("chime", "whoosh"):
        seconds = round(rng.uniform(1.0, 1.6), 2)
    if item.status == AssetStatus.COMPLETED:
        item.audio = AudioRecipe(concept.kind, seconds, rng.randrange(2**31))
        item.duration_seconds = seconds
    if item.status == AssetStatus.COMPLETED and rng.random() < 0.1:
        item.source_module = "upload"
        item.upload_name = f"voice-memo-{rng.randint(1, 99):02d}.wav"
        item.title = item.upload_name.rsplit(".", 1)[0]
        item.tags = _pick_tags(rng, concept.tags)
        return
    item.source_module = "podcast_maker"
    item.model, item.provider, per_second = rng.choice(AUDIO_MODELS[concept.kind])
    item.title = concept.title
    item.prompt = concept.prompt
    item.tags = _pick_tags(rng, concept.tags)
    item.cost = money(Decimal(per_second) * Decimal(str(seconds)) * 10)
    item.metadata = {"sample_rate": SAMPLE_RATE, "format": "wav"}
    if concept.kind == "voice":
        item.metadata["voice"] = rng.choice(VOICES)
        item.metadata["stability"] = rng.choice([0.3, 0.5, 0.7])


def _plan_text(item: PlannedAsset, rng: random.Random, plan: list[PlannedAsset]) -> None:
    module = rng.choices(list(TEXT_MODULE_WEIGHTS), weights=list(TEXT_MODULE_WEIGHTS.values()))[0]
    item.source_module = module
    item.model, item.provider, per_token = rng.choice(MODELS["text"])
    if module == "story_writer":
        item.title, text, item.prompt, tone = story_text(rng)
        item.tags = _pick_tags(rng, rng.choice([("fantasy", "kids"), ("moody", "fantasy"), ("kids", "holiday"),
                                                ("sci-fi", "fantasy"), ("nature", "kids")]))
        item.metadata = {"tone": tone, "target_words": 300}
    elif module == "blog_writer":
        topic = rng.choice(BLOG_TOPICS)
        text, item.prompt = blog_text(rng, topic)
        item.title, item.blog_topic = topic.title, topic
        item.tags = _pick_tags(rng, topic.tags, "blog")
        item.metadata = {"audience": topic.audience, "format": "markdown"}
    else:
        blogs = [p for p in plan if p.source_module == "blog_writer" and p.status == AssetStatus.COMPLETED]
        repurpose = rng.choice(blogs) if blogs and rng.random() < 0.3 else None
        writer = linkedin_text if module == "linkedin_writer" else facebook_text
        item.title, text, item.prompt, tags = writer(rng, repurpose=repurpose.blog_topic if repurpose else None)
        item.tags = _pick_tags(rng, tags, "social")
        if repurpose is not None:
            item.parent_index = repurpose.index
            item.created_at = _after(repurpose.created_at, item.created_at, minutes=rng.randint(5, 600))
            item.metadata = {"repurposed_from": "blog_writer"}
    words = len(text.split())
    item.metadata.update({"word_count": words, "tokens": int(words * 1.35) + len(item.prompt.split()) * 2})
    item.cost = money(Decimal(per_token) * item.metadata["tokens"] * 8)
    if item.status == AssetStatus.COMPLETED:
        item.text = text


def _plan_lifecycle(item: PlannedAsset, rng: random.Random, seed: int) -> None:
    """What the status implies: no file before completion, an error and little cost on failure."""
    if item.source_module != "upload":
        item.external_id = _external_id(seed, item.index, item.source_module)
    if item.status == AssetStatus.FAILED:
        item.error_message = rng.choice(ERROR_MESSAGES)
        item.cost = money(item.cost * Decimal("0.5")) if rng.random() < 0.3 else Decimal("0")
    elif item.status == AssetStatus.PENDING:
        item.cost = Decimal("0")
        item.metadata = {**item.metadata, "queue_position": rng.randint(1, 12)}
    elif item.status == AssetStatus.PROCESSING:
        item.cost = Decimal("0")
        item.metadata = {**item.metadata, "progress": rng.choice([10, 25, 40, 65, 80, 95])}
    if item.status != AssetStatus.COMPLETED:
        item.image = item.audio = item.clip = None
        item.text = None
        item.duration_seconds = None
    item.is_favorite = item.status == AssetStatus.COMPLETED and rng.random() < 0.13
