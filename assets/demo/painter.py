"""The demo's images: abstract concepts drawn with Pillow as gradients, suns, ridges, orbs,
stripes, rings, tiles and waves.

An `ImageRecipe` (composition, palette, size, seed, format) decides every pixel, so the
same recipe always paints the same file.
"""

import hashlib
import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

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
