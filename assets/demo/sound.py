"""The demo's audio: 16-bit mono WAV, 1-3 s, synthesised with plain Python (no numpy).

An `AudioRecipe` (kind, length, seed) decides every sample, so the same recipe always
gives the same file.
"""

import io
import math
import random
import sys
import wave
from array import array
from dataclasses import dataclass

SAMPLE_RATE = 22_050

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
