"""The case list query, written out in SQL.

Building this query with peewee costs about 1 ms per page view, ten times what
the database needs to run it (docs/performance.md), and the list is the page
staff open most. So it is written out here, once. The SQL text is made only of
the constant fragments below and placeholders; every value is a parameter.

Keyset pagination and no COUNT: page 4,000 costs what page 1 costs (measured at
100,000 cases: OFFSET 50,000 was 2.3 times slower than page 1, and a COUNT per page
view cut page 1 from ~400 to ~150 req/s). Every sort order has its own cursor: the
sorted value (if not the last change) and then (updated_at, id), which breaks every tie.
The default order, last change first, reads the (school, updated_at, id) index in
order; the others sort the matching cases. Visibility is the same rule as
``visibility.visible_condition`` (tests/test_engine_visibility.py checks that the list
and the detail page agree); a search (``search.condition``) only narrows it.
"""

import datetime
from dataclasses import dataclass

from .. import search
from ..db import constant_sql
from ..db import database
from ..models import Case
from ..models import CaseDeadline

# The first open deadline of the case: one lookup in the partial index of open deadlines
# (migration m0003). A case is late when it is before today.
NEXT_DUE = (
    '(SELECT MIN(d."due_date") FROM "portal_case_deadline" AS d '
    'WHERE d."case_id" = c."id" AND d."met_at" IS NULL)'
)
# The case's pupils: the register's name of a linked pupil, else the name typed.
PUPILS = (
    '(SELECT {agg}(CASE WHEN p."id" IS NULL THEN cp."name" ELSE p."first_name" || \' \' || '
    "CASE WHEN p.\"prefix\" = '' THEN '' ELSE p.\"prefix\" || ' ' END || p.\"last_name\" END, ', ') "
    'FROM "portal_case_pupil" AS cp LEFT OUTER JOIN "portal_pupil" AS p ON p."id" = cp."pupil_id" '
    'WHERE cp."case_id" = c."id")'
)
SELECT = (
    (
        'SELECT c."id", c."reference", c."title", c."case_type", c."state", c."updated_at", '
        'c."closed_at", c."confidential", u."name", c."created_at", {next_due}, {pupils} '
        'FROM "portal_case" AS c LEFT OUTER JOIN "portal_user" AS u ON u."id" = c."assignee_id" '
        'WHERE c."school_id" = ? '
        'AND c."id" NOT IN (SELECT x."case_id" FROM "portal_case_exclusion" AS x WHERE x."user_id" = ?) '
    )
    .replace("{next_due}", NEXT_DUE)
    .replace("{pupils}", PUPILS)
)
VISIBLE = (
    'AND (c."assignee_id" = ? OR (c."created_by_id" = ? AND c."case_type" IN ({starter})) '
    'OR (c."case_type" IN ({viewable}) '
    'AND (c."confidential" = ? OR c."case_type" IN ({confidential})))) '
)
OPEN_ONLY = 'AND c."closed_at" IS NULL '
OF_TYPE = 'AND c."case_type" = ? '
IN_STATE = 'AND c."state" = ? '
MINE = 'AND c."assignee_id" = ? '
UNASSIGNED = 'AND c."assignee_id" IS NULL '
LATE = (
    'AND c."closed_at" IS NULL AND EXISTS (SELECT 1 FROM "portal_case_deadline" AS e '
    'WHERE e."case_id" = c."id" AND e."met_at" IS NULL AND e."due_date" < ?) '
)
REFERENCE = "AND c.\"reference\" LIKE ? ESCAPE '!' "
CREATED_FROM = 'AND c."created_at" >= ? '
CREATED_BEFORE = 'AND c."created_at" < ? '

# Sort orders: (sorted expression or None for the last change, its placeholders).
# A case without an open deadline sorts after every date (NO_DEADLINE).
NO_DEADLINE = datetime.date(9999, 12, 31)
SORT_KEYS = {
    "gewijzigd": None,
    "termijn": "COALESCE(" + NEXT_DUE + ", ?)",
    "status": 'c."state"',
    "soort": 'c."case_type"',
}
# The direction each order starts in: the last change and the deadline as one expects them.
DEFAULT_DIRECTION = {"gewijzigd": "af", "termijn": "op", "status": "op", "soort": "op"}

NEWEST_FIRST = (
    'AND c."updated_at" <= ? AND (c."updated_at" < ? OR (c."updated_at" = ? AND c."id" < ?)) ',
    'ORDER BY c."updated_at" DESC, c."id" DESC LIMIT ?',
)
OLDEST_FIRST = (
    'AND c."updated_at" >= ? AND (c."updated_at" > ? OR (c."updated_at" = ? AND c."id" > ?)) ',
    'ORDER BY c."updated_at" ASC, c."id" ASC LIMIT ?',
)
# {key} ascending ("op") or descending ("af"); ties newest change first.
BY_KEY = {
    "op": (
        'AND ({key} > ? OR ({key} = ? AND (c."updated_at" < ? OR (c."updated_at" = ? AND c."id" < ?)))) ',
        'ORDER BY {key} ASC, c."updated_at" DESC, c."id" DESC LIMIT ?',
    ),
    "af": (
        'AND ({key} < ? OR ({key} = ? AND (c."updated_at" < ? OR (c."updated_at" = ? AND c."id" < ?)))) ',
        'ORDER BY {key} DESC, c."updated_at" DESC, c."id" DESC LIMIT ?',
    ),
}


@dataclass(slots=True)
class CaseRow:
    """One line of the list. Attributes, not dict keys: Jinja finds them at the first try."""

    id: int
    reference: str
    title: str
    case_type: str
    state: str
    updated_at: datetime.datetime
    closed_at: datetime.datetime | None
    confidential: bool
    assignee_name: str | None
    created_at: datetime.datetime
    due: datetime.date | None  # the first open deadline
    pupils: str
    late: bool = False
    type_title: str = ""
    state_title: str = ""
    when: str = ""
    due_text: str = ""

    def after(self, sort):
        """``Filters.after`` for the page after this row, in order ``sort``."""
        if SORT_KEYS.get(sort) is None:
            return (self.updated_at, self.id)
        key = {"termijn": self.due or NO_DEADLINE, "status": self.state}.get(sort, self.case_type)
        return (key, self.updated_at, self.id)

    def cursor(self, sort):
        """The same as text, for the address of the next page (``?na=``)."""
        *key, when, ident = self.after(sort)
        tail = f"{when.isoformat()}_{ident}"
        return f"{key[0].isoformat() if sort == 'termijn' else key[0]}~{tail}" if key else tail


def _stamp(value):
    """A timestamp column as datetime (SQLite returns text, PostgreSQL a datetime)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(value)


def _day(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value[:10])


@dataclass
class Filters:
    case_type: str = ""
    state: str = ""
    assignee: str = ""  # "ik", "niemand" or ""
    include_closed: bool = False
    late_only: bool = False
    reference: str = ""
    words: str = ""  # a search (portal/search.py)
    created_from: datetime.datetime | None = None  # UTC, inclusive
    created_before: datetime.datetime | None = None  # UTC, exclusive
    sort: str = "gewijzigd"  # a key of SORT_KEYS
    direction: str = "af"  # "op" or "af"
    # Where the previous page ended: (updated_at, id), and first the sorted value
    # when the order is not the last change: (value, updated_at, id).
    after: tuple | None = None


def _in_list(n):
    """n placeholders for an IN list; an empty list matches nothing."""
    return ", ".join(["?"] * n) if n else "NULL"


def list_cases(user_id, school_id, viewable, confidential, today, filters, limit, starter=()):
    """One page of cases ``user_id`` may see at ``school_id``, in the order of ``filters``
    (``starter``: the types whose cases their starter sees, ``visibility.starter_types``)."""
    stamp = Case.updated_at.db_value
    day = CaseDeadline.due_date.db_value
    parts = [
        SELECT,
        VISIBLE.format(
            starter=_in_list(len(starter)),
            viewable=_in_list(len(viewable)),
            confidential=_in_list(len(confidential)),
        ),
    ]
    params = [school_id, user_id, user_id, user_id, *starter, *viewable, False, *confidential]
    if not filters.include_closed:
        parts.append(OPEN_ONLY)
    if filters.case_type:
        parts.append(OF_TYPE)
        params.append(filters.case_type)
    if filters.state:
        parts.append(IN_STATE)
        params.append(filters.state)
    if filters.assignee == "ik":
        parts.append(MINE)
        params.append(user_id)
    elif filters.assignee == "niemand":
        parts.append(UNASSIGNED)
    if filters.late_only:
        parts.append(LATE)
        params.append(day(today))
    if filters.reference:
        escaped = filters.reference.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        parts.append(REFERENCE)
        params.append(escaped + "%")
    few = False
    if filters.words:
        found = search.condition(filters.words)
        if found is not None:
            fragment, match, few = found
            parts.append(fragment.replace(database.param, "?"))
            params.append(match)
    if filters.created_from is not None:
        parts.append(CREATED_FROM)
        params.append(stamp(filters.created_from))
    if filters.created_before is not None:
        parts.append(CREATED_BEFORE)
        params.append(stamp(filters.created_before))
    key = SORT_KEYS.get(filters.sort)
    if key is None:
        after, order = NEWEST_FIRST if filters.direction != "op" else OLDEST_FIRST
        if filters.after:
            when, ident = filters.after[-2:]
            parts.append(after)
            params += [stamp(when), stamp(when), stamp(when), ident]
    else:
        after, order = BY_KEY["af" if filters.direction == "af" else "op"]
        after, order = after.format(key=key), order.format(key=key)
        # The deadline's key has a placeholder of its own (the date of "no deadline").
        key_params = [day(NO_DEADLINE)] if filters.sort == "termijn" else []
        if filters.after:
            value, when, ident = filters.after
            value = day(value) if filters.sort == "termijn" else value
            parts.append(after)
            params += [*key_params, value, *key_params, value, stamp(when), stamp(when), ident]
        params += key_params  # ORDER BY
    if few and key is None:
        # Start from the few matching cases and sort them: a unary + keeps SQLite from
        # walking the list's index in order (see search.FEW).
        order = order.replace('c."updated_at"', '+c."updated_at"').replace('c."id"', '+c."id"')
    parts.append(order)
    params.append(limit)
    rows = []
    for (
        ident,
        ref,
        title,
        ctype,
        state,
        updated,
        closed,
        conf,
        name,
        created,
        due,
        pupils,
    ) in database.execute_sql(constant_sql("".join(parts)), params):
        closed = _stamp(closed)
        due = _day(due)
        rows.append(
            CaseRow(
                ident,
                ref,
                title,
                ctype,
                state,
                _stamp(updated),
                closed,
                bool(conf),
                name,
                _stamp(created),
                due,
                pupils or "",
                late=closed is None and due is not None and due < today,  # closed is never late
            )
        )
    return rows
