"""Chart geometry for the yearly report: bars per category, a line per month.

This module computes coordinates; the template ``report/chart.svg`` draws them (``drawn``), for
the page (inline SVG: no script, no style attribute, so the portal's CSP stays as it is)
and for the PDF (the same SVG as an image, which xhtml2pdf draws as vector graphics through
svglib). Each chart has a table of its numbers beside it: the chart is the picture, the
table the text alternative.
"""

from collections import OrderedDict

from flask import render_template
from markupsafe import Markup

WIDTH = 640
BAR_AREA = 470  # the longest bar
ROW = 46  # per category: its label, this year's bar, last year's bar
TOP = 30  # the legend
COLORS = ("#1f5a70", "#a34700", "#3d6b22", "#6b3fa0", "#9b2048", "#4d4d4d")
NOW_COLOR = COLORS[0]
BEFORE_COLOR = "#8c8c8c"
MAX_LABEL = 70


def _clip(text, n=MAX_LABEL):
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def _text(value):
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def bar_chart(rows, number=_text):
    """Bars per row: this year's (``value``) and, where there is one, last year's
    (``previous``). Values that are no number (a suppressed "< 5") get no bar, only their text."""
    with_before = any(getattr(r, "previous", "") not in ("", None) for r in rows)
    top = max([_number(r.value) for r in rows] + [_number(getattr(r, "previous", 0)) for r in rows] + [0])
    scale = BAR_AREA / top if top else 0
    bars = []
    y = TOP
    for r in rows:
        item = {
            "label": _clip(r.label),
            "label_y": y + 12,
            "now": {"y": y + 17, "w": round(_number(r.value) * scale, 1), "text": number(r.value)},
        }
        item["now"]["text_x"] = item["now"]["w"] + 6
        if with_before:
            before = getattr(r, "previous", "")
            item["before"] = {
                "y": y + 30,
                "w": round(_number(before) * scale, 1),
                "text": number(before) if before not in ("", None) else "",
            }
            item["before"]["text_x"] = item["before"]["w"] + 6
        bars.append(item)
        y += ROW if with_before else ROW - 12
    return {
        "kind": "bar",
        "width": WIDTH,
        "height": y + 4,
        "bars": bars,
        "with_before": with_before,
        "now_color": NOW_COLOR,
        "before_color": BEFORE_COLOR,
    }


LEFT = 40
PLOT_W = WIDTH - LEFT - 20
PLOT_H = 180
PLOT_TOP = 40


def line_chart(series, before=(), hide=lambda v: v):
    """A line per series over the twelve months (``((label, ((month, value), ...)), ...)``);
    with one series, last year's as a grey line beside it. ``hide`` turns a small count
    into "< 5": such a point is left out of the line."""
    lines = [(str(label), tuple(points)) for label, points in series]
    if len(lines) == 1 and before:
        lines.append((f"{lines[0][0]} (vorig schooljaar)", tuple(before[0][1])))
    months = [m for m, _ in lines[0][1]] if lines else []
    top = max([_number(hide(v)) for _, pts in lines for _, v, *_ in pts] + [1])
    step = PLOT_W / max(1, len(months) - 1)
    out = []
    for n, (label, pts) in enumerate(lines):
        last_year = label.endswith("(vorig schooljaar)")
        color = BEFORE_COLOR if last_year else COLORS[n % len(COLORS)]
        points = []
        for i, (_, value, *_) in enumerate(pts):
            shown = hide(value)
            if isinstance(shown, (int, float)):
                points.append(
                    {"x": round(LEFT + i * step, 1), "y": round(PLOT_TOP + PLOT_H - shown / top * PLOT_H, 1)}
                )
        out.append(
            {
                "label": _clip(label, 32),
                "color": color,
                "dashed": last_year,
                "points": points,
                "path": " ".join(f"{p['x']},{p['y']}" for p in points),
            }
        )
    ticks = sorted({0, top // 2, top}) if top >= 2 else [0, top]
    legend_rows = (len(out) + 2) // 3
    return {
        "kind": "line",
        "width": WIDTH,
        "height": PLOT_TOP + PLOT_H + 34 + 18 * legend_rows,
        "lines": out,
        "months": [{"x": round(LEFT + i * step, 1), "label": m} for i, m in enumerate(months)],
        "ticks": [{"y": round(PLOT_TOP + PLOT_H - t / top * PLOT_H, 1), "label": t} for t in ticks],
        "plot": {"left": LEFT, "right": LEFT + PLOT_W, "top": PLOT_TOP, "bottom": PLOT_TOP + PLOT_H},
        "legend": [
            {"x": 10 + (n % 3) * 210, "y": PLOT_TOP + PLOT_H + 40 + 18 * (n // 3), **line}
            for n, line in enumerate(out)
        ],
    }


# ------------------------------------------------------------- drawing ----

# Drawing a chart (report/chart.svg) took a quarter of the yearly report's time once its
# figures were kept (report/cache.py); the same chart is drawn once and its markup kept here,
# by what it shows, for the page and the PDF alike.
_DRAWN = OrderedDict()
MAX_DRAWN = 512


def drawn(chart, chart_id, label_id="", title=""):
    """The chart as SVG markup (autoescaped by the template), from the kept drawings when
    this chart with these ids was drawn before."""
    key = (repr(chart), chart_id, label_id, title)
    svg = _DRAWN.get(key)
    if svg is None:
        # The template escapes every value it writes (autoescape): its output is markup.
        svg = Markup(  # noqa: S704
            render_template(
                "report/chart.svg", chart=chart, chart_id=chart_id, chart_label_id=label_id, chart_title=title
            )
        )
        _DRAWN[key] = svg
        while len(_DRAWN) > MAX_DRAWN:
            _DRAWN.popitem(last=False)
    return svg
