"""The yearly report: every plugin's figures (the ``annual_report`` hook) for a school year,
each beside the same figure of the year before, ready for a page, a PDF and an export.

The plugins count in the database (portal/figures.py); this module only pairs, suppresses
and shapes what they return. In the bestuur's version across schools a count from 1 to 4
is shown as "< 5": at a small school a small number can point to a child. 0 stays 0.
"""

from dataclasses import dataclass
from dataclasses import field

from ..access import enabled_plugins
from ..access import has_permission
from ..dates import school_year_bounds
from ..figures import SMALL
from ..models import MonitorResult
from ..models import MonitorScore
from ..models import ReportReview
from ..models import SafetyAction
from ..plugins import collect
from ..registry import get_pm
from ..registry import get_registry
from . import charts
from .cache import kept
from .choices import INDICATORS

SUPPRESSED = "< 5"


def suppress(value):
    """A count from 1 to 4 as "< 5"; anything else as it is."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALL:
        return SUPPRESSED
    return value


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass
class Row:
    label: str
    value: object
    previous: object = ""


@dataclass
class Figure:
    """A figure as the report shows it: this year's and last year's values."""

    name: str
    label: str
    value: object
    previous: object
    rows: list = field(default_factory=list)
    chart: dict | None = None
    counts: bool = True

    @property
    def slug(self):
        return self.name.replace(".", "-").replace("_", "-")


def _shown(value):
    return "" if value is None else value


def pair(current, before, board=False):
    """A ``Figure`` of the plugin's ``ReportFigure`` of this year and of the year before."""
    hide = suppress if (board and current.counts) else (lambda v: v)
    earlier = {str(r[0]): r[1] for r in (before.rows if before else ()) if len(r) >= 2}
    rows = [Row(str(r[0]), hide(r[1]), hide(earlier.get(str(r[0]), ""))) for r in current.rows if len(r) >= 2]
    figure = Figure(
        name=current.name,
        label=current.label,
        value=hide(_shown(current.value)),
        previous=hide(_shown(before.value)) if before else "",
        rows=rows,
        counts=current.counts,
    )
    kind = current.chart
    numeric = rows and all(is_number(r.value) or r.value == SUPPRESSED for r in rows)
    if kind == "line" and current.series:
        figure.chart = charts.line_chart(current.series, before.series if before else (), hide)
    elif (kind == "bar" or (kind == "" and current.counts and len(rows) >= 2)) and numeric and _drawn(rows):
        figure.chart = charts.bar_chart(rows)
    return figure


def _drawn(rows):
    """Something to draw: a bar longer than nothing, this year or last."""
    return any(is_number(v) and v > 0 for r in rows for v in (r.value, r.previous))


def annual(school, year, user):
    """The ``ReportFigure``s of every plugin enabled at ``school`` (None: every plugin, every
    school) for the school year from 1 August ``year``, as ``user`` may see them; kept while
    the data stays the same (report/cache.py)."""
    only = tuple(get_registry().plugin_slugs) if school is None else tuple(sorted(enabled_plugins(school)))

    def compute():
        return [
            f for _, f in collect(get_pm(), "annual_report", only=only, school=school, year=year, user=user)
        ]

    key = ("annual", getattr(user, "id", None), None if school is None else school.id, year, only)
    return kept(key, compute, school)


def figures(school, year, user, board=False):
    """[Figure] of ``school`` (None: every school, for the bestuur) for the school year from
    1 August ``year``, with the year before beside each."""
    before = {f.name: f for f in annual(school, year - 1, user)}
    return [pair(f, before.get(f.name), board=board) for f in annual(school, year, user)]


# -------------------------------------------------------------- the school's own ----


def monitor_results(school, year):
    """The year's measurements, each with ``school_scores`` {indicator: score} and
    ``group_scores`` [(group, {indicator: score})]."""
    results = list(
        MonitorResult.select()
        .where((MonitorResult.school == school.id) & (MonitorResult.school_year == year))
        .order_by(MonitorResult.measured_on, MonitorResult.id)
    )
    by_id = {m.id: m for m in results}
    for m in results:
        m.school_scores, m.groups = {}, {}
    if by_id:
        for s in MonitorScore.select().where(MonitorScore.monitor.in_(list(by_id))).order_by(MonitorScore.id):
            m = by_id[s.monitor_id]
            if s.group_name:
                m.groups.setdefault(s.group_name, {})[s.indicator] = s.score
            else:
                m.school_scores[s.indicator] = s.score
    for m in results:
        m.group_scores = sorted(m.groups.items(), key=lambda item: _group_key(item[0]))
        m.response = (
            round(100 * m.respondents / m.invited) if m.invited and m.respondents is not None else None
        )
    return results


def _group_key(name):
    digits = "".join(c for c in name if c.isdigit())
    return (int(digits) if digits else 99, name.lower())


def score_text(value):
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def actions(school, year):
    return list(
        SafetyAction.select()
        .where((SafetyAction.school == school.id) & (SafetyAction.school_year == year))
        .order_by(SafetyAction.due_on, SafetyAction.id)
    )


def review(school, year):
    return ReportReview.get_or_none((ReportReview.school == school.id) & (ReportReview.school_year == year))


def monitor_chart(results, before=()):
    """Bars of the school's key scores of the year's last measurement, beside those of last
    year's last measurement; None without scores."""
    if not results or not results[-1].school_scores:
        return None
    now = results[-1].school_scores
    earlier = before[-1].school_scores if before else {}
    rows = [Row(label, now[key], earlier.get(key, "")) for key, label in INDICATORS if key in now]
    return charts.bar_chart(rows, number=score_text) if rows else None


def year_label(year):
    return f"{year}-{year + 1}"


def year_bounds(year):
    return school_year_bounds(year)


def may_edit(user, school):
    return has_permission(user, school, "portal.report_edit")


# ------------------------------------------------------------- the core's figure ----


def core_figures(school, year, user):
    """The core's figure: cases started per month, a line per case type, for the types whose
    files the one who looks may see (at the school; across schools: the types the bestuur
    sees by default). One statement for every type and month."""
    from ..figures import MONTHS
    from ..figures import at_school
    from ..figures import in_school_year
    from ..figures import per_type_and_month
    from ..models import Case

    registry = get_registry()
    if school is None:
        types = {
            name: ct
            for name, ct in registry.case_types.items()
            if "bestuur" in registry.permissions[ct.view_permission].default_roles
        }
    else:
        enabled = set(enabled_plugins(school))
        types = {
            name: ct
            for name, ct in registry.case_types.items()
            if registry.case_type_owner[name] in enabled
            and user is not None
            and has_permission(user, school, ct.view_permission)
        }
    if not types:
        return []
    query = at_school(Case.select(), school).where(
        Case.case_type.in_(sorted(types)) & in_school_year(Case.created_at, year)
    )
    found = per_type_and_month(query, Case.created_at)
    # A line only for the types with cases this year: a flat line at 0 tells nothing.
    series = tuple(
        (types[name].title, tuple((label, found.get(name, {}).get(number, 0)) for number, label in MONTHS))
        for name in sorted(types, key=lambda n: types[n].title)
        if found.get(name)
    )
    total = sum(sum(months.values()) for months in found.values())
    rows = tuple(
        (types[name].title, sum(found.get(name, {}).values()))
        for name in sorted(types, key=lambda n: types[n].title)
    )
    from ..declarations import ReportFigure

    return [
        ReportFigure("portal.per_maand", "Zaken gestart, per maand", total, rows, chart="line", series=series)
    ]
