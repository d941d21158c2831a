"""Tags the system derives from what it knows about an asset.

From the prompt: its content words (nouns, adjectives, names), plurals folded; see
`content_word` for what is left out and why. From the model: its
family (`ideogram-v3-turbo` -> `ideogram`). From the module: its slug. From an image's
pixels: its orientation and up to two dominant colour names. Pure functions here; the
service `asset_apply_auto_tags` stores them as `auto` links beside the manual ones.
"""

import colorsys
import functools
import re
from collections import Counter
from pathlib import Path

from PIL import Image
from stop_words import get_stop_words

# Ties are broken by first appearance, so a short prompt's later nouns need room: with 4,
# "Three red foxes running through snowy forests" would lose "forest" to "running" and "snowy".
MAX_PROMPT_KEYWORDS = 6

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    image picture photo photograph generate generated create make show showing style featuring feature
    detailed detail high quality ultra realistic hd 4k 8k render rendering shot view one two three""".split()
)


def _word_list(name: str) -> frozenset[str]:
    """The words of `assets/data/<name>`: one a line, `#` starts a comment."""
    lines = (Path(__file__).resolve().parent / "data" / name).read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if (word := line.split("#", 1)[0].strip().lower()))


# The stop-words package's English list is broad (1,300 words: "came", "make", "new", "open",
# "our", but also "man", "world", "fire"); a tag in it would be noise in most libraries.
ENGLISH_STOP_WORDS = frozenset(get_stop_words("en"))
REQUEST_WORDS = _word_list("request_words.txt")
GENERIC_VERBS = _word_list("generic_verbs.txt")
_FILLER = STOP_WORDS | ENGLISH_STOP_WORDS | REQUEST_WORDS
# Parts of speech that make a content word; a word the dictionary knows only as a verb or an
# adverb ("came", "explaining", "quickly") is not one.
_CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ"})

MODEL_FAMILIES = {
    "sd": "stable-diffusion", "sdxl": "stable-diffusion", "dall": "dall-e", "gpt": "gpt", "o": "gpt",
}

# A letter (any script: "café", "zürich"), then letters, apostrophes or hyphens.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['-])+")


def singular(word: str) -> str:
    """A light plural fold: cities -> city, boxes -> box, sunsets -> sunset (not glass, bus, iris)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


@functools.cache
def _lexicon():
    """lemminflect's English dictionary (parts of speech and lemmas) and the generic verbs' forms.

    Imported on first use: lemminflect brings numpy, which every process that never tags
    (web workers, most commands) should not pay for at start-up. Its data ships in the
    package; nothing is downloaded.
    """
    import lemminflect

    forms = set(GENERIC_VERBS)
    for verb in GENERIC_VERBS:
        for inflections in lemminflect.getAllInflections(verb, upos="VERB").values():
            forms.update(inflections)
    return lemminflect.getAllLemmas, frozenset(forms)


def _singular_noun(token: str, readings: dict) -> str:
    """The tag for `token`: a noun's lemma, keeping a plural that is a noun of its own ("glasses")
    and preferring the reading that is not the verb's ("leaves" -> "leaf", not "leave")."""
    nouns = readings.get("NOUN", ())
    if not nouns:
        return token if readings else singular(token)  # an adjective stays; an unknown word folds
    if token in nouns:
        return token
    verbs = readings.get("VERB", ())
    return next((noun for noun in nouns if noun not in verbs), nouns[0])


@functools.lru_cache(maxsize=65536)
def content_word(token: str) -> str | None:
    """`token` (lower case) as a tag, or None when it says nothing about the asset's content.

    Left out: stop words (the stop-words package's English list and image-prompt boilerplate),
    request words (`data/request_words.txt`: "post", "short", "linkedin"), every form of a
    generic verb (`data/generic_verbs.txt`: "write", "came", "writing"), and words that
    lemminflect knows only as verbs or adverbs. Kept: nouns, adjectives, and words it does not
    know (names, "café", "ideogram"). Cached: a library repeats its words.
    """
    token = token.strip("'-").removesuffix("'s")
    if len(token) < 3 or token in _FILLER:
        return None
    lemmas, generic_verb_forms = _lexicon()
    readings = lemmas(token)
    if readings and not readings.keys() & _CONTENT_POS:
        return None
    word = _singular_noun(token, readings)
    if len(word) < 3 or word in _FILLER or word in generic_verb_forms:
        return None
    return word


def prompt_keywords(prompt: str, limit: int = MAX_PROMPT_KEYWORDS) -> list[str]:
    """The prompt's most frequent content words, in first-seen order among ties."""
    words = [word for token in _WORD.findall((prompt or "").lower()) if (word := content_word(token))]
    counts = Counter(words)
    first_seen = {w: i for i, w in reversed(list(enumerate(words)))}
    ranked = sorted(counts, key=lambda w: (-counts[w], first_seen[w]))
    return ranked[:limit]


def model_family(model: str) -> str | None:
    match = re.match(r"[a-z]+", (model or "").lower())
    if not match:
        return None
    stem = match.group(0)
    return MODEL_FAMILIES.get(stem, stem) if len(stem) > 1 or stem in MODEL_FAMILIES else None


def module_tag(source_module: str) -> str | None:
    return source_module.replace("_", "-") if source_module else None


def orientation(width: int | None, height: int | None) -> str | None:
    if not width or not height:
        return None
    if width > height * 1.05:
        return "landscape"
    if height > width * 1.05:
        return "portrait"
    return "square"


def _colour_name(r: int, g: int, b: int) -> str:
    h, s, v = colorsys.rgb_to_hsv(r / 255, g / 255, b / 255)
    if v < 0.2:
        return "black"
    if s < 0.15:
        return "white" if v > 0.85 else "gray"
    hue = h * 360
    if s < 0.45 and v < 0.65 and 15 <= hue < 50:
        return "brown"
    for limit, name in ((15, "red"), (40, "orange"), (70, "yellow"), (160, "green"), (200, "teal"),
                        (255, "blue"), (290, "purple"), (340, "pink"), (361, "red")):
        if hue < limit:
            if name == "orange" and v < 0.6:
                return "brown"
            return name
    return "red"


def dominant_colours(fileobj, *, limit: int = 2, min_share: float = 0.2) -> list[str]:
    """Names of the colours covering at least `min_share` of the image, most common first.

    Transparent pixels (a logo's background) are not part of the picture: they are left out
    rather than counted as the black their RGB values hold.
    """
    with Image.open(fileobj) as img:
        img.draft("RGB", (64, 64))
        transparent = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        small = img.convert("RGBA" if transparent else "RGB")
        small.thumbnail((48, 48))
    counts = Counter()
    for number, pixel in small.getcolors(small.width * small.height):
        if not transparent or pixel[3] >= 128:
            counts[_colour_name(*pixel[:3])] += number
    total = sum(counts.values()) or 1
    return [name for name, n in counts.most_common() if n / total >= min_share][:limit]


def derive_tags(asset, *, image_file=None) -> list[str]:
    """Every automatic tag for `asset`, without duplicates; `image_file` is its open image, if any."""
    names = prompt_keywords(asset.prompt)
    names += [t for t in (model_family(asset.model), module_tag(asset.source_module)) if t]
    if asset.type == "image":
        shape = orientation(asset.width, asset.height)
        if shape:
            names.append(shape)
        if image_file is not None:
            names += [f"{colour}" for colour in dominant_colours(image_file)]
    return list(dict.fromkeys(names))
