"""Issue 19 (performance) and issue 15, item 1: the yearly report reads the year's rows.

The report of a school and the bestuur's version over every school are rendered with their
figures computed afresh (the report cache emptied), and SQLite is asked for the plan of
every statement they ran (EXPLAIN QUERY PLAN; PostgreSQL's plans depend on table
statistics). No statement may read a table without an index (SCAN): a figure reads the
school year's rows in an index on the date that picks the year (the plugins' own
migrations), or the school's cases of a type from that year, and each row's case by id.
The fingerprint of the report cache reads one end of an index, whatever the history.
"""

import re

import pytest

from portal.dates import school_year_of
from portal.dates import today
from portal.db import is_sqlite
from portal.report import cache

from .test_scale_plans import _plans

YEAR = school_year_of(today())
PAGES = {
    "school": ("directie", f"/klaverweide/jaarcijfers/?jaar={YEAR}"),
    "bestuur": ("bestuur", f"/klaverweide/jaarcijfers/bestuur?jaar={YEAR}"),
}


# The bestuur's version lists the schools of the board and the plugins each enabled: tables
# of the board's configuration, which grow with the number of schools, not with the history.
BOARD_TABLES = ('"portal_school"', '"portal_school_plugin"')


def _fresh_plans(app, role, url):
    app.extensions.get("portal_report_cache", {}).clear()
    return _plans(app, role, url)


def _scans(plans, allowed=()):
    out = []
    for sql, plan in plans:
        tables = set(re.findall(r'(?:FROM|JOIN) ("\w+")', sql))
        if tables and tables <= set(allowed):
            continue
        for line in plan:
            # A subquery's own rows (SCAN of a co-routine: a one-letter alias) are no table.
            if line.startswith("SCAN ") and "INDEX" not in line and "CONSTANT ROW" not in line:
                if not re.fullmatch(r"SCAN \w+", line) or line.startswith("SCAN t"):
                    out.append((line, sql[:300]))
    return out


@pytest.mark.parametrize("page", sorted(PAGES))
def test_yearly_report_statements_read_no_table_without_an_index(app, page):
    if not is_sqlite():
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans depend on table statistics")
    role, url = PAGES[page]
    plans = _fresh_plans(app, role, url)
    figures = [sql for sql, _ in plans if "school_year" in sql or "BETWEEN" in sql or "created_at" in sql]
    assert figures, "the page computed its figures"
    problems = _scans(plans, BOARD_TABLES if page == "bestuur" else ())
    assert not problems, "\n".join(f"{line}: {sql}" for line, sql in problems)


def test_the_fingerprint_reads_one_end_of_each_index(app):
    if not is_sqlite():
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from portal.db import constant_sql
    from portal.db import database

    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            for sql, params in ((cache._SCHOOL_MARKS, (1,) * 7), (cache._BOARD_MARKS, ())):
                explained = database.execute_sql("EXPLAIN QUERY PLAN " + constant_sql(sql), params)
                plan = [row[-1] for row in explained]
                # The cases: a search at one end of an index (or of the rowids), never a scan.
                cases = [line for line in plan if re.match(r"(SCAN|SEARCH) (portal_case|c)\b(?!_)", line)]
                assert cases and all(line.startswith("SEARCH") for line in cases), plan
                # No COUNT over the cases: only the vacations and plugins, a few rows, are counted.
                assert not re.search(r'COUNT\([^)]*\) FROM "portal_case"', sql), sql
        finally:
            database.close()
