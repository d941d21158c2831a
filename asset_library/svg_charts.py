"""Small charts as inline SVG, drawn on the server: vertical bars, lines and horizontal bars.

Each function returns one `<svg>` (safe HTML) sized by its viewBox, so it scales with its
box; colours come from CSS classes (pages.css), so dark mode and the accent follow the
page. Every chart is an image with a title and a description for screen readers, and
every bar or point carries a `<title>` that browsers show as its tooltip. The page puts
the same figures in a table for those who want the numbers.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT_SIZE = 12
CHAR_WIDTH = 6.6  # average width of a 12 px label, to keep labels from overlapping


@dataclass(frozen=True)
class Point:
    """One bar (or one x position of a line): its axis label and its tooltip."""

    label: str
    value: float
    tooltip: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    tone: str = "series-1"  # CSS class: the colour
    tooltips: Sequence[str] = ()


@dataclass(frozen=True)
class Bar:
    """A row of a horizontal bar chart."""

    label: str
    value: float
    display: str = ""  # the value as the chart writes it, e.g. "1,204" or "3.20 credits"
    tooltip: str = ""
    tone: str = ""


def nice_scale(maximum: float, ticks: int = 4) -> list[float]:
    """Round tick values from 0 to at least `maximum`: 0, 5, 10, 15, 20 rather than 0, 4.3, 8.6..."""
    if not maximum or maximum <= 0 or not math.isfinite(maximum):
        return [0.0, 1.0]
    rough = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    count = math.ceil(maximum / step - 1e-9)
    return [round(step * i, 10) for i in range(count + 1)]


def format_tick(value: float) -> str:
    """1500 → "1.5k", 0.25 → "0.25", 3.0 → "3"."""
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if abs(value) >= 1000:
        return f"{value / 1000:g}k"
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def _num(value: float) -> str:
    """A coordinate with at most one decimal."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(chart_id: str, width: float, height: float, title: str, description: str, css: str) -> list[str]:
    return [
        f'<svg class="chart {escape(css)}" id="{escape(chart_id)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT_SIZE}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _label_step(count: int, plot_width: float, labels: Sequence[str]) -> int:
    """Show every n-th x label so that the shown ones do not overlap."""
    if count == 0:
        return 1
    widest = max((len(label) for label in labels), default=1) * CHAR_WIDTH + 12
    fits = max(1, int(plot_width // widest))
    return max(1, math.ceil(count / fits))


def _y_axis(parts: list[str], scale: list[float], *, left: float, right: float, top: float, bottom: float,
            format_value: Callable[[float], str]) -> Callable[[float], float]:
    """Grid lines and tick labels; returns value → y."""
    top_value = scale[-1] or 1

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value / top_value)

    parts.append('<g class="chart-grid" aria-hidden="true">')
    for tick in scale:
        y = y_of(tick)
        parts.append(f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{_num(y)}" y2="{_num(y)}"/>')
        parts.append(
            f'<text class="chart-tick" x="{_num(left - 8)}" y="{_num(y)}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(format_value(tick))}</text>'
        )
    parts.append("</g>")
    return y_of


def _x_labels(parts: list[str], labels: Sequence[str], centres: Sequence[float], *, y: float, step: int) -> None:
    parts.append('<g class="chart-labels" aria-hidden="true">')
    last = len(labels) - 1
    for i, (label, x) in enumerate(zip(labels, centres, strict=True)):
        # Every step-th label, counted from the last one (the most recent period).
        if (last - i) % step:
            continue
        parts.append(f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</g>")


def bar_chart(
    points: Sequence[Point],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: float = 880,
    height: float = 260,
    format_tick_value: Callable[[float], str] = format_tick,
    tone: str = "series-1",
) -> SafeString:
    """Vertical bars over categories or periods, with a y axis of round ticks."""
    left, right, top, bottom = 48.0, width - 12, 12.0, height - 28
    parts = _open(chart_id, width, height, title, description, "chart-bars")
    scale = nice_scale(max((p.value for p in points), default=0))
    y_of = _y_axis(parts, scale, left=left, right=right, top=top, bottom=bottom, format_value=format_tick_value)
    slot = (right - left) / max(len(points), 1)
    bar_width = max(1.0, min(slot * 0.72, 48))
    centres = [left + slot * (i + 0.5) for i in range(len(points))]
    parts.append(f'<g class="chart-series {escape(tone)}">')
    for point, x in zip(points, centres, strict=True):
        y = y_of(point.value)
        heightened = max(bottom - y, 0 if point.value <= 0 else 1.5)
        parts.append(
            f'<rect class="chart-bar" x="{_num(x - bar_width / 2)}" y="{_num(bottom - heightened)}" '
            f'width="{_num(bar_width)}" height="{_num(heightened)}" rx="{_num(min(3, bar_width / 3))}">'
            f"<title>{escape(point.tooltip or f'{point.label}: {point.value}')}</title></rect>"
        )
        # A full-height, invisible target so that thin or empty bars still show their tooltip.
        parts.append(
            f'<rect class="chart-hit" x="{_num(x - slot / 2)}" y="{_num(top)}" width="{_num(slot)}" '
            f'height="{_num(bottom - top)}"><title>{escape(point.tooltip or point.label)}</title></rect>'
        )
    parts.append("</g>")
    parts.append(f'<line class="chart-axis" x1="{_num(left)}" x2="{_num(right)}" y1="{_num(bottom)}" '
                 f'y2="{_num(bottom)}" aria-hidden="true"/>')
    labels = [p.label for p in points]
    _x_labels(parts, labels, centres, y=bottom + 18, step=_label_step(len(points), right - left, labels))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: float = 880,
    height: float = 260,
    format_tick_value: Callable[[float], str] = format_tick,
) -> SafeString:
    """One line per series over the same x positions, with a legend and a point per value."""
    left, right, top, bottom = 48.0, width - 12, 32.0, height - 28
    parts = _open(chart_id, width, height, title, description, "chart-lines")
    highest = max((v for s in series for v in s.values), default=0)
    scale = nice_scale(highest)
    y_of = _y_axis(parts, scale, left=left, right=right, top=top, bottom=bottom, format_value=format_tick_value)
    count = len(labels)
    if count > 1:
        xs = [left + (right - left) * i / (count - 1) for i in range(count)]
    else:
        xs = [(left + right) / 2] * count
    # The legend, top right.
    parts.append('<g class="chart-legend" aria-hidden="true">')
    x = right
    for item in reversed(series):
        text_width = len(item.name) * CHAR_WIDTH
        x -= text_width
        parts.append(f'<text x="{_num(x)}" y="14">{escape(item.name)}</text>')
        x -= 16
        parts.append(
            f'<rect class="chart-swatch {escape(item.tone)}" x="{_num(x)}" y="6" width="10" height="10" rx="2"/>'
        )
        x -= 16
    parts.append("</g>")
    dots = count <= 60
    for item in series:
        coordinates = [(xs[i], y_of(v)) for i, v in enumerate(item.values)]
        parts.append(f'<g class="chart-series {escape(item.tone)}">')
        if coordinates:
            path = " ".join(f"{'M' if i == 0 else 'L'}{_num(px)},{_num(py)}" for i, (px, py) in enumerate(coordinates))
            area = f"{path} L{_num(coordinates[-1][0])},{_num(bottom)} L{_num(coordinates[0][0])},{_num(bottom)} Z"
            parts.append(f'<path class="chart-area" d="{area}"/>')
            parts.append(f'<path class="chart-line" d="{path}"/>')
        tooltips = list(item.tooltips) or [f"{labels[i]}: {v}" for i, v in enumerate(item.values)]
        for (px, py), tip in zip(coordinates, tooltips, strict=True):
            if dots:
                parts.append(f'<circle class="chart-dot" cx="{_num(px)}" cy="{_num(py)}" r="3"/>')
            parts.append(
                f'<circle class="chart-hit" cx="{_num(px)}" cy="{_num(py)}" r="9"><title>{escape(tip)}</title></circle>'
            )
        parts.append("</g>")
    parts.append(f'<line class="chart-axis" x1="{_num(left)}" x2="{_num(right)}" y1="{_num(bottom)}" '
                 f'y2="{_num(bottom)}" aria-hidden="true"/>')
    _x_labels(parts, labels, xs, y=bottom + 18, step=_label_step(count, right - left, labels))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above


def hbar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: float = 300,
    row_height: float = 28,
    label_width: float = 108,
) -> SafeString:
    """Labelled horizontal bars, longest = the largest value, each with its value at its end."""
    value_width = max((len(b.display or str(b.value)) for b in bars), default=1) * CHAR_WIDTH + 8
    height = max(row_height * len(bars), row_height)
    parts = _open(chart_id, width, height, title, description, "chart-hbars")
    track_left, track_right = label_width, width - value_width
    largest = max((b.value for b in bars), default=0) or 1
    max_label = int((label_width - 10) // CHAR_WIDTH)
    for i, bar in enumerate(bars):
        y = i * row_height
        middle = y + row_height / 2
        label = bar.label if len(bar.label) <= max_label else bar.label[: max_label - 1] + "…"
        length = (track_right - track_left) * (bar.value / largest)
        if bar.value > 0:
            length = max(length, 2)
        tone = f" {escape(bar.tone)}" if bar.tone else ""
        row = [
            f'<g class="chart-row{tone}">',
            f"<title>{escape(bar.tooltip or f'{bar.label}: {bar.display or bar.value}')}</title>",
            f'<text class="chart-row-label" x="0" y="{_num(middle)}" dominant-baseline="middle">{escape(label)}</text>',
            f'<rect class="chart-track" x="{_num(track_left)}" y="{_num(middle - 7)}" '
            f'width="{_num(track_right - track_left)}" height="14" rx="4"/>',
            f'<rect class="chart-bar" x="{_num(track_left)}" y="{_num(middle - 7)}" width="{_num(length)}" '
            f'height="14" rx="4"/>',
            f'<text class="chart-row-value" x="{_num(width)}" y="{_num(middle)}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(bar.display or str(bar.value))}</text>',
            "</g>",
        ]
        parts.extend(row)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
