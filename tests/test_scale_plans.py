"""Issue 15, item 1: the dashboard does not grow with the history of cases.

Every statement the dashboard runs, for every role, is asked for its plan (SQLite's
EXPLAIN QUERY PLAN; PostgreSQL's plans depend on table statistics: the benchmark EXPLAINs
them). A statement may not read a table without an index (SCAN), and a statement that reads
cases may not read every case of the school (a range on the school alone: its closed cases
of five years) nor sort what it found (USE TEMP B-TREE FOR ORDER BY): it reads an index range
of open cases, of a type in a state, of deadlines not met, in the order it shows them.
"""

import re

import pytest

from portal.db import database
from portal.db import is_sqlite
from portal.testing import ROLES

from .conftest import login

# Plugin statements that still read a school's range of their own rows (a few per year:
# drills, evaluation actions, the partners) and sort them; listed by their table so that a new
# statement is not let through. See docs/performance.md, "Board scale". (social_media's pending
# requests and schorsing's suspensions left these lists: an index serves each, m0003/m0004.)
KNOWN_SMALL_SORTS = ("organisatie_drill", "organisatie_action", "portal_partner")
# Statements that may read every case of the school (none left).
KNOWN_SCHOOL_RANGES = ()

SCHOOL_ONLY = re.compile(r"portal_case_\w+ \(school_id=\?\)$")


def _plans(app, role, url="/klaverweide/"):
    client = app.test_client()
    login(client, role)
    seen = []
    real = database.obj.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        seen.append((sql, params))
        return real(sql, params, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database.obj, "execute_sql", recording)
        assert client.get(url).status_code == 200
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            return [
                (sql, [row[-1] for row in real("EXPLAIN QUERY PLAN " + sql, params).fetchall()])
                for sql, params in seen
                if sql.lstrip().upper().startswith("SELECT")
            ]
        finally:
            database.close()


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_panels_read_small_ranges_in_index_order(app, role):
    if not is_sqlite():
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans depend on table statistics")
    problems = []
    for sql, plan in _plans(app, role):
        for line in plan:
            if line.startswith("SCAN ") and "INDEX" not in line and "CONSTANT ROW" not in line:
                # A subquery's own rows (SCAN of a co-routine: s, l) are not a table.
                if not re.fullmatch(r"SCAN \w", line):
                    problems.append((line, sql[:300]))
            if '"portal_case"' not in sql and '"portal_case_deadline"' not in sql:
                continue
            if "TEMP B-TREE FOR ORDER BY" in line and not any(t in sql for t in KNOWN_SMALL_SORTS):
                problems.append((line, sql[:300]))
            if SCHOOL_ONLY.search(line) and not any(t in sql for t in KNOWN_SCHOOL_RANGES):
                problems.append((line, sql[:300]))
    assert not problems, "\n".join(f"{line}: {sql}" for line, sql in problems)


def test_due_soon_walks_open_deadlines_in_due_order(app):
    if not is_sqlite():
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    plans = [
        plan for sql, plan in _plans(app, "directie") if 'FROM "portal_case_deadline" AS "t1" CROSS' in sql
    ]
    assert plans, "the dashboard lists the deadlines due this week"
    for plan in plans:
        assert any("portal_case_deadline_due_open" in line for line in plan), plan
        assert any("INTEGER PRIMARY KEY" in line for line in plan), plan
        assert not any("TEMP B-TREE" in line for line in plan), plan
