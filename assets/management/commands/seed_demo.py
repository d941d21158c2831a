"""`manage.py seed_demo`: a demo user and a believable library, made through the services.

Every asset goes through `assets.services.asset_create`, so its file passes the same
content checks as an upload. Images (Pillow), audio (the stdlib `wave` module) and text
are generated here at run time; the video clips are small committed files in
`assets/demo_media/` (see `make_clips.sh` there) because ffmpeg may be missing.

The plan depends only on `--seed` and `--assets`: the same arguments give the same
titles, prompts, tags and file contents (only ids and "now" differ). External ids are
derived from the seed too, so running the command twice with the same seed adds nothing.
With another seed it adds a new batch, except that a completed video whose clip the
library already holds resolves to that existing asset (there are only 20 clips).
"""

import hashlib
import io
import logging
import math
import random
import sys
import time
import wave
from array import array
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from assets.models import Asset, AssetStatus, AssetType
from assets.services import CreateResult, asset_create, assets_autotag, assets_trash

DEMO_MEDIA_DIR = Path(__file__).resolve().parents[2] / "demo_media"
MIN_ASSETS = 12
SPREAD_DAYS = 90

TYPE_SHARES = {AssetType.IMAGE: 0.47, AssetType.TEXT: 0.30, AssetType.AUDIO: 0.13, AssetType.VIDEO: 0.10}
STATUS_SHARES = {
    AssetStatus.COMPLETED: 0.80,
    AssetStatus.FAILED: 0.08,
    AssetStatus.PENDING: 0.07,
    AssetStatus.PROCESSING: 0.05,
}
TEXT_MODULE_WEIGHTS = {"story_writer": 30, "blog_writer": 25, "linkedin_writer": 28, "facebook_writer": 17}

TAG_VOCABULARY = (
    "sunset", "ocean", "mountains", "nature", "city", "landscape", "portrait", "product", "food", "tech",
    "finance", "fitness", "holiday", "kids", "fantasy", "sci-fi", "abstract", "background", "illustration",
    "minimal", "vibrant", "pastel", "moody", "retro", "neon", "brand", "logo-concept", "hero-image",
    "ad-creative", "social", "blog", "newsletter", "podcast", "voiceover", "intro", "b-roll", "launch",
    "campaign-q3", "client-acme", "draft", "approved", "team", "onboarding",
)
WORKFLOW_TAGS = ("campaign-q3", "client-acme", "draft", "approved", "launch", "newsletter", "social")

# module -> [(model, provider, base cost per generation)]
MODELS = {
    "image_studio": [
        ("ideogram-v3-turbo", "ideogram", "0.0300"),
        ("stability-ultra", "stability", "0.0800"),
        ("flux-1.1-pro", "black-forest-labs", "0.0400"),
        ("dall-e-3", "openai", "0.0400"),
        ("imagen-3", "google", "0.0400"),
    ],
    "video_studio": [
        ("runway-gen3", "runway", "0.5000"),
        ("luma-dream-machine", "luma", "0.4000"),
        ("kling-1.6", "kling", "0.2800"),
    ],
    "text": [
        ("gpt-4o", "openai", "0.0000100"),
        ("claude-sonnet", "anthropic", "0.0000150"),
        ("gemini-1.5-pro", "google", "0.0000070"),
        ("mistral-large", "mistral", "0.0000060"),
    ],
}
# audio kind -> [(model, provider, cost per second)]
AUDIO_MODELS = {
    "voice": [("elevenlabs-v2", "elevenlabs", "0.0150"), ("tts-1-hd", "openai", "0.0080")],
    "jingle": [("suno-v3.5", "suno", "0.0250")],
    "chime": [("stable-audio-2", "stability", "0.0100")],
    "pad": [("stable-audio-2", "stability", "0.0100")],
    "whoosh": [("stable-audio-2", "stability", "0.0100")],
}

ERROR_MESSAGES = (
    "Provider timed out after 120 s.",
    "Rejected by the provider's safety filter: the prompt was flagged.",
    "Rate limited by the provider (HTTP 429); gave up after 5 retries.",
    "Upstream error: 502 Bad Gateway.",
    "Insufficient credits on the provider account.",
    "The provider returned an empty result.",
    "Invalid request: the requested aspect ratio is not supported by this model.",
)

# ---------------------------------------------------------------------------------------
# Images: concepts drawn as gradients, suns, ridges, orbs, stripes, rings, tiles and waves.

PALETTES = {
    "sunset": [(255, 94, 98), (255, 175, 123), (255, 224, 150), (94, 44, 110), (38, 24, 64)],
    "ocean": [(0, 119, 182), (144, 224, 239), (202, 240, 248), (0, 80, 140), (3, 4, 94)],
    "forest": [(82, 183, 136), (183, 228, 199), (240, 245, 200), (45, 106, 79), (8, 28, 21)],
    "neon": [(131, 56, 236), (255, 0, 110), (255, 190, 11), (58, 134, 255), (12, 10, 30)],
    "pastel": [(189, 224, 254), (255, 200, 221), (255, 240, 200), (205, 180, 219), (120, 110, 160)],
    "desert": [(244, 162, 97), (233, 196, 106), (255, 240, 210), (231, 111, 81), (38, 70, 83)],
    "mono": [(230, 230, 230), (180, 180, 185), (255, 255, 255), (110, 110, 120), (15, 15, 20)],
    "citrus": [(255, 186, 8), (250, 163, 7), (255, 245, 220), (232, 93, 4), (157, 2, 8)],
    "berry": [(114, 9, 183), (247, 37, 133), (255, 214, 232), (181, 23, 158), (40, 6, 80)],
    "nordic": [(94, 129, 172), (136, 192, 208), (236, 239, 244), (191, 97, 106), (46, 52, 64)],
    "autumn": [(221, 161, 94), (254, 250, 224), (255, 230, 170), (188, 71, 73), (40, 54, 24)],
    "aurora": [(28, 37, 65), (58, 80, 107), (111, 255, 233), (91, 192, 190), (11, 19, 43)],
}

SIZES = {
    "landscape": [(768, 512), (640, 360), (512, 384), (768, 432)],
    "portrait": [(512, 768), (384, 576), (360, 640), (432, 768)],
    "square": [(256, 256), (384, 384), (512, 512), (640, 640), (768, 768)],
}

IMAGE_STYLES = (
    "cinematic lighting", "watercolor", "isometric 3D render", "35mm film grain", "flat vector illustration",
    "soft pastel palette", "hyper-realistic, 8k", "studio lighting, shallow depth of field", "vaporwave",
    "oil painting", "paper-cut collage", "golden hour photography",
)


@dataclass(frozen=True)
class ImageConcept:
    title: str
    subject: str
    tags: tuple[str, ...]
    composition: str
    palettes: tuple[str, ...]


IMAGE_CONCEPTS = (
    ImageConcept("Lighthouse at Dusk", "a lone lighthouse on a rocky cliff at dusk, waves crashing below",
                 ("sunset", "ocean", "landscape"), "sunset", ("sunset", "berry", "ocean")),
    ImageConcept("Neon Alley", "a rain-soaked alley in Tokyo lit by neon signs, reflections on wet pavement",
                 ("city", "neon", "moody"), "stripes", ("neon", "berry")),
    ImageConcept("Citrus Splash", "fresh orange slices splashing into sparkling water, studio product shot",
                 ("product", "food", "vibrant"), "orbs", ("citrus", "desert")),
    ImageConcept("Alpine Morning", "snow-capped mountains above a misty pine valley at sunrise",
                 ("mountains", "nature", "landscape"), "mountains", ("nordic", "forest", "pastel")),
    ImageConcept("Desk Setup", "a minimalist desk with a laptop, a ceramic mug and a plant, soft daylight",
                 ("product", "tech", "minimal"), "grid", ("mono", "nordic", "pastel")),
    ImageConcept("Portrait in Teal", "studio portrait of a woman with freckles, teal and orange rim light",
                 ("portrait", "moody"), "orbs", ("ocean", "autumn", "aurora")),
    ImageConcept("Retro Diner", "a 1950s roadside diner at night, chrome details and pastel neon",
                 ("retro", "neon", "city"), "stripes", ("pastel", "neon", "sunset")),
    ImageConcept("Koi Pond", "koi fish circling in a lotus pond seen from above",
                 ("nature", "illustration", "pastel"), "rings", ("pastel", "ocean", "citrus")),
    ImageConcept("Sneaker Launch", "a floating sneaker surrounded by bold geometric shapes, hero banner",
                 ("product", "launch", "hero-image", "ad-creative"), "grid", ("neon", "citrus", "berry")),
    ImageConcept("Desert Highway", "an empty desert highway under a huge pink sky",
                 ("sunset", "landscape", "retro"), "sunset", ("desert", "sunset")),
    ImageConcept("Coffee Ritual", "pour-over coffee brewing on a wooden counter in morning light",
                 ("food", "product", "minimal"), "waves", ("autumn", "desert", "mono")),
    ImageConcept("Astronaut Garden", "an astronaut tending a glowing garden aboard a space station",
                 ("sci-fi", "fantasy", "illustration"), "orbs", ("aurora", "neon", "berry")),
    ImageConcept("Team Offsite", "a diverse team laughing around a table in a bright loft office",
                 ("team", "brand"), "grid", ("nordic", "citrus", "pastel")),
    ImageConcept("Fintech Dashboard", "floating glass charts and coins, abstract 3D render",
                 ("finance", "tech", "abstract"), "rings", ("aurora", "nordic", "mono")),
    ImageConcept("Dragon Over the Bay", "a paper-craft dragon flying over a harbour town at sunset",
                 ("fantasy", "kids", "sunset"), "mountains", ("sunset", "berry", "autumn")),
    ImageConcept("Holiday Window", "a cosy shop window with fairy lights and snow falling outside",
                 ("holiday", "city"), "orbs", ("autumn", "berry", "nordic")),
    ImageConcept("Yoga at Dawn", "a silhouette doing yoga on a cliff edge at dawn",
                 ("fitness", "sunset", "nature"), "sunset", ("pastel", "sunset", "desert")),
    ImageConcept("Logo Concept: Wave", "a minimal logo mark combining a wave and the letter A, flat vector",
                 ("logo-concept", "brand", "minimal"), "rings", ("ocean", "mono", "nordic")),
    ImageConcept("Aurora Cabin", "a wooden cabin under a green aurora, long exposure",
                 ("nature", "landscape", "moody"), "mountains", ("aurora", "forest")),
    ImageConcept("Abstract Flow", "flowing liquid gradients in magenta and gold, abstract wallpaper",
                 ("abstract", "background", "vibrant"), "waves", ("berry", "citrus", "neon")),
    ImageConcept("Skyline Blueprint", "a city skyline drawn as a technical blueprint",
                 ("city", "illustration", "minimal"), "stripes", ("ocean", "nordic", "mono")),
    ImageConcept("Beach Cleanup", "volunteers cleaning a beach at golden hour, documentary photo",
                 ("ocean", "campaign-q3", "team"), "waves", ("ocean", "desert", "sunset")),
    ImageConcept("Smartwatch Hero", "a smartwatch on a marble pedestal with soft shadows",
                 ("product", "tech", "hero-image"), "orbs", ("mono", "nordic", "aurora")),
    ImageConcept("Storybook Forest", "a fox reading under a giant mushroom, storybook illustration",
                 ("kids", "illustration", "fantasy", "nature"), "mountains", ("forest", "autumn", "pastel")),
    ImageConcept("Bauhaus Poster", "a bauhaus-inspired event poster with bold primary shapes",
                 ("retro", "illustration", "brand"), "grid", ("citrus", "desert", "mono")),
    ImageConcept("Summer Sale Banner", "a bright summer sale banner with palm leaves and sunglasses",
                 ("ad-creative", "campaign-q3", "vibrant"), "stripes", ("citrus", "sunset", "pastel")),
)

UPLOAD_IMAGE_NAMES = (
    "IMG_{n:04d}.jpg", "moodboard-v{v}.png", "brand-colors-final-{v}.png", "screenshot-{n}.png",
    "client-ref-{n:03d}.jpg", "hero-draft-{v}.jpg",
)


def _aspect_ratio(width: int, height: int) -> str:
    divisor = math.gcd(width, height)
    return f"{width // divisor}:{height // divisor}"


def _gradient(size, start, end, *, angle: int = 0) -> Image.Image:
    """A two-colour linear gradient; `angle` 0 runs top to bottom."""
    mask = Image.linear_gradient("L")
    if angle:
        mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        side = int(256 / math.sqrt(2))
        left = (mask.width - side) // 2
        mask = mask.crop((left, left, left + side, left + side))
    mask = mask.resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _mix(a, b, t: float):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _glow(img: Image.Image, center, radius: float, color, strength: int = 170) -> None:
    """A soft halo, blurred at quarter size (cheap) and scaled up."""
    w, h = img.size
    small = Image.new("L", (max(1, w // 4), max(1, h // 4)), 0)
    cx, cy, r = center[0] / 4, center[1] / 4, radius / 4
    ImageDraw.Draw(small).ellipse((cx - r, cy - r, cx + r, cy + r), fill=strength)
    mask = small.filter(ImageFilter.GaussianBlur(max(1.0, r / 2))).resize(img.size, Image.Resampling.BILINEAR)
    img.paste(Image.new("RGB", img.size, color), (0, 0), mask)


def _draw_sunset(size, pal, rng) -> Image.Image:
    w, h = size
    img = _gradient(size, pal[0], pal[1])
    horizon = int(h * rng.uniform(0.55, 0.72))
    radius = min(w, h) * rng.uniform(0.08, 0.16)
    cx, cy = w * rng.uniform(0.25, 0.75), horizon - radius * rng.uniform(0.1, 1.3)
    _glow(img, (cx, cy), radius * 2.6, pal[2])
    draw = ImageDraw.Draw(img)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=pal[2])
    if rng.random() < 0.5:  # a far ridge on the horizon
        points, x = [(0, horizon)], 0.0
        while x < w:
            x += w * rng.uniform(0.05, 0.15)
            points.append((x, horizon - h * rng.uniform(0.0, 0.08)))
        points += [(w, horizon), (0, horizon)]
        draw.polygon(points, fill=_mix(pal[3], pal[4], 0.3))
    sea = _gradient((w, h - horizon), pal[3], pal[4])
    img.paste(sea, (0, horizon))
    for k in range(rng.randint(5, 9)):  # the sun's reflection
        y = horizon + (h - horizon) * (k + 1) / 11
        half = radius * (1.1 - k / 10) * rng.uniform(0.6, 1.2)
        draw.rectangle((cx - half, y, cx + half, y + max(2, h / 120)), fill=_mix(pal[2], pal[3], k / 10))
    return img


def _draw_mountains(size, pal, rng) -> Image.Image:
    w, h = size
    img = _gradient(size, pal[0], pal[2] if rng.random() < 0.5 else pal[1])
    draw = ImageDraw.Draw(img)
    radius = min(w, h) * rng.uniform(0.05, 0.1)
    cx, cy = w * rng.uniform(0.15, 0.85), h * rng.uniform(0.12, 0.3)
    _glow(img, (cx, cy), radius * 3, _mix(pal[2], (255, 255, 255), 0.5), strength=120)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=_mix(pal[2], (255, 255, 255), 0.6))
    layers = rng.randint(3, 4)
    for layer in range(layers):
        base = h * (0.42 + 0.5 * layer / layers)
        color = _mix(_mix(pal[3], pal[1], 0.45), pal[4], layer / max(1, layers - 1))
        points, x = [(0, base)], 0.0
        while x < w:
            x += w * rng.uniform(0.06, 0.18)
            points.append((x, base - h * rng.uniform(0.02, 0.22)))
        points += [(w, h), (0, h)]
        draw.polygon(points, fill=color)
    return img


def _draw_orbs(size, pal, rng) -> Image.Image:
    w, h = size
    img = _gradient(size, pal[4], _mix(pal[3], pal[4], 0.4), angle=rng.choice([30, 45, 135, 210]))
    layer = Image.new("RGBA", (w // 2, h // 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer, "RGBA")
    for _ in range(rng.randint(5, 10)):
        r = min(w, h) / 2 * rng.uniform(0.08, 0.35)
        x, y = rng.uniform(0, w / 2), rng.uniform(0, h / 2)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*rng.choice(pal[:4]), rng.randint(110, 220)))
    layer = layer.filter(ImageFilter.GaussianBlur(min(w, h) / 90)).resize(size, Image.Resampling.BILINEAR)
    img.paste(layer, (0, 0), layer)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 8)):  # a few crisp bubbles on top
        r = min(w, h) * rng.uniform(0.01, 0.05)
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=pal[2], width=max(1, int(r / 5)))
    return img


def _draw_stripes(size, pal, rng) -> Image.Image:
    """Diagonal bands drawn as polygons at twice the size, then halved (cheap anti-aliasing)."""
    w, h = size[0] * 2, size[1] * 2
    img = Image.new("RGB", (w, h), pal[4])
    draw = ImageDraw.Draw(img)
    angle = math.radians(rng.choice([20, 30, 45, 120, 135, 150]))
    along = (math.cos(angle), math.sin(angle))
    across = (-along[1], along[0])
    reach = math.hypot(w, h) / 2
    cx, cy = w / 2, h / 2

    def point(a, b):
        return (cx + along[0] * a + across[0] * b, cy + along[1] * a + across[1] * b)

    offset = -reach
    while offset < reach:
        width = 2 * reach * rng.uniform(0.02, 0.09)
        end = offset + width
        band = [point(-reach, offset), point(reach, offset), point(reach, end), point(-reach, end)]
        draw.polygon(band, fill=rng.choice(pal[:4]))
        offset += width + 2 * reach * rng.uniform(0.0, 0.04)
    img = img.reduce(2)
    shade = Image.linear_gradient("L").resize(img.size, Image.Resampling.BILINEAR).point(lambda v: int(v * 0.55))
    img.paste(Image.new("RGB", img.size, pal[4]), (0, 0), shade)
    return img


def _draw_rings(size, pal, rng) -> Image.Image:
    w, h = size
    img = Image.new("RGB", size, pal[4])
    draw = ImageDraw.Draw(img)
    cx, cy = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.3, 0.7)
    radius = math.hypot(max(cx, w - cx), max(cy, h - cy))
    colors = list(pal[:4])
    rng.shuffle(colors)
    step = min(w, h) * rng.uniform(0.04, 0.09)
    k = 0
    while radius > step / 2:
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colors[k % len(colors)])
        radius -= step * rng.uniform(0.7, 1.3)
        k += 1
    if rng.random() < 0.5:
        r = min(w, h) * 0.08
        ox, oy = w * rng.uniform(0.1, 0.9), h * rng.uniform(0.1, 0.9)
        draw.ellipse((ox - r, oy - r, ox + r, oy + r), fill=pal[4], outline=pal[2], width=max(2, int(r / 6)))
    return img


def _draw_grid(size, pal, rng) -> Image.Image:
    w, h = size
    cols = rng.randint(3, 6)
    cell = w / cols
    rows = max(1, round(h / cell))
    cell_h = h / rows
    img = Image.new("RGB", size, pal[4])
    draw = ImageDraw.Draw(img)
    for row in range(rows):
        for col in range(cols):
            x0, y0 = col * cell, row * cell_h
            x1, y1 = x0 + cell, y0 + cell_h
            bg, fg = rng.sample(list(pal), 2)
            draw.rectangle((x0, y0, x1, y1), fill=bg)
            shape = rng.choice(["circle", "quarter", "half", "triangle", "square", "none"])
            inset = min(cell, cell_h) * 0.12
            if shape == "circle":
                draw.ellipse((x0 + inset, y0 + inset, x1 - inset, y1 - inset), fill=fg)
            elif shape == "quarter":
                corner = rng.choice([(x0, y0, 0), (x1, y0, 90), (x1, y1, 180), (x0, y1, 270)])
                cx, cy, start = corner
                r = min(cell, cell_h)
                draw.pieslice((cx - r, cy - r, cx + r, cy + r), start, start + 90, fill=fg)
            elif shape == "half":
                start = rng.choice([0, 90, 180, 270])
                draw.chord((x0 + inset, y0 + inset, x1 - inset, y1 - inset), start, start + 180, fill=fg)
            elif shape == "triangle":
                draw.polygon([(x0 + inset, y1 - inset), (x1 - inset, y1 - inset), ((x0 + x1) / 2, y0 + inset)], fill=fg)
            elif shape == "square":
                draw.rectangle((x0 + 2 * inset, y0 + 2 * inset, x1 - 2 * inset, y1 - 2 * inset), fill=fg)
    return img


def _draw_waves(size, pal, rng) -> Image.Image:
    w, h = size
    img = _gradient(size, pal[2], pal[0])
    draw = ImageDraw.Draw(img)
    bands = rng.randint(4, 7)
    for band in range(bands):
        base = h * (0.3 + 0.7 * band / bands)
        amp = h * rng.uniform(0.02, 0.07)
        freq = rng.uniform(1.0, 3.0) * 2 * math.pi / w
        phase = rng.uniform(0, 2 * math.pi)
        points = [(x, base + amp * math.sin(x * freq + phase)) for x in range(0, w + 8, 8)]
        color = _mix(pal[1], pal[3], band / max(1, bands - 1))
        if band == bands - 1:
            color = pal[4]
        draw.polygon([*points, (w, h), (0, h)], fill=color)
    return img


COMPOSITIONS = {
    "sunset": _draw_sunset,
    "mountains": _draw_mountains,
    "orbs": _draw_orbs,
    "stripes": _draw_stripes,
    "rings": _draw_rings,
    "grid": _draw_grid,
    "waves": _draw_waves,
}
SMOOTH_COMPOSITIONS = {"sunset", "mountains", "orbs", "waves"}


@dataclass
class ImageRecipe:
    composition: str
    palette: str
    size: tuple[int, int]
    seed: int
    fmt: str  # "PNG" or "JPEG"


def render_image(recipe: ImageRecipe, *, salt: str) -> bytes:
    """Draw the recipe; `salt` marks one pixel so that no two demo files share a checksum."""
    rng = random.Random(recipe.seed)
    img = COMPOSITIONS[recipe.composition](recipe.size, PALETTES[recipe.palette], rng)
    mark = hashlib.sha256(salt.encode()).digest()
    img.putpixel((img.width - 1, img.height - 1), tuple(mark[:3]))
    buffer = io.BytesIO()
    if recipe.fmt == "JPEG":
        img.save(buffer, format="JPEG", quality=86, optimize=False)
    else:
        img.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Audio: 16-bit mono WAV, 1-3 s, synthesised with plain Python.

SAMPLE_RATE = 22_050


@dataclass(frozen=True)
class AudioConcept:
    kind: str
    title: str
    prompt: str
    tags: tuple[str, ...]


AUDIO_CONCEPTS = (
    AudioConcept("voice", "Episode 14 Cold Open",
                 "Narrate the cold open of episode 14 of 'Small Batch': warm, curious, unhurried.",
                 ("podcast", "voiceover", "intro")),
    AudioConcept("voice", "Product Tour Voiceover",
                 "Friendly voiceover for a 60-second product tour of the new dashboard.",
                 ("voiceover", "product", "tech")),
    AudioConcept("voice", "Onboarding Welcome Message",
                 "A calm welcome message for new users, second person, under 20 seconds.",
                 ("onboarding", "voiceover")),
    AudioConcept("voice", "Audiobook Sample: Chapter One",
                 "Read the first paragraph of chapter one in a hushed storyteller voice.",
                 ("voiceover", "fantasy", "kids")),
    AudioConcept("voice", "Ad Read: Summer Sale",
                 "Energetic 15-second ad read announcing the summer sale, ends with the URL.",
                 ("ad-creative", "voiceover", "campaign-q3")),
    AudioConcept("jingle", "Podcast Intro Jingle",
                 "Upbeat three-second ukulele and glockenspiel jingle for a podcast intro.",
                 ("podcast", "intro", "brand")),
    AudioConcept("jingle", "Launch Sting",
                 "Short bright brass sting for a product launch video, major key.",
                 ("launch", "brand", "ad-creative")),
    AudioConcept("jingle", "Kids Show Theme Sketch",
                 "Playful toy-piano motif for a children's show, bouncy and simple.",
                 ("kids", "intro")),
    AudioConcept("chime", "Notification Chime",
                 "A soft two-note notification chime, friendly and not alarming.",
                 ("brand", "minimal", "tech")),
    AudioConcept("chime", "Success Sound",
                 "A short sparkling success sound for a completed checkout.",
                 ("product", "tech")),
    AudioConcept("pad", "Ambient Bed: Ocean",
                 "Calm ambient pad to sit under narration, ocean mood, no percussion.",
                 ("ocean", "background", "podcast")),
    AudioConcept("pad", "Meditation Drone",
                 "Warm low drone for a guided meditation, slowly breathing.",
                 ("fitness", "background", "moody")),
    AudioConcept("whoosh", "Whoosh Transition",
                 "A short airy whoosh for cuts between scenes.",
                 ("b-roll", "background")),
)

VOICES = ("Rachel", "Adam", "Bella", "Antoni", "Elli", "Josh", "nova", "onyx", "shimmer")


BLOCK = 64  # samples per envelope step (about 3 ms): smooth to the ear, cheap in Python
HARMONIC = ((1, 1.0), (2, 0.4), (3, 0.15))
BELL = ((1, 1.0), (2.76, 0.45), (5.4, 0.2))


def _tone(freq: float, seconds: float, envelope, *, partials=HARMONIC) -> list[float]:
    """One pitch: a single precomputed cycle repeated, shaped block by block by envelope(t)."""
    period = max(2, round(SAMPLE_RATE / freq))
    cycle = [sum(a * math.sin(2 * math.pi * m * k / period) for m, a in partials) for k in range(period)]
    n = int(seconds * SAMPLE_RATE)
    raw = (cycle * (n // period + 1))[:n]
    out: list[float] = []
    for start in range(0, n, BLOCK):
        gain = envelope(start / SAMPLE_RATE)
        out.extend([v * gain for v in raw[start : start + BLOCK]])
    return out


def _mix_into(out: list[float], tone: list[float], *, at: float) -> None:
    start = int(at * SAMPLE_RATE)
    end = min(len(out), start + len(tone))
    out[start:end] = [a + b for a, b in zip(out[start:end], tone, strict=False)]


def _decay(rate: float):
    return lambda t: math.exp(-rate * t) * min(1.0, t * 200)


def _synth_jingle(rng, seconds) -> list[float]:
    root = rng.uniform(220, 330)
    intervals = rng.choice([(0, 4, 7, 12), (0, 3, 7, 10), (0, 5, 9, 12), (0, 4, 7, 11)])
    out = [0.0] * int(seconds * SAMPLE_RATE)
    note_len = seconds / (len(intervals) + 1.5)
    for k, semitones in enumerate(intervals):
        at = k * note_len
        _mix_into(out, _tone(root * 2 ** (semitones / 12), seconds - at, _decay(4.0)), at=at)
    return out


def _synth_chime(rng, seconds) -> list[float]:
    out = [0.0] * int(seconds * SAMPLE_RATE)
    base = rng.uniform(600, 900)
    for k in range(rng.randint(2, 3)):
        at = k * 0.18
        freq = base * rng.choice([1, 1.25, 1.5, 2])
        _mix_into(out, _tone(freq, seconds - at, _decay(3.0), partials=BELL), at=at)
    return out


def _synth_pad(rng, seconds) -> list[float]:
    root = rng.uniform(110, 180)
    lfo = rng.uniform(0.3, 0.8)
    fade = 0.35

    def envelope(t):
        return min(1.0, t / fade, (seconds - t) / fade) * (0.8 + 0.2 * math.sin(2 * math.pi * lfo * t))

    out = [0.0] * int(seconds * SAMPLE_RATE)
    for freq in (root, root * 2 ** (rng.choice([3, 4]) / 12), root * 1.5, root * 2.01):
        _mix_into(out, _tone(freq, seconds, envelope, partials=((1, 1.0), (2, 0.1))), at=0)
    return out


def _synth_voice(rng, seconds) -> list[float]:
    """Speech-like babble: short syllables at wandering pitches, rich in harmonics."""
    out = [0.0] * int(seconds * SAMPLE_RATE)
    f0 = rng.uniform(100, 220)
    voice = ((1, 1.0), (2, 0.7), (3, 0.5), (4, 0.3), (5, 0.15))
    at = 0.05
    while at < seconds - 0.1:
        length = min(rng.uniform(0.09, 0.25), seconds - at)
        pitch = f0 * rng.uniform(0.85, 1.2)
        _mix_into(out, _tone(pitch, length, lambda t, n=length: math.sin(math.pi * t / n) ** 0.7,
                             partials=voice), at=at)
        at += length + rng.choice([0.02, 0.04, 0.06, 0.2])
    return out


def _synth_whoosh(rng, seconds) -> list[float]:
    n = int(seconds * SAMPLE_RATE)
    peak = rng.uniform(0.35, 0.65)
    out, low = [], 0.0
    for i in range(n):
        env = math.exp(-((i / n - peak) ** 2) / 0.03)
        low += (0.02 + 0.25 * env) * (rng.uniform(-1, 1) - low)  # a low-pass that opens as it passes
        out.append(env * low)
    return out


SYNTHS = {
    "jingle": _synth_jingle,
    "chime": _synth_chime,
    "pad": _synth_pad,
    "voice": _synth_voice,
    "whoosh": _synth_whoosh,
}


@dataclass
class AudioRecipe:
    kind: str
    seconds: float
    seed: int


def render_audio(recipe: AudioRecipe) -> bytes:
    signal = SYNTHS[recipe.kind](random.Random(recipe.seed), recipe.seconds)
    peak = max((abs(v) for v in signal), default=0.0) or 1.0
    samples = array("h", (int(v / peak * 0.8 * 32767) for v in signal))
    if sys.byteorder == "big":  # WAV is little-endian
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Video: committed clips (assets/demo_media/make_clips.sh), one asset per clip.


@dataclass(frozen=True)
class VideoClip:
    file_name: str
    width: int
    height: int
    seconds: float
    title: str
    prompt: str
    tags: tuple[str, ...]


VIDEO_CLIPS = (
    VideoClip("clip01.mp4", 320, 180, 2.0, "Fractal Zoom Intro",
              "slow zoom into a glowing fractal, psychedelic colours, seamless loop", ("abstract", "intro")),
    VideoClip("clip02.mp4", 320, 180, 2.0, "Sunset Gradient Loop",
              "animated warm gradient background for a product launch banner", ("sunset", "background", "launch")),
    VideoClip("clip03.mp4", 160, 90, 2.0, "Pixel Rain",
              "black and white generative pattern cascading down, glitch aesthetic", ("abstract", "retro")),
    VideoClip("clip04.mp4", 224, 126, 1.5, "Fractal Carpet",
              "geometric fractal carpet pattern, monochrome motion graphics", ("abstract", "minimal")),
    VideoClip("clip05.mp4", 192, 108, 2.0, "Plasma Waves",
              "flowing plasma waves in candy colours, abstract b-roll", ("abstract", "vibrant")),
    VideoClip("clip06.mp4", 256, 144, 2.0, "Setting Sun Animation",
              "minimal flat animation of the sun setting over a pink horizon", ("sunset", "minimal")),
    VideoClip("clip07.mp4", 224, 126, 1.5, "Broadcast Test Card",
              "retro broadcast test card with moving elements, VHS vibe", ("retro", "tech")),
    VideoClip("clip08.mp4", 256, 144, 2.0, "Seahorse Valley Dive",
              "deep dive into the seahorse valley of the Mandelbrot set, lush greens", ("abstract", "nature")),
    VideoClip("clip09.mp4", 180, 320, 2.0, "Story Background: Aqua",
              "9:16 animated gradient background for Instagram stories, aqua to mint", ("social", "background")),
    VideoClip("clip10.mp4", 160, 90, 1.0, "Colour Bars Glitch",
              "RGB colour bars cycling through hues, quick glitch transition", ("retro", "neon")),
    VideoClip("clip11.webm", 320, 180, 2.0, "Fractal Bloom",
              "a fractal opening like a flower, pink and teal, calm pacing", ("abstract", "pastel")),
    VideoClip("clip12.webm", 320, 180, 2.0, "Golden Hour Gradient",
              "slow drifting gradient from deep teal to golden hour amber", ("sunset", "background")),
    VideoClip("clip13.webm", 160, 90, 2.0, "Ripple Pulse",
              "concentric ripples pulsing out from the centre, purple and blue", ("abstract", "neon")),
    VideoClip("clip14.webm", 192, 108, 2.0, "Triangle Fractal",
              "a Sierpinski triangle assembling itself, white on black", ("minimal", "abstract")),
    VideoClip("clip15.webm", 160, 90, 1.5, "Game of Life Garden",
              "a cellular automaton growing like moss, green on dark", ("nature", "sci-fi")),
    VideoClip("clip16.webm", 224, 126, 2.0, "Lattice Drift",
              "a soft colourful lattice drifting sideways, loopable background", ("background", "vibrant")),
    VideoClip("clip17.webm", 256, 144, 1.0, "SMPTE Bars Bumper",
              "HD colour bars bumper for the start of an internal video", ("retro", "b-roll")),
    VideoClip("clip18.webm", 144, 256, 2.0, "Story Background: Berry",
              "9:16 gradient background in berry tones for social stories", ("social", "background", "pastel")),
    VideoClip("clip19.webm", 224, 126, 2.0, "Spiral Fractal Dive",
              "zoom into a spiral arm of a fractal, fiery oranges", ("abstract", "moody")),
    VideoClip("clip20.webm", 160, 90, 1.5, "Test Pattern Countdown",
              "old-school test pattern with a ticking counter, countdown bumper", ("retro", "intro")),
)


# ---------------------------------------------------------------------------------------
# Text: stories, blog intros, LinkedIn and Facebook posts, assembled from varied parts.

CHARACTERS = (
    ("Mara", "she", "her"), ("Theo", "he", "his"), ("Ines", "she", "her"), ("Jonah", "he", "his"),
    ("Priya", "she", "her"), ("Leo", "he", "his"), ("Aiko", "she", "her"), ("Samir", "he", "his"),
    ("Nadia", "she", "her"), ("Felix", "he", "his"), ("Ruth", "she", "her"), ("Omar", "he", "his"),
)
PLACES = (  # (first mention, later mentions, story title)
    ("a lighthouse on the northern cape", "the lighthouse", "Night at the Lighthouse"),
    ("a night market that sets up under the railway bridge", "the market", "Under the Railway Bridge"),
    ("a research station at the edge of the Antarctic shelf", "the station", "Letters from the Ice"),
    ("a bakery that only opens at midnight", "the bakery", "The Midnight Bakery"),
    ("the last bookshop on Harbour Street", "the bookshop", "The Last Bookshop"),
    ("a generation ship drifting past Neptune", "the ship", "Past Neptune"),
    ("a village where it always rains on Tuesdays", "the village", "Tuesday Rain"),
    ("an abandoned observatory above the town", "the observatory", "The Old Observatory"),
    ("a houseboat moored on a slow green river", "the houseboat", "Slow Green River"),
)
OBJECTS = (
    ("a brass key with no lock to match", "The Brass Key"),
    ("a map drawn in ink that only shows up by candlelight", "The Candlelight Map"),
    ("a radio that only plays tomorrow's weather", "Tomorrow's Weather"),
    ("a jar of bottled starlight", "Bottled Starlight"),
    ("an unsent letter addressed in a familiar hand", "The Unsent Letter"),
    ("a clockwork sparrow that sang out of tune", "The Clockwork Sparrow"),
    ("a recipe card written in a grandmother's looping script", "The Recipe Card"),
    ("a polaroid of a stranger standing exactly where they stood", "The Polaroid"),
)
STORY_TONES = ("whimsical", "bittersweet", "eerie", "hopeful", "cosy", "quietly funny")

STORY_OPENINGS = (
    "{name} had lived in {place} for {years} years, long enough to know every creak of the floorboards "
    "and every face that passed the window. So when {object} turned up on the doorstep one {weather} "
    "morning, {pron} knew at once that it did not belong to anyone {pron} had ever met.",
    "{name} lived in {place}, where nobody believed in coincidences. Still, it was hard to explain "
    "{object}, lying in the exact spot where {pron} had dropped {poss} gloves the night before.",
    "The first thing {name} noticed, arriving at {place} that {weather} evening, was the silence. The "
    "second was {object}, set neatly on the counter as if someone had been expecting {name} all along.",
    "{name} had promised to be home early, but {place} had other plans that {weather} night: on the way "
    "out, {pron} nearly tripped over {object}.",
)
STORY_MIDDLES = (
    "{pron_cap} turned it over in {poss} hands. It was warmer than it should have been, and when {pron} "
    "held it up to the light a faint hum rose from somewhere inside, like a song remembered from childhood.",
    "{companion}, who had an opinion about everything, had no opinion about this at all, which worried "
    "{name} more than anything else. They spent the afternoon asking neighbours, and every answer was "
    "slightly different and slightly wrong.",
    "By the third day the thing had moved twice on its own. {name} started keeping notes: times, places, "
    "the weather, the smell of the air. Patterns appeared, the way constellations do if you stare long enough.",
    "{pron_cap} tried to ignore it. {pron_cap} made tea, fed the cat, answered two emails and a postcard. "
    "But every time {pron} glanced across the room, it seemed to be waiting, patient as a held breath.",
)
STORY_TURNS = (
    "The answer, when it came, came from {companion}: an old photograph, a date written on the back, and "
    "a name {name} had not heard spoken in {years} years.",
    "At midnight a soft hum rose from it, and the walls of {here} seemed to lean in to listen. {name} "
    "realised, with a jolt, that it was not a song at all. It was directions.",
    "It was only when the power went out that {name} understood: the thing gave off a light of its own, "
    "soft and steady, pointing towards the one door {pron} had never opened.",
    "Then the letters started arriving, one a day, each in the same careful handwriting, each asking the "
    "same question: had {pron} found it yet?",
)
STORY_ENDINGS = (
    "{name} never did find out who had left it. But {pron} kept it on the windowsill, and on {weather} "
    "mornings {pron} would swear it turned, just slightly, towards the sun.",
    "In the end {pron} gave it away, the way you pass on a good book: to someone who looked like they "
    "needed it more. {here_cap} felt lighter afterwards, and so, oddly, did {name}.",
    "Some mysteries are meant to be solved and some are meant to be kept. {name} decided this one was "
    "the second kind, and slept better than {pron} had in years.",
    "When {companion} asked what had happened, {name} only smiled and put the kettle on. Some stories "
    "are better told slowly, over a second cup.",
)
COMPANIONS = ("Mrs Okafor from next door", "{poss} brother Tom", "the night-shift porter", "an old friend from school",
              "the postwoman, Dee", "{poss} grandmother")
WEATHERS = ("grey", "bright", "foggy", "windy", "rain-soaked", "frost-bitten", "sticky summer")


@dataclass(frozen=True)
class BlogTopic:
    title: str
    audience: str
    context: str
    points: tuple[str, ...]
    stat: str
    tags: tuple[str, ...]


BLOG_TOPICS = (
    BlogTopic(
        "How AI Image Tools Cut Our Campaign Turnaround from Two Weeks to Three Days",
        "marketing teams",
        "Last quarter our design team was the bottleneck for every launch. Briefs waited in a queue, "
        "reviews stacked up, and by the time a hero image was approved the copy had changed twice.",
        ("where generated images fit in (and where they don't)", "the review checklist we use before "
         "anything goes live", "how we keep a consistent look across 40 variations"),
        "Campaign assets now reach review in under 72 hours",
        ("campaign-q3", "ad-creative", "blog"),
    ),
    BlogTopic(
        "A Beginner's Guide to Building a Colour Palette for Your Brand",
        "founders and solo creators",
        "Most small brands pick colours the way people pick paint for a rental: quickly, and with regret. "
        "A palette is not decoration; it is the fastest way people recognise you.",
        ("starting from one anchor colour", "checking contrast before you fall in love",
         "turning five colours into a system your whole team can use"),
        "People decide how they feel about a product in about 90 seconds",
        ("brand", "blog", "pastel"),
    ),
    BlogTopic(
        "Why Your Product Photos Need a Consistent Background",
        "online shops",
        "Browse any marketplace and you can spot the shops that will be around next year: their grids look "
        "calm. Everything else looks like a garage sale.",
        ("choosing a background you can reproduce", "lighting that survives a phone camera",
         "batch-editing without losing the product's true colour"),
        "Consistent product grids lift click-through by double digits in our tests",
        ("product", "blog", "background"),
    ),
    BlogTopic(
        "Podcasting on a Budget: The Gear We Actually Use",
        "first-time podcasters",
        "We recorded our first ten episodes on a laptop microphone in a kitchen. They were not great. The "
        "fix was cheaper than we expected, and most of it was not gear at all.",
        ("the one microphone upgrade worth paying for", "treating a room with blankets and bookshelves",
         "a ten-minute editing routine"),
        "Listeners forgive bad video, but not bad audio",
        ("podcast", "blog", "voiceover"),
    ),
    BlogTopic(
        "Five Habits of Teams That Ship Every Week",
        "engineering and product leads",
        "Shipping weekly is less about speed than about size. The teams we admire cut work small, say no "
        "early, and treat Friday demos as a ritual rather than a performance.",
        ("writing the smallest useful slice", "making review a shared habit, not a gate",
         "keeping a visible list of what you decided not to do"),
        "Small batches halve the time a change spends waiting",
        ("team", "tech", "blog"),
    ),
    BlogTopic(
        "What We Learned Running Our First Holiday Campaign",
        "small retail brands",
        "We planned our holiday campaign in October and still ran out of time. Here is what we would do "
        "differently, starting with the spreadsheet nobody wanted to own.",
        ("planning backwards from the last shipping day", "reusing one shoot for twenty formats",
         "what to automate and what to keep personal"),
        "Over a third of our yearly orders arrived in six weeks",
        ("holiday", "campaign-q3", "blog"),
    ),
    BlogTopic(
        "Prompt Writing for Marketers: Start with the Shot, Not the Adjective",
        "marketers new to image generation",
        "'Beautiful, stunning, amazing' does very little. Describing the shot does a lot: the lens, the "
        "light, where the subject stands and what the viewer should notice first.",
        ("a five-part prompt template", "why negative prompts are a last resort",
         "keeping a shared library of prompts that worked"),
        "Our reuse rate for generated images went from 1 in 10 to 1 in 3",
        ("ad-creative", "illustration", "blog"),
    ),
    BlogTopic(
        "Onboarding That Feels Like a Conversation",
        "SaaS product teams",
        "The best onboarding we have seen asks one question, listens, and gets out of the way. The worst "
        "is a twelve-step tour nobody remembers.",
        ("asking the one question that shapes the first week", "empty states that teach",
         "measuring activation without nagging"),
        "Users who finish setup in one sitting are three times more likely to stay",
        ("onboarding", "tech", "blog"),
    ),
    BlogTopic(
        "The Quiet Power of Minimal Landing Pages",
        "startups preparing a launch",
        "Every section you add to a landing page is a question the visitor has to answer. We rebuilt ours "
        "with four sections and a single button, and it outperformed the long version within a week.",
        ("deciding what the page is for", "writing a headline you could say out loud",
         "testing without a growth team"),
        "Our shortest page converted best",
        ("minimal", "brand", "launch"),
    ),
    BlogTopic(
        "Meal-Prep Sundays: A Small Ritual That Changed Our Week",
        "busy families",
        "Two hours on a Sunday afternoon, a radio, and a lot of containers. It sounds dull; it turned out "
        "to be the calmest part of our week.",
        ("a shopping list that writes itself", "three bases, nine meals",
         "getting kids to help without chaos"),
        "We now spend less on takeaway in a month than we used to in a week",
        ("food", "fitness", "blog"),
    ),
)
BLOG_HOOKS = (
    "{stat}. That number surprised us too.",
    "If you are one of the {audience} we talk to every week, this will sound familiar.",
    "This post started as a note in our team chat and grew into something worth sharing.",
    "Here is a confession: we got this wrong for years.",
)
BLOG_CLOSINGS = (
    "None of this needs a big budget. It needs a little patience and a willingness to try things in public.",
    "Grab a coffee; it is a longer read, but every section ends with something you can try this week.",
    "We have included the templates we use, so you can steal them outright.",
)

LINKEDIN_TOPICS = (
    ("We shipped our new asset library last week.",
     "The feature everyone asked for was search. The feature everyone actually uses is favourites. "
     "We only found out because we watched five customers work for an hour each.",
     "Watch people use your product before you ask them what they want.",
     ("#product", "#ux", "#startups"), ("launch", "tech", "social")),
    ("Three years ago I was let go on a Tuesday morning.",
     "By Friday I had written down every skill I used in that job that nobody had asked me to learn. "
     "That list became the outline of the business I run today.",
     "Your side skills are often your next main skill.",
     ("#career", "#entrepreneurship"), ("social", "team")),
    ("Our Q3 campaign came in 30% under budget.",
     "Not because we cut corners. We generated first drafts of every visual, threw away most of them, "
     "and spent the savings on one great photo shoot for the hero.",
     "Use automation for volume, and people for taste.",
     ("#marketing", "#ai", "#creativity"), ("campaign-q3", "ad-creative", "social")),
    ("The best hire I ever made had no degree in the field.",
     "She had a portfolio of tiny projects, a habit of writing down what went wrong, and a very good "
     "question in the interview: 'What would make you regret hiring me?'",
     "Hire for curiosity and the ability to reflect.",
     ("#hiring", "#leadership"), ("team", "social")),
    ("We almost cancelled our podcast after episode six.",
     "Downloads were flat. Then one listener emailed to say an episode helped her negotiate a raise. "
     "We printed that email and put it above the microphone.",
     "Measure impact, not only reach.",
     ("#podcasting", "#contentcreation"), ("podcast", "social")),
    ("A client asked us to make their logo 'pop' last month.",
     "We made it smaller. We gave it room, removed two colours and moved it to the top left. It has never "
     "looked more confident.",
     "Often the fix is subtraction.",
     ("#design", "#branding"), ("brand", "logo-concept", "client-acme")),
    ("Remote onboarding used to take us six weeks.",
     "Now it takes ten days. The change was embarrassingly simple: every new hire ships something small "
     "to production in their first week, with a buddy beside them.",
     "Confidence comes from shipping, not from reading docs.",
     ("#remotework", "#onboarding"), ("onboarding", "team", "social")),
    ("Our finance team automated their month-end close.",
     "What used to be three late nights is now a morning of checking numbers that reconcile themselves. "
     "The team spent the saved time on forecasting, which is the work they actually enjoy.",
     "Automate the routine so people can do the interesting part.",
     ("#finance", "#automation"), ("finance", "tech", "social")),
)
LINKEDIN_CLOSERS = (
    "What is one thing you learned the hard way this year?",
    "Curious whether others have seen the same. Agree or disagree?",
    "If this was useful, pass it on to someone who needs it today.",
    "I would love to hear how your team handles this.",
)

FACEBOOK_POSTS = (
    ("Saturday Market Stall",
     "Big news, neighbours! We will have a stall at the Saturday farmers' market from 9 until noon.\n\n"
     "Come say hello, try the new {flavour} and bring your own cup for 10% off. Little ones get a free "
     "sticker while they last.",
     ("food", "social")),
    ("Behind the Scenes: Shoot Day",
     "Behind the scenes from yesterday's shoot: three cameras, one very patient dog and a lot of "
     "{flavour} for the crew.\n\nThe final photos go up next week. Which look do you like better, "
     "the bright one or the moody one?",
     ("social", "ad-creative")),
    ("Holiday Opening Hours",
     "Quick note on our holiday opening hours: we close early on the 24th and reopen on the 27th.\n\n"
     "Orders placed before Thursday still arrive in time. Thank you for a wonderful year, from all of us.",
     ("holiday", "social")),
    ("Meet the Team: {name}",
     "Meet {name}, who joined us this spring and has already reorganised the entire stockroom "
     "(we can find things now!).\n\nAsk {name} about {flavour} and you will get a ten-minute answer "
     "and a sample.",
     ("team", "social")),
    ("Summer Sale Starts Friday",
     "Our summer sale starts Friday at 8am. Everything in the garden range is 25% off, and the "
     "{flavour} bundle is back by popular demand.\n\nSet a reminder; last year it sold out by lunch.",
     ("campaign-q3", "ad-creative", "social")),
    ("Kids' Workshop This Sunday",
     "This Sunday we are running a free kids' workshop: build your own paper lantern, then light it up "
     "at dusk.\n\nAges 5-11, parents welcome, {flavour} provided. Spaces are limited, so comment to "
     "reserve one.",
     ("kids", "social")),
)
FLAVOURS = ("cold brew", "lemon and thyme cake", "cardamom buns", "iced hibiscus tea", "sourdough",
            "peach lemonade", "hazelnut brownies")


def _fill(template: str, slots: dict) -> str:
    return template.format(**slots)


def story_text(rng: random.Random) -> tuple[str, str, str, str]:
    """(title, text, prompt, tone) of a four-paragraph short story."""
    name, pron, poss = rng.choice(CHARACTERS)
    place, here, place_title = rng.choice(PLACES)
    obj, obj_title = rng.choice(OBJECTS)
    companion = rng.choice(COMPANIONS).format(poss=poss)
    slots = {
        "name": name, "pron": pron, "pron_cap": pron.capitalize(), "poss": poss, "place": place,
        "here": here, "here_cap": here.capitalize(), "object": obj, "companion": companion,
        "weather": rng.choice(WEATHERS), "years": rng.choice(["three", "seven", "eleven", "twenty"]),
    }
    paragraphs = [_fill(rng.choice(pool), slots) for pool in (STORY_OPENINGS, STORY_MIDDLES, STORY_TURNS,
                                                              STORY_ENDINGS)]
    title = obj_title if rng.random() < 0.6 else place_title
    tone = rng.choice(STORY_TONES)
    prompt = f"Write a {tone} short story (about 300 words) about {obj}, set in {place}. Main character: {name}."
    return title, "\n\n".join(paragraphs), prompt, tone


def blog_text(rng: random.Random, topic: BlogTopic) -> tuple[str, str]:
    """(text, prompt) of a blog post intro with the list of what the post covers."""
    hook = _fill(rng.choice(BLOG_HOOKS), {"stat": topic.stat, "audience": topic.audience})
    bullets = "\n".join(f"- {point[0].upper()}{point[1:]}" for point in topic.points)
    text = (
        f"# {topic.title}\n\n{hook} {topic.context}\n\n"
        f"In this post we walk through what changed and why, written for {topic.audience}:\n\n{bullets}\n\n"
        f"{rng.choice(BLOG_CLOSINGS)}"
    )
    prompt = (
        f"Write the introduction of a blog post titled '{topic.title}' for {topic.audience}. "
        f"Friendly, practical, under 250 words, end with a list of what the post covers."
    )
    return text, prompt


def linkedin_text(rng: random.Random, *, repurpose: BlogTopic | None = None) -> tuple[str, str, str, tuple]:
    """(title, text, prompt, tags) of a LinkedIn post, optionally promoting a blog post."""
    if repurpose is not None:
        bullets = "\n".join(f"→ {p[0].upper()}{p[1:]}" for p in repurpose.points)
        text = (
            f"{repurpose.stat}.\n\nWe wrote up how we got there for {repurpose.audience}:\n\n{bullets}\n\n"
            f"Full post: \"{repurpose.title}\" (link in the comments).\n\n{rng.choice(LINKEDIN_CLOSERS)}"
        )
        prompt = f"Turn the blog post '{repurpose.title}' into a LinkedIn post with three arrows and a question."
        return f"LinkedIn: {repurpose.title}", text, prompt, repurpose.tags[:2] + ("social",)
    hook, body, lesson, hashtags, tags = rng.choice(LINKEDIN_TOPICS)
    text = f"{hook}\n\n{body}\n\nThe lesson: {lesson}\n\n{rng.choice(LINKEDIN_CLOSERS)}\n\n{' '.join(hashtags)}"
    prompt = f"Write a LinkedIn post that opens with '{hook}' and ends with a question. Lesson: {lesson}"
    return hook.rstrip("."), text, prompt, tags


def facebook_text(rng: random.Random, *, repurpose: BlogTopic | None = None) -> tuple[str, str, str, tuple]:
    """(title, text, prompt, tags) of a Facebook page post."""
    if repurpose is not None:
        text = (
            f"New on the blog: {repurpose.title}\n\n{repurpose.context}\n\n"
            f"Have a read and tell us what you would add. Link below!"
        )
        return f"Facebook: {repurpose.title}", text, f"Facebook post promoting '{repurpose.title}'", (
            *repurpose.tags[:2], "social")
    title, template, tags = rng.choice(FACEBOOK_POSTS)
    name = rng.choice(CHARACTERS)[0]
    slots = {"flavour": rng.choice(FLAVOURS), "name": name}
    text = _fill(template, slots)
    return _fill(title, slots), text, f"Friendly Facebook page post: {_fill(title, slots).lower()}", tags


# ---------------------------------------------------------------------------------------
# The plan: one PlannedAsset per asset, decided up front from the seed.


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


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.0001"))


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
    item.cost = _money(Decimal(price) * rng.choice([1, 1, 1, 2]))
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
    item.cost = _money(Decimal(base) * (Decimal("0.5") if operation == "upscale" else 1))
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
    item.cost = _money(Decimal(price) * rng.choice([1, 1, 2]))
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
    item.cost = _money(Decimal(per_second) * Decimal(str(seconds)) * 10)
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
    item.cost = _money(Decimal(per_token) * item.metadata["tokens"] * 8)
    if item.status == AssetStatus.COMPLETED:
        item.text = text


def _plan_lifecycle(item: PlannedAsset, rng: random.Random, seed: int) -> None:
    """What the status implies: no file before completion, an error and little cost on failure."""
    if item.source_module != "upload":
        item.external_id = _external_id(seed, item.index, item.source_module)
    if item.status == AssetStatus.FAILED:
        item.error_message = rng.choice(ERROR_MESSAGES)
        item.cost = _money(item.cost * Decimal("0.5")) if rng.random() < 0.3 else Decimal("0")
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


# ---------------------------------------------------------------------------------------
# The command.


@contextmanager
def _quiet_task_log():
    """Eager Celery logs one INFO line per task; keep the command's output to its summary."""
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        yield
    finally:
        trace.setLevel(level)


class Command(BaseCommand):
    help = "Create (or reuse) a demo user and fill its library with a believable set of assets."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the user already has assets.")
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-pass-123", help="Set only when the user is created.")
        parser.add_argument("--assets", type=int, default=240, help=f"How many assets (at least {MIN_ASSETS}).")
        parser.add_argument("--seed", type=int, default=42, help="The same seed gives the same library.")

    def handle(self, *args, if_empty, username, password, assets, seed, **options):
        if assets < MIN_ASSETS:
            raise CommandError(f"--assets must be at least {MIN_ASSETS}.")
        started = time.monotonic()
        user = get_user_model().objects.filter(username=username).first()
        existing = Asset.objects.owned_by(user).count() if user is not None else 0
        if if_empty and existing:
            self.stdout.write(f"{username} already has {existing} assets; nothing to do (--if-empty).")
            return

        user = self._demo_user(user, username=username, password=password)
        plan = build_plan(count=assets, seed=seed, now=timezone.now(), video_clips=list(VIDEO_CLIPS))
        with _quiet_task_log():
            created = self._create(user=user, plan=plan, seed=seed)
        self._summarise(user=user, created=created, planned=len(plan), seconds=time.monotonic() - started)

    def _demo_user(self, user, *, username: str, password: str):
        """The demo user, created with `password` if missing; either way a staff superuser for /admin/."""
        if user is None:
            user = get_user_model()(
                username=username, email=f"{username}@example.com", is_staff=True, is_superuser=True
            )
            user.set_password(password)
            user.save()
            self.stdout.write(f"Created the staff superuser {username!r}.")
        elif not (user.is_staff and user.is_superuser and user.is_active):
            user.is_staff = user.is_superuser = user.is_active = True
            user.save(update_fields=["is_staff", "is_superuser", "is_active"])
            self.stdout.write(f"Made {username!r} a staff superuser; its password is unchanged.")
        return user

    def _create(self, *, user, plan: list[PlannedAsset], seed: int) -> dict[int, Asset]:
        """Create the plan through the services in one transaction; if it rolls back, remove the files stored."""
        created: dict[int, Asset] = {}
        ids: dict[int, object] = {}
        committed: list[bool] = []
        try:
            with transaction.atomic():
                # Registered first, so it runs first after the commit: a follow-up task that
                # fails later must not make us delete the files of committed assets.
                transaction.on_commit(lambda: committed.append(True))
                for item in plan:
                    result = self._create_one(user=user, item=item, seed=seed, parent_id=ids.get(item.parent_index))
                    ids[item.index] = result.asset.pk
                    if result.created:
                        created[item.index] = result.asset
                # Each asset_create schedules its own autotag task for after the commit; run
                # them here in one batch instead, inside this transaction, so that the
                # library is complete when it commits. The per-asset tasks that follow find
                # nothing left to add and write nothing (one commit each would otherwise
                # dominate the run time on SQLite).
                assets_autotag(asset_ids=[asset.pk for asset in created.values()])
                self._backdate(plan=plan, created=created)
                to_trash = [created[p.index].pk for p in plan if p.trash and p.index in created]
                if to_trash:  # assets_trash(ids=[]) raises EmptyResultSet at the moment
                    assets_trash(owner=user, ids=to_trash)
        except BaseException:
            if not committed:
                for asset in created.values():
                    if asset.file.name:
                        default_storage.delete(asset.file.name)
            raise
        return created

    def _create_one(self, *, user, item: PlannedAsset, seed: int, parent_id) -> CreateResult:
        fields = {
            "title": item.title, "prompt": item.prompt, "description": item.description, "model": item.model,
            "provider": item.provider, "cost": item.cost, "metadata": item.metadata,
            "is_favorite": item.is_favorite, "external_id": item.external_id, "error_message": item.error_message,
        }
        if item.duration_seconds is not None:
            fields["duration_seconds"] = item.duration_seconds
        # Every generated file is unique (images carry a pixel derived from seed and index),
        # so a file the library already holds means a re-run: asset_create returns that asset.
        return asset_create(
            owner=user,
            source_module=item.source_module,
            type=item.type,
            status=item.status,
            file=self._file(item, salt=f"{seed}:{item.index}"),
            text_content=item.text,
            tags=item.tags,
            parent=parent_id,
            **fields,
        )

    def _file(self, item: PlannedAsset, *, salt: str):
        """The item's file, named as its module would name it (uploads keep a person's file name)."""
        if item.image is not None:
            data, ext = render_image(item.image, salt=salt), "jpg" if item.image.fmt == "JPEG" else "png"
        elif item.audio is not None:
            data, ext = render_audio(item.audio), "wav"
        elif item.clip is not None:
            data, ext = (DEMO_MEDIA_DIR / item.clip.file_name).read_bytes(), item.clip.file_name.rsplit(".", 1)[1]
        else:
            return None
        return ContentFile(data, name=item.upload_name or f"{item.external_id}.{ext}")

    def _backdate(self, *, plan: list[PlannedAsset], created: dict[int, Asset]) -> None:
        """The services stamp "now"; spread the new assets over the last SPREAD_DAYS days instead."""
        rows = []
        for item in plan:
            asset = created.get(item.index)
            if asset is None:
                continue
            asset.created_at = item.created_at
            asset.updated_at = item.created_at + timedelta(seconds=random.Random(item.index).randint(5, 900))
            rows.append(asset)
        Asset.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=200)

    def _summarise(self, *, user, created: dict[int, Asset], planned: int, seconds: float) -> None:
        library = Asset.objects.owned_by(user)
        by_type = dict(library.values_list("type").annotate(n=Count("pk")).order_by())
        by_status = dict(library.values_list("status").annotate(n=Count("pk")).order_by())
        total_cost = _money(library.aggregate(total=Sum("cost"))["total"] or 0)
        self.stdout.write(self.style.SUCCESS(
            f"Created {len(created)} of {planned} planned assets for {user.username} in {seconds:.1f}s "
            f"({planned - len(created)} were already there)."
        ))
        self.stdout.write(f"  library: {library.count()} assets, {library.trashed().count()} in the trash, "
                          f"{library.filter(is_favorite=True).count()} favourites, cost {total_cost}")
        self.stdout.write("  by type:   " + ", ".join(f"{t} {by_type.get(t, 0)}" for t in AssetType.values))
        self.stdout.write("  by status: " + ", ".join(f"{s} {by_status.get(s, 0)}" for s in AssetStatus.values))
