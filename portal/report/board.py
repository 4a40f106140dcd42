"""The bestuur's version of the yearly report (veiligheidsplan 2.2.4): every school of the
board in one table, a row per school and the total, and the figures across all schools
with the year before; every count from 1 to 4 shown as "< 5".

A school's row holds the headline value of each counting figure, from that school's own
call of the ``annual_report`` hook (each figure one statement over that school's rows of
the year); the total comes from one call across all schools.
"""

from dataclasses import dataclass

from ..models import School
from .cache import kept
from .yearly import annual
from .yearly import figures
from .yearly import is_number
from .yearly import suppress


@dataclass
class Column:
    name: str
    label: str


@dataclass
class SchoolRow:
    id: int
    slug: str
    name: str
    values: list


@dataclass
class Board:
    year: int
    columns: list
    schools: list
    totals: list
    figures: list


def board_report(year, user):
    """The bestuur's version; kept while no case, school, vacation or enabled plugin of the
    board changed (report/cache.py)."""
    key = ("board", getattr(user, "id", None), year)
    return kept(key, lambda: _board(year, user), None)


def _board(year, user):
    totals = figures(None, year, user, board=True)
    raw = {f.name: f for f in annual(None, year, user)}
    columns = [
        Column(f.name, f.label)
        for f in raw.values()
        if f.counts and is_number(f.value) and not f.name.startswith("portal.")
    ]
    rows = []
    for school in School.select(School.id, School.slug, School.name).order_by(School.name, School.id):
        found = {f.name: f.value for f in annual(school, year, user)}
        values = [suppress(found[c.name]) if c.name in found else "" for c in columns]
        rows.append(SchoolRow(school.id, school.slug, school.name, values))
    total_row = [suppress(raw[c.name].value) for c in columns]
    return Board(year, columns, rows, total_row, totals)
