"""Chart geometry for server-rendered SVG: numbers in, shapes out.

No charting library and no JavaScript: the classes here work out where bars,
points, ticks and labels go, and templates/insights/includes/chart.html draws
them. Coordinates are strings with a decimal point, because Django would
print a float in the page's language ("12,5" in Swedish) and SVG needs "12.5".
Series are told apart by more than colour (hatching, dashes, marker shapes),
so charts read in grey print and for people who do not see colours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lib.numbers import number_text

WIDTH = 640
FONT = 12


def _n(value: float) -> str:
    return f"{value:.1f}"


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for an axis at or above `value`, and the step between ticks."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    # Counts have whole ticks.
    step = max(step, 1) if value >= 1 else step
    return step * math.ceil(value / step), step


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


@dataclass(frozen=True)
class Tick:
    y: str
    label: str


@dataclass(frozen=True)
class Label:
    x: str
    y: str
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    series: int
    title: str
    value_label: Label | None


@dataclass(frozen=True)
class Line:
    series: int
    points: str


@dataclass(frozen=True)
class Marker:
    series: int
    x: str
    y: str
    path: str
    title: str


@dataclass
class Chart:
    """What a chart template needs; `kind` picks the drawing."""

    key: str
    title: str
    kind: str
    height: int
    series_names: list[str]
    width: int = WIDTH
    ticks: list[Tick] = field(default_factory=list)
    axis_x: tuple[str, str, str] = ("0", "0", "0")
    baseline: str = "0"
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    @property
    def legend(self) -> list[tuple[int, str]]:
        return list(enumerate(self.series_names))


def _format(value: float, decimals: int) -> str:
    return number_text(value, decimals)


def _axis_labels(
    chart: Chart,
    categories: list[str],
    under: list[str] | None,
    *,
    left: float,
    band: float,
    base_y: float,
) -> None:
    """Category names under the axis, thinned out when there are many, and a
    second line (the year under a month) where `under` has one."""
    every = math.ceil(len(categories) / 12)
    for c, category in enumerate(categories):
        x = _n(left + band * (c + 0.5))
        if c % every == 0:
            chart.labels.append(Label(x, _n(base_y + FONT + 6), category))
        if under and under[c]:
            chart.labels.append(Label(x, _n(base_y + 2 * FONT + 10), under[c]))


def column_chart(
    *,
    key: str,
    title: str,
    categories: list[str],
    series: list[Series],
    under: list[str] | None = None,
    decimals: int = 0,
) -> Chart:
    """Vertical bars, one group per category (a month), one bar per series."""
    left, right, top, bottom = 40, 8, 16, 44
    height = 240
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    top_value, step = nice_ceiling(
        max((v or 0) for s in series for v in s.values) if series else 0
    )
    chart = Chart(
        key=key,
        title=title,
        kind="columns",
        height=height,
        series_names=[s.name for s in series],
    )
    base_y = top + plot_h
    chart.baseline = _n(base_y)
    chart.axis_x = (_n(left), _n(left + plot_w), _n(base_y))
    for i in range(int(round(top_value / step)) + 1):
        value = i * step
        chart.ticks.append(
            Tick(_n(base_y - plot_h * value / top_value), _format(value, decimals))
        )
    count = max(len(categories), 1)
    band = plot_w / count
    group = band * 0.72
    bar_w = group / max(len(series), 1)
    _axis_labels(chart, categories, under, left=left, band=band, base_y=base_y)
    for c, category in enumerate(categories):
        group_x = left + band * c + (band - group) / 2
        for s, line in enumerate(series):
            value = line.values[c] or 0
            bar_h = plot_h * value / top_value
            x = group_x + bar_w * s
            text = _format(value, decimals)
            chart.bars.append(
                Bar(
                    x=_n(x),
                    y=_n(base_y - bar_h),
                    width=_n(max(bar_w - 1, 1)),
                    height=_n(bar_h),
                    series=s,
                    title=f"{category}, {line.name}: {text}",
                    value_label=(
                        Label(_n(x + bar_w / 2), _n(base_y - bar_h - 4), text)
                        if bar_w >= 16 and value
                        else None
                    ),
                )
            )
    return chart


def bar_chart(
    *,
    key: str,
    title: str,
    categories: list[str],
    series: list[Series],
    decimals: int = 0,
) -> Chart:
    """Horizontal bars under their labels: for ranked lists with long names."""
    bar_h, label_h, gap = 14, FONT + 6, 10
    row_h = label_h + bar_h * max(len(series), 1) + gap
    height = row_h * max(len(categories), 1) + 4
    value_room = 48
    plot_w = WIDTH - value_room
    top_value = max((v or 0) for s in series for v in s.values) if series else 0
    top_value = top_value or 1
    chart = Chart(
        key=key,
        title=title,
        kind="bars",
        height=height,
        series_names=[s.name for s in series],
    )
    for c, category in enumerate(categories):
        row_y = row_h * c
        chart.labels.append(
            Label("0", _n(row_y + FONT + 1), _clip(category), anchor="start")
        )
        for s, line in enumerate(series):
            value = line.values[c] or 0
            width = plot_w * value / top_value
            y = row_y + label_h + bar_h * s
            text = _format(value, decimals)
            chart.bars.append(
                Bar(
                    x="0",
                    y=_n(y),
                    width=_n(max(width, 1)),
                    height=_n(bar_h - 2),
                    series=s,
                    title=f"{category}, {line.name}: {text}",
                    value_label=Label(
                        _n(width + 6), _n(y + bar_h - 4), text, anchor="start"
                    ),
                )
            )
    return chart


# Marker shapes, centred on (0, 0): circle-ish diamond, square, triangle.
MARKERS = [
    "M 0 -5 L 5 0 L 0 5 L -5 0 Z",
    "M -4 -4 L 4 -4 L 4 4 L -4 4 Z",
    "M 0 -5 L 5 4 L -5 4 Z",
]


def line_chart(
    *,
    key: str,
    title: str,
    categories: list[str],
    series: list[Series],
    low: float,
    high: float,
    step: float,
    under: list[str] | None = None,
    decimals: int = 1,
    suffix: str = "",
) -> Chart:
    """Lines over months on a fixed scale; a missing value breaks the line."""
    left, right, top, bottom = 44, 8, 16, 44
    height = 240
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    chart = Chart(
        key=key,
        title=title,
        kind="lines",
        height=height,
        series_names=[s.name for s in series],
    )
    base_y = top + plot_h
    chart.baseline = _n(base_y)
    chart.axis_x = (_n(left), _n(left + plot_w), _n(base_y))

    def y_of(value: float) -> float:
        return base_y - plot_h * (value - low) / (high - low)

    ticks = int(round((high - low) / step))
    for i in range(ticks + 1):
        value = low + i * step
        chart.ticks.append(Tick(_n(y_of(value)), _format(value, 0) + suffix))
    band = plot_w / max(len(categories), 1)
    _axis_labels(chart, categories, under, left=left, band=band, base_y=base_y)
    for s, line in enumerate(series):
        run: list[str] = []
        for c, point in enumerate([*line.values, None]):
            if point is None:
                if len(run) > 1:
                    chart.lines.append(Line(s, " ".join(run)))
                run = []
                continue
            x, y = left + band * (c + 0.5), y_of(point)
            run.append(f"{_n(x)},{_n(y)}")
            chart.markers.append(
                Marker(
                    series=s,
                    x=_n(x),
                    y=_n(y),
                    path=MARKERS[s % len(MARKERS)],
                    title=(
                        f"{categories[c]}, {line.name}: "
                        f"{_format(point, decimals)}{suffix}"
                    ),
                )
            )
    return chart


def _clip(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
