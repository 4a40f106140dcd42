"""The case list query, written out in SQL.

Building this query with peewee costs about 1 ms per page view, ten times what
the database needs to run it (docs/performance.md), and the list is the page
staff open most. So it is written out here, once. The SQL text is made only of
the constant fragments below and placeholders; every value is a parameter.

Keyset pagination on (updated_at, id) and no COUNT: page 4,000 costs what page
1 costs (measured at 100,000 cases: OFFSET 50,000 was 2.3 times slower than page
1, and a COUNT per page view cut page 1 from ~400 to ~150 req/s). Visibility is
the same rule as ``visibility.visible_condition`` (tests/test_engine_visibility.py
checks that the list and the detail page agree).
"""

import datetime
from dataclasses import dataclass

from ..db import database
from ..models import Case
from ..models import CaseDeadline

SELECT = (
    'SELECT c."id", c."reference", c."title", c."case_type", c."state", c."updated_at", '
    'c."closed_at", c."confidential", u."name", '
    'EXISTS (SELECT 1 FROM "portal_case_deadline" AS d WHERE d."case_id" = c."id" '
    'AND d."met_at" IS NULL AND d."due_date" < {p}) '
    'FROM "portal_case" AS c LEFT OUTER JOIN "portal_user" AS u ON u."id" = c."assignee_id" '
    'WHERE c."school_id" = {p} '
    'AND c."id" NOT IN (SELECT x."case_id" FROM "portal_case_exclusion" AS x WHERE x."user_id" = {p}) '
)
VISIBLE = (
    'AND (c."assignee_id" = {p} OR (c."created_by_id" = {p} AND c."case_type" IN ({starter})) '
    'OR (c."case_type" IN ({viewable}) '
    'AND (c."confidential" = {p} OR c."case_type" IN ({confidential})))) '
)
OPEN_ONLY = 'AND c."closed_at" IS NULL '
OF_TYPE = 'AND c."case_type" = {p} '
IN_STATE = 'AND c."state" = {p} '
MINE = 'AND c."assignee_id" = {p} '
UNASSIGNED = 'AND c."assignee_id" IS NULL '
LATE = (
    'AND c."closed_at" IS NULL AND EXISTS (SELECT 1 FROM "portal_case_deadline" AS e '
    'WHERE e."case_id" = c."id" AND e."met_at" IS NULL AND e."due_date" < {p}) '
)
REFERENCE = "AND c.\"reference\" LIKE {p} ESCAPE '!' "
AFTER = 'AND c."updated_at" <= {p} AND (c."updated_at" < {p} OR (c."updated_at" = {p} AND c."id" < {p})) '
ORDER = 'ORDER BY c."updated_at" DESC, c."id" DESC LIMIT {p}'


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
    late: bool
    type_title: str = ""
    state_title: str = ""
    when: str = ""


def _stamp(value):
    """A timestamp column as datetime (SQLite returns text, PostgreSQL a datetime)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.fromisoformat(value)


@dataclass
class Filters:
    case_type: str = ""
    state: str = ""
    assignee: str = ""  # "ik", "niemand" or ""
    include_closed: bool = False
    late_only: bool = False
    reference: str = ""
    after: tuple | None = None  # (updated_at, id) of the last row of the previous page


def _in_list(n):
    """n placeholders for an IN list; an empty list matches nothing."""
    return ", ".join([database.param] * n) if n else "NULL"


def list_cases(user_id, school_id, viewable, confidential, today, filters, limit, starter=()):
    """One page of cases ``user_id`` may see at ``school_id``, newest change first
    (``starter``: the types whose cases their starter sees, ``visibility.starter_types``)."""
    p = database.param
    stamp = Case.updated_at.db_value
    day = CaseDeadline.due_date.db_value(today)
    parts = [
        SELECT.format(p=p),
        VISIBLE.format(
            p=p,
            starter=_in_list(len(starter)),
            viewable=_in_list(len(viewable)),
            confidential=_in_list(len(confidential)),
        ),
    ]
    params = [day, school_id, user_id, user_id, user_id, *starter, *viewable, False, *confidential]
    if not filters.include_closed:
        parts.append(OPEN_ONLY)
    if filters.case_type:
        parts.append(OF_TYPE.format(p=p))
        params.append(filters.case_type)
    if filters.state:
        parts.append(IN_STATE.format(p=p))
        params.append(filters.state)
    if filters.assignee == "ik":
        parts.append(MINE.format(p=p))
        params.append(user_id)
    elif filters.assignee == "niemand":
        parts.append(UNASSIGNED)
    if filters.late_only:
        parts.append(LATE.format(p=p))
        params.append(day)
    if filters.reference:
        escaped = filters.reference.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        parts.append(REFERENCE.format(p=p))
        params.append(escaped + "%")
    if filters.after:
        when, ident = filters.after
        parts.append(AFTER.format(p=p))
        params += [stamp(when), stamp(when), stamp(when), ident]
    parts.append(ORDER.format(p=p))
    params.append(limit)
    rows = []
    for ident, ref, title, ctype, state, updated, closed, conf, name, late in database.execute_sql(
        "".join(parts), params
    ):
        closed = _stamp(closed)
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
                bool(late) and closed is None,
            )
        )  # closed is never late
    return rows
