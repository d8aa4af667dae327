"""Inline SVG charts for the HTML report: stacked areas over dated points, horizontal stacked bars.

Plain SVG text, no script and no external resource: the page renders the same offline, in any
browser, and in a screenshot. Each point carries a ``<title>`` (the browser's tooltip) with its figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape

# Okabe-Ito and Tableau-like colours that stay apart for colour-blind readers
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#7f7f7f",
           "#8c564b", "#17becf", "#bcbd22", "#1f77b4")
PROBLEM_COLOUR = "#c0392b"
NOTE_COLOUR = "#e67e22"
BASELINE_COLOUR = "#444"


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass
class Series:
    label: str
    values: list[int | None]  # None: the point has no figures
    colour: str


@dataclass
class Marker:
    index: int
    kind: str  # "baseline" (a baseline was recorded), "problem" (no figures), "note" (files that do not parse)
    text: str


@dataclass
class TimeChart:
    title: str
    times: list[int]  # one timestamp per point
    labels: list[str]  # one tooltip heading per point
    series: list[Series]
    markers: list[Marker] = field(default_factory=list)
    levels: list[tuple[int, int]] = field(default_factory=list)  # (from point, occurrences) of a baseline
    width: int = 960
    height: int = 320


_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 28, 44
Scale = Callable[[float], float]


def nice_ceiling(value: int) -> tuple[int, int]:
    """(axis maximum, tick step) for values up to ``value``: steps of 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1, 1
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return int(math.ceil(value / step) * step), step


def _day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def stacked_areas(chart: TimeChart) -> str:
    """The series stacked bottom to top over time; gaps where a point has no figures."""
    n = len(chart.times)
    totals = [None if any(s.values[i] is None for s in chart.series) else sum(s.values[i] or 0 for s in chart.series)
              for i in range(n)]
    top_value = max([t for t in totals if t is not None] + [v for _, v in chart.levels] + [0])
    y_max, step = nice_ceiling(top_value)
    t0, t1 = min(chart.times), max(chart.times)
    plot_w, plot_h = chart.width - _LEFT - _RIGHT, chart.height - _TOP - _BOTTOM

    def x(i: float) -> float:
        return _LEFT + (plot_w / 2 if t1 == t0 else (chart.times[int(i)] - t0) / (t1 - t0) * plot_w)

    def y(value: float) -> float:
        return _TOP + plot_h - value / y_max * plot_h

    out = [(f'<svg class="chart" role="img" aria-label="{escape(chart.title)}" viewBox="0 0 {chart.width} '
           f'{chart.height}" width="{chart.width}" height="{chart.height}" xmlns="http://www.w3.org/2000/svg">'),
           f'<text x="{_LEFT}" y="16" class="chart-title">{escape(chart.title)}</text>']
    for tick in range(0, y_max + 1, step):
        out.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>'
                   f'<text x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" class="tick" text-anchor="end">{tick:,}</text>')
    out += _time_ticks(chart, plot_w, plot_h)
    out += _areas(chart, totals, x, y)
    out += _levels(chart, x, y)
    out += _markers(chart, x, plot_h)
    out += _hover(chart, totals, x, plot_h)
    out.append("</svg>")
    return "\n".join(out)


def _time_ticks(chart: TimeChart, plot_w: int, plot_h: int) -> list[str]:
    """Dates at evenly spaced times (not at the points, which may crowd), at most one per 110 pixels."""
    t0, t1 = min(chart.times), max(chart.times)
    out = [f'<line x1="{_LEFT}" x2="{chart.width - _RIGHT}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h}" class="axis"/>']
    count = 1 if t1 == t0 else max(2, min(8, plot_w // 110))
    for k in range(count):
        stamp = t0 if count == 1 else t0 + (t1 - t0) * k // (count - 1)
        px = _LEFT + (plot_w / 2 if t1 == t0 else (stamp - t0) / (t1 - t0) * plot_w)
        anchor = "start" if k == 0 and count > 1 else "end" if k == count - 1 and count > 1 else "middle"
        out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h + 4}" class="axis"/>'
                   f'<text x="{px:.1f}" y="{_TOP + plot_h + 18}" class="tick" text-anchor="{anchor}">{_day(stamp)}</text>')
    return out


def _segments(totals: Sequence[int | None]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i, total in enumerate(totals):
        if total is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _areas(chart: TimeChart, totals: Sequence[int | None], x: Scale, y: Scale) -> list[str]:
    out = []
    for run in _segments(totals):
        base = {i: 0 for i in run}
        for series in chart.series:
            tops = {i: base[i] + (series.values[i] or 0) for i in run}
            if len(run) == 1:
                i = run[0]
                px = x(i)
                out.append(f'<rect x="{px - 3:.1f}" y="{y(tops[i]):.1f}" width="6" '
                           f'height="{y(base[i]) - y(tops[i]):.1f}" fill="{series.colour}"/>')
            else:
                upper = " ".join(f"{x(i):.1f},{y(tops[i]):.1f}" for i in run)
                lower = " ".join(f"{x(i):.1f},{y(base[i]):.1f}" for i in reversed(run))
                out.append(f'<polygon points="{upper} {lower}" fill="{series.colour}" fill-opacity="0.85">'
                           f'<title>{escape(series.label)}</title></polygon>')
            base = tops
        line = " ".join(f"{x(i):.1f},{y(totals[i] or 0):.1f}" for i in run)
        out.append(f'<polyline points="{line}" class="total"/>')
    return out


def _levels(chart: TimeChart, x: Scale, y: Scale) -> list[str]:
    out = []
    for k, (start, value) in enumerate(chart.levels):
        end = chart.levels[k + 1][0] if k + 1 < len(chart.levels) else len(chart.times) - 1
        x0, x1, py = x(start), x(end), y(value)
        right = x0 > chart.width * 0.7  # a label near the right edge goes to the left of its line
        out.append(f'<line x1="{x0:.1f}" x2="{max(x1, x0 + 1):.1f}" y1="{py:.1f}" y2="{py:.1f}" class="level">'
                   f'<title>baseline: {value:,} accepted occurrences</title></line>'
                   f'<text x="{x0 - 4 if right else x0 + 4:.1f}" y="{py - 5:.1f}" class="level-label" '
                   f'text-anchor="{"end" if right else "start"}">baseline {value:,}</text>')
    return out


def _markers(chart: TimeChart, x: Scale, plot_h: int) -> list[str]:
    out = []
    for marker in chart.markers:
        px = x(marker.index)
        title = f"<title>{escape(marker.text)}</title>"
        if marker.kind == "baseline":
            right = px > chart.width * 0.7
            out.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{_TOP}" y2="{_TOP + plot_h}" class="baseline-mark">'
                       f'{title}</line><text x="{px - 3 if right else px + 3:.1f}" y="{_TOP + 10}" class="mark-label" '
                       f'text-anchor="{"end" if right else "start"}">baseline recorded</text>')
        elif marker.kind == "problem":
            py = _TOP + plot_h - 8
            out.append(f'<g class="problem">{title}<line x1="{px - 5:.1f}" y1="{py - 5}" x2="{px + 5:.1f}" '
                       f'y2="{py + 5}"/><line x1="{px - 5:.1f}" y1="{py + 5}" x2="{px + 5:.1f}" y2="{py - 5}"/></g>')
        else:
            py = _TOP + plot_h + 28
            out.append(f'<polygon class="note" points="{px:.1f},{py - 6} {px - 5:.1f},{py + 3} {px + 5:.1f},{py + 3}">'
                       f'{title}</polygon>')
    return out


def _hover(chart: TimeChart, totals: Sequence[int | None], x: Scale, plot_h: int) -> list[str]:
    """An invisible band per point whose tooltip lists its figures."""
    out = []
    n = len(chart.times)
    for i in range(n):
        left = (x(i - 1) + x(i)) / 2 if i else x(i) - 4
        right = (x(i) + x(i + 1)) / 2 if i + 1 < n else x(i) + 4
        parts = [chart.labels[i]]
        if totals[i] is None:
            parts.append("no figures")
        else:
            parts.append(f"total {totals[i]:,}")
            parts += [f"{s.label}: {s.values[i]:,}" for s in chart.series if s.values[i]]
        out.append(f'<rect x="{left:.1f}" y="{_TOP}" width="{max(right - left, 1):.1f}" height="{plot_h}" '
                   f'class="hover"><title>{escape(chr(10).join(parts))}</title></rect>')
    return out


def horizontal_bars(title: str, rows: Sequence[tuple[str, Sequence[tuple[str, int, str]]]], width: int = 960) -> str:
    """One bar per row (label, [(part label, value, colour)]), parts stacked left to right."""
    bar_h, gap, label_w = 18, 6, 260
    height = _TOP + len(rows) * (bar_h + gap) + 8
    biggest = max([sum(v for _, v, _ in parts) for _, parts in rows] + [1])
    plot_w = width - label_w - 80
    out = [(f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'),
           f'<text x="8" y="16" class="chart-title">{escape(title)}</text>']
    for k, (label, parts) in enumerate(rows):
        top = _TOP + k * (bar_h + gap)
        out.append(f'<text x="{label_w - 8}" y="{top + 13}" class="tick" text-anchor="end">{escape(label)}</text>')
        left = float(label_w)
        for part, value, fill in parts:
            if value <= 0:
                continue
            w = value / biggest * plot_w
            out.append(f'<rect x="{left:.1f}" y="{top}" width="{max(w, 1):.1f}" height="{bar_h}" fill="{fill}">'
                       f'<title>{escape(label)} — {escape(part)}: {value:,}</title></rect>')
            left += w
        total = sum(v for _, v, _ in parts)
        out.append(f'<text x="{left + 6:.1f}" y="{top + 13}" class="tick">{total:,}</text>')
    out.append("</svg>")
    return "\n".join(out)
