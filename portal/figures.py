"""Figures counted by the database: the yearly figures and the dashboard panels.

A plugin's figures count things: cases per category in a school year, per school for
the bestuur, open cases of a type, items still open. Building a model object for every
case of the year and counting in Python took 10–11 s for the yearly figures at a
million cases; these helpers have the database count (GROUP BY) and hand back one row
per group. Every helper that reads runs one statement, so a figure is one statement
however many cases there are.

The ``query`` a plugin passes is an ordinary select of its rows with the figure's
filters (``at_school``, ``in_school_year``, its own conditions), joined to ``Case``
where the school matters; the helpers replace its columns by the group and the
aggregates (``count()``, ``total(column)``, ``count_if(condition)``) and drop its order.
"""

import datetime
import decimal

import peewee

from .dates import LOCAL
from .dates import school_year_bounds
from .dates import today
from .models import Case
from .models import CaseChecklistItem
from .models import CaseDeadline
from .models import School

_DAY = datetime.timedelta(days=1)

# At a small school a small number can point to a child: below this, a count is coarsened
# for whoever may not see the cases (``coarse``; the bestuur's version of the yearly report,
# portal/report/yearly.py).
SMALL = 5
COARSE = "minder dan 5"


def coarse(n, exact):
    """The count ``n`` for a figure of confidential cases (meldcode, meldplicht): as it is
    for whoever may see those cases (``exact``), else "minder dan 5" below 5, nought
    included (that no file exists at all says something too)."""
    return n if exact or n >= SMALL else COARSE


# --------------------------------------------------------------- aggregates ----


def count():
    """The number of rows (of a group)."""
    return peewee.fn.COUNT(peewee.SQL("*"))


def total(column):
    """The sum of ``column`` (0 without rows, not NULL)."""
    return peewee.fn.COALESCE(peewee.fn.SUM(column), 0)


def count_if(condition):
    """How many rows meet ``condition`` (e.g. ``Suspension.days > 1``)."""
    return total(peewee.Case(None, ((condition, 1),), 0))


def _number(value):
    # PostgreSQL sums a bigint column into a numeric; a whole number is shown as one.
    if isinstance(value, decimal.Decimal) and value == value.to_integral_value():
        return int(value)
    return value


# ---------------------------------------------------------------- filters ----


def at_school(query, school, column=None):
    """``query`` limited to the rows of ``school`` (by ``column``, default ``Case.school``);
    ``school`` None, the bestuur's view: every school."""
    if school is None:
        return query
    return query.where((Case.school if column is None else column) == school.id)


def in_school_year(column, year):
    """A condition: ``column`` lies in the school year that starts on 1 August ``year``.

    A date column compares as it is. A moment (the portal stores naive UTC) counts in
    the Dutch school year: the bounds are local midnights, turned into UTC here, so the
    database compares plain values (and may use an index) instead of every row being
    converted."""
    first, last = school_year_bounds(year)
    if isinstance(column, peewee.DateTimeField):
        return (column >= _utc_midnight(first)) & (column < _utc_midnight(last + _DAY))
    return column.between(first, last)


def _utc_midnight(day):
    moment = datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL)
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def year_rows(model, column, school, year):
    """The usual start of a yearly figure: the rows of ``model`` (a plugin's table with a
    ``case`` column) joined to their ``Case``, at ``school`` (None: every school), whose
    ``column`` (of the model or of the case) lies in the school year from 1 August ``year``."""
    query = model.select()
    if column.model is model and _indexed(model, column):
        # The model's own date, with an index: read the year's rows in it, then each one's
        # case by its id (CROSS JOIN keeps that order on SQLite; PostgreSQL plans it as any
        # join). Starting from the cases would read every case of the school's history.
        query = query.join(Case, peewee.JOIN.CROSS).where(model.case == Case.id)
    else:
        query = query.join(Case, on=(model.case == Case.id))
    types = _types_of(model)
    if types:
        # The types whose detail rows these are: the case indexes that start with (school,
        # type) read those cases only, and the year's only where the date is the case's.
        query = query.where(Case.case_type.in_(types))
    return at_school(query, school).where(in_school_year(column, year))


def _indexed(model, column):
    """Whether an index of ``model`` starts with ``column``."""
    if column.index or column.unique:
        return True
    for index in model._meta.indexes:
        columns = index[0] if isinstance(index, tuple | list) else ()
        if columns and columns[0] == column.name:
            return True
    return False


def _types_of(model):
    """The case types whose detail model is ``model`` (sorted; empty: none says so)."""
    from .registry import get_registry

    return sorted(name for name, ct in get_registry().case_types.items() if ct.detail is model)


def open_item(name):
    """A condition on ``Case``: the case's checklist item ``name`` is not ticked yet."""
    return Case.id.in_(
        CaseChecklistItem.select(CaseChecklistItem.case).where(
            (CaseChecklistItem.name == name) & CaseChecklistItem.done_at.is_null()
        )
    )


def done_item(name):
    """A condition on ``Case``: the case's checklist item ``name`` is ticked (a case without
    the item does not count). Asked per case in the index (case, name): the ticked items of
    every case ever are no small range."""
    return peewee.fn.EXISTS(
        CaseChecklistItem.select(peewee.SQL("1")).where(
            (CaseChecklistItem.case == Case.id)
            & (CaseChecklistItem.name == name)
            & CaseChecklistItem.done_at.is_null(False)
        )
    )


def overdue(name, day=None):
    """A condition on ``Case``: the case's deadline ``name`` is not met and was due before
    ``day`` (default: today)."""
    return Case.id.in_(
        CaseDeadline.select(CaseDeadline.case).where(
            (CaseDeadline.name == name)
            & CaseDeadline.met_at.is_null()
            & (CaseDeadline.due_date < (day or today()))
        )
    )


# ---------------------------------------------------------------- figures ----


class Rows(tuple):
    """A figure's rows, ``(label, value, …)``, with ``totals``: per aggregate, the sum over
    every group, also those not shown (a label without rows, an old key no longer among
    the labels). ``total`` is the first: with ``count_by``, how many rows there are."""

    def __new__(cls, rows, totals):
        self = super().__new__(cls, rows)
        self.totals = totals
        return self

    @property
    def total(self):
        return self.totals[0]


def _grouped(query, keys, values):
    """{key tuple: value tuple}: one statement, one row per group."""
    found = {}
    for row in query.select(*keys, *values).group_by(*keys).order_by().tuples():
        found[row[: len(keys)]] = tuple(_number(v) for v in row[len(keys) :])
    return found


def _rows(found, labels, width, zeros, others):
    zero = (0,) * width
    known = dict(labels)
    rows = [(label, *found.get((key,), zero)) for key, label in labels if zeros or (key,) in found]
    if others:
        rows += [
            (key, *v) for (key,), v in sorted(found.items(), key=lambda i: str(i[0][0])) if key not in known
        ]
    totals = tuple(sum(column) for column in zip(*found.values(), strict=True)) or zero
    return Rows(rows, totals)


def count_by(query, column, labels, *also, zeros=True, others=False):
    """Rows ``(label, count, *also)`` per key of ``labels`` (a plugin's (key, label) choices),
    in their order, from one statement; ``.total`` is the number of rows in all.

    ``also``: more aggregates per key (``total(Suspension.days)``, ``count_if(…)``; ones that
    add up, as the totals are their sums).
    ``zeros=False`` leaves out the labels without rows; ``others=True`` adds the keys that
    are not among the labels (an old value) after them, as they are."""
    found = _grouped(query, (column,), (count(), *also))
    return _rows(found, labels, 1 + len(also), zeros, others)


def sum_by(query, column, summed, labels, *also, zeros=True, others=False):
    """Rows ``(label, sum of summed, *also)`` per key of ``labels``, as ``count_by``."""
    found = _grouped(query, (column,), (total(summed), *also))
    return _rows(found, labels, 1 + len(also), zeros, others)


def totals(query, *values):
    """The ``values`` (aggregates) over all of ``query``'s rows, as a tuple: one statement."""
    row = query.select(*values).order_by().tuples().get()
    return tuple(_number(v) for v in row)


def top(query, column, n):
    """The ``n`` most frequent values of ``column``: rows ``(value, count)``, most first, a
    tie by value (the same order on every database, whatever its collation)."""
    found = _grouped(query, (column,), (count(),))
    ranked = sorted(found.items(), key=lambda item: (-item[1][0], str(item[0][0])))
    return tuple((key, number) for (key,), (number,) in ranked[:n])


def per_school(*parts, by=None):
    """The bestuur's view (``school`` None): rows ``(school name, values…)`` for every school
    with rows in any part, by name, from one statement.

    Each part is ``(query, value, …)``: a query of rows joined to ``Case`` (or with its own
    school column: ``by``) and the aggregates to take per school (none: ``count()``); a
    row holds the values of every part in turn, 0 where a school has no rows in one. The
    parts go to the database as one UNION ALL."""
    by = Case.school if by is None else by
    school = School.alias("figure_school")
    widths = [len(values) or 1 for _, *values in parts]
    selects = []
    for i, (query, *values) in enumerate(parts):
        before, after = sum(widths[:i]), sum(widths[i + 1 :])
        columns = [peewee.Value(0)] * before + list(values or (count(),)) + [peewee.Value(0)] * after
        selects.append(
            query.join(school, on=(by == school.id))
            .select(school.id, school.name, *columns)
            .group_by(school.id, school.name)
            .order_by()
        )
    union = selects[0]
    for select in selects[1:]:
        union = union + select
    found = {}
    for school_id, name, *values in union.tuples():
        known = found.setdefault((name, school_id), [0] * sum(widths))
        found[(name, school_id)] = [a + _number(b) for a, b in zip(known, values, strict=True)]
    return tuple((name, *values) for (name, _), values in sorted(found.items()))


# ---------------------------------------------------------------- per month ----

# The months of a school year, from August, as a chart's axis shows them.
MONTHS = (
    (8, "aug"),
    (9, "sep"),
    (10, "okt"),
    (11, "nov"),
    (12, "dec"),
    (1, "jan"),
    (2, "feb"),
    (3, "mrt"),
    (4, "apr"),
    (5, "mei"),
    (6, "jun"),
    (7, "jul"),
)


def month_of(column):
    """The month (1-12) of a date or moment column, as the database computes it (a moment
    in the month of its stored UTC time: a case started in the first hours of a month
    may count in the month before)."""
    from .db import is_sqlite

    if is_sqlite():
        return peewee.fn.strftime("%m", column).cast("INTEGER")
    return peewee.fn.date_part("month", column).cast("INTEGER")


def per_month(query, column, *also):
    """Rows ``(month label, count, *also)`` for the twelve months of the school year from
    August, from one statement: ``query`` already limited to the year (``year_rows``), the
    months of ``column``. For a figure's ``series``."""
    month = month_of(column)
    found = _grouped(query, (month,), (count(), *also))
    zero = (0,) * (1 + len(also))
    return tuple((label, *found.get((number,), zero)) for number, label in MONTHS)


def per_type_and_month(query, column):
    """{case type: {month number: count}} of ``query`` (rows joined to ``Case``): one
    statement for a line per case type."""
    found = _grouped(query, (Case.case_type, month_of(column)), (count(),))
    out = {}
    for (case_type, month), (n,) in found.items():
        out.setdefault(case_type, {})[month] = n
    return out
