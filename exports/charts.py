"""Report charts with matplotlib, rendered off-screen to PNG bytes.

No pyplot and no global backend switch: each chart is a `Figure` drawn on its own
Agg canvas, so the charts render the same in the command line, the tests and
inside the Qt app. Figures are sized for the text width of an A4 page (16.6 cm)
at print resolution, with fonts that stay legible there.
"""

from __future__ import annotations

import io
import math
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

WIDTH_IN = 6.5  # 16.5 cm: the text width of an A4 page with 2.2 cm margins
MAX_HEIGHT_IN = 7.6  # leaves room for a heading, a paragraph and the caption on an A4 page
DPI = 200
_FONT = 8.0
_LABEL_CHARS = 34
_SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")  # Okabe–Ito
_SERIES_DASHES = ("--", ":", "-.", (0, (5, 1, 1, 1)))  # pooled lines stay apart when equal
_PERSPECTIVE_STYLE = {
    # perspective: (fill alpha, hatch); the bar colour is the code's own colour
    "session": (0.35, ""),
    "client-recall": (1.0, ""),
    "therapist-recall": (1.0, "////"),
    "other": (0.6, ".."),
}
_PERSPECTIVE_LABEL = {
    "session": "Session",
    "client-recall": "Client recall",
    "therapist-recall": "Therapist recall",
    "other": "Other",
}


@dataclass(frozen=True)
class CodeBar:
    """One code's row in the codes-by-perspective chart."""

    label: str
    color: str
    counts: Mapping[str, int]  # perspective → segments


@dataclass(frozen=True)
class ThemeBars:
    """A theme's header row and its codes."""

    label: str
    codes: Sequence[CodeBar]


def codes_by_perspective(
    themes: Sequence[ThemeBars], perspectives: Sequence[str], *, xlabel: str = "Coded segments"
) -> bytes:
    """Grouped horizontal bars: for each code, one bar per perspective, in the code's colour.

    Perspectives differ by shade and hatching (legible in grey print too); themes
    are bold header rows above their codes. Returns PNG bytes.
    """
    return _png(codes_figure(themes, perspectives, xlabel=xlabel))


def codes_figure(
    themes: Sequence[ThemeBars], perspectives: Sequence[str], *, xlabel: str = "Coded segments"
) -> Figure:
    """The figure of `codes_by_perspective` (for tests and other outputs)."""
    rows: list[tuple[str, CodeBar | None]] = []
    for theme in themes:
        rows.append((theme.label, None))
        rows.extend((code.label, code) for code in theme.codes)
    bar = 0.8 / max(len(perspectives), 1)
    slot = 0.17 * len(perspectives) + 0.08
    height = min(max(1.6 + slot * len(rows), 2.5), MAX_HEIGHT_IN)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    largest = max(
        (code.counts.get(p, 0) for _, code in rows if code for p in perspectives), default=0
    )
    for y, (_label, code) in enumerate(rows):
        if code is None:
            continue
        for k, perspective in enumerate(perspectives):
            alpha, hatch = _PERSPECTIVE_STYLE.get(perspective, (0.6, "xx"))
            value = code.counts.get(perspective, 0)
            offset = y - 0.4 + bar * (k + 0.5)
            axes.barh(
                offset, value, height=bar * 0.92, color=_rgba(code.color, alpha),
                edgecolor=code.color, hatch=hatch, hatchcolor="white", linewidth=0.6,
            )
            axes.text(
                value + largest * 0.01, offset, str(value), va="center", ha="left",
                fontsize=_FONT - 2, color="#333333",
            )
    axes.set_yticks(range(len(rows)))
    labels = axes.set_yticklabels(
        [_wrap(label) if code else _wrap(label, _LABEL_CHARS - 2) for label, code in rows],
        fontsize=_FONT,
    )
    for text, (_, code) in zip(labels, rows, strict=True):
        if code is None:
            text.set_fontweight("bold")
    axes.invert_yaxis()
    axes.set_ylim(len(rows) - 0.5, -0.6)
    axes.set_xlim(0, max(largest * 1.12, 1))
    axes.set_xlabel(xlabel, fontsize=_FONT)
    axes.tick_params(axis="x", labelsize=_FONT)
    axes.tick_params(axis="y", length=0)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend = [
        Patch(
            facecolor=_rgba("#666666", _PERSPECTIVE_STYLE.get(p, (0.6, ""))[0]),
            edgecolor="#666666",
            hatch=_PERSPECTIVE_STYLE.get(p, (0.6, "xx"))[1],
            hatchcolor="white",
            label=_PERSPECTIVE_LABEL.get(p, p),
        )
        for p in perspectives
    ]
    figure.legend(
        handles=legend, loc="outside upper center", ncols=len(legend), fontsize=_FONT,
        frameon=False,
    )
    return figure


def agreement_per_code(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    pooled: Mapping[str, float | None],
) -> bytes:
    """Horizontal bars of agreement statistics per code, the pooled value as a line.

    `series` maps a statistic's name (e.g. "Cohen's κ") to one value per label; a
    missing value (None or NaN) leaves a gap marked "n/a", never a bar at 0.
    Returns PNG bytes.
    """
    return _png(agreement_figure(labels, series, pooled))


def agreement_figure(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    pooled: Mapping[str, float | None],
) -> Figure:
    """The figure of `agreement_per_code` (for tests and other outputs)."""
    names = list(series)
    count = max(len(names), 1)
    bar = 0.8 / count
    slot = 0.16 * count + 0.12
    height = min(max(1.7 + slot * len(labels), 2.5), MAX_HEIGHT_IN)
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    present = [v for name in names for v in series[name] if not _null(v)]
    present += [v for v in pooled.values() if not _null(v)]
    low = min([0.0, *present])
    low = math.floor(low * 10 - 0.5) / 10 if low < 0 else 0.0
    handles = []
    for k, name in enumerate(names):
        color = _SERIES_COLORS[k % len(_SERIES_COLORS)]
        for y, value in enumerate(series[name]):
            offset = y - 0.4 + bar * (k + 0.5)
            if _null(value):
                axes.text(
                    0.01, offset, "n/a", va="center", ha="left", fontsize=_FONT - 1.5,
                    color="#777777", style="italic",
                )
                continue
            axes.barh(offset, value, height=bar * 0.9, color=color, linewidth=0)
            axes.text(
                max(value, 0) + 0.01, offset, f"{value:.2f}", va="center", ha="left",
                fontsize=_FONT - 2, color="#333333",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3, "alpha": 0.85},
            )
        handles.append(Patch(facecolor=color, label=name))
        value = pooled.get(name)
        if _null(value):
            handles.append(Patch(facecolor="none", edgecolor="none", label=f"pooled {name}: n/a"))
        else:
            dash = _SERIES_DASHES[k % len(_SERIES_DASHES)]
            axes.axvline(value, color=color, linestyle=dash, linewidth=1.3)
            handles.append(_line_handle(color, dash, f"pooled {name} = {value:.2f}"))
    axes.axvline(0, color="#444444", linewidth=0.6)
    axes.set_yticks(range(len(labels)))
    axes.set_yticklabels([_wrap(label) for label in labels], fontsize=_FONT)
    axes.invert_yaxis()
    axes.set_ylim(len(labels) - 0.5, -0.5)
    axes.set_xlim(low, 1.08)
    axes.set_xlabel("Agreement (1 = perfect, 0 = chance level)", fontsize=_FONT)
    axes.tick_params(axis="x", labelsize=_FONT)
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color="#DDDDDD", linewidth=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(
        handles=handles, loc="outside upper center", ncols=min(len(handles), 4),
        fontsize=_FONT, frameon=False,
    )
    return figure


def _line_handle(color: str, dash, label: str):
    from matplotlib.lines import Line2D

    return Line2D([0], [0], color=color, linestyle=dash, linewidth=1.3, label=label)


def _png(figure: Figure) -> bytes:
    canvas = FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # A code named with an emoji the font lacks is drawn as a box; matplotlib's
        # warning about it would otherwise land on the command line's stderr.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        canvas.print_png(buffer)
    return buffer.getvalue()


def _wrap(label: str, width: int = _LABEL_CHARS) -> str:
    lines = textwrap.wrap(label, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines)


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    color = color.lstrip("#")
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (red, green, blue, alpha)


def _null(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
