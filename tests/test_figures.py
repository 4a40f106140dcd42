"""The figure helpers (portal.figures, in portal.api): counts in SQL with GROUP BY, one
statement per figure however many cases, the same numbers on SQLite and PostgreSQL.

The data are test cases ("testzaak") at three schools, counted by state: every test case
has three checklist items (positions 0, 1, 2) and a deadline "testzaak.reactie"."""

import contextlib
import datetime

import pytest

from portal import api
from portal.cases import engine
from portal.db import database
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline
from portal.models import School

from .core_helpers import TYPE

STATES = (("nieuw", "Nieuw"), ("bezig", "In behandeling"), ("klaar", "Afgerond"))


@contextlib.contextmanager
def statements():
    """The SQL statements run inside the block."""
    seen = []
    real = database.obj.execute_sql

    def counting(sql, params=None):
        seen.append(sql)
        return real(sql, params)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database.obj, "execute_sql", counting)
        yield seen


def add_cases(school, state, n=1):
    cases = [engine.create_case(school, TYPE, f"Testzaak {state}") for _ in range(n)]
    Case.update(state=state).where(Case.id.in_([c.id for c in cases])).execute()
    return cases


@pytest.fixture
def schools(ctx):
    """De Klaverweide: 3 nieuw, 1 bezig, 1 in an old state "oud"; Aquamarijn: 2 bezig;
    De Esdoorn: 1 klaar; Zonnebloem: none."""
    klaverweide = School.get(School.slug == "klaverweide")
    aquamarijn = School.create(slug="aquamarijn", name="Aquamarijn")
    esdoorn = School.create(slug="esdoorn", name="De Esdoorn")
    School.create(slug="zonnebloem", name="Zonnebloem")
    add_cases(klaverweide, "nieuw", 3)
    add_cases(klaverweide, "bezig")
    add_cases(klaverweide, "oud")
    add_cases(aquamarijn, "bezig", 2)
    add_cases(esdoorn, "klaar")
    return klaverweide, aquamarijn, esdoorn


def cases(school=None):
    return api.at_school(Case.select().where(Case.case_type == TYPE), school)


def test_count_by_gives_rows_in_the_order_of_the_labels(schools):
    klaverweide, *_ = schools
    with statements() as seen:
        rows = api.count_by(cases(klaverweide), Case.state, STATES)
    assert len(seen) == 1 and "GROUP BY" in seen[0]
    assert rows == (("Nieuw", 3), ("In behandeling", 1), ("Afgerond", 0))
    assert rows.total == 5  # the old state counts in the total, not in a row
    assert api.count_by(cases(klaverweide), Case.state, STATES, zeros=False) == (
        ("Nieuw", 3),
        ("In behandeling", 1),
    )
    assert api.count_by(cases(klaverweide), Case.state, STATES, others=True)[-1] == ("oud", 1)
    # All schools (the bestuur's view).
    assert api.count_by(cases(), Case.state, STATES) == (("Nieuw", 3), ("In behandeling", 3), ("Afgerond", 1))


def test_count_by_takes_more_aggregates_in_the_same_statement(schools):
    items = (
        CaseChecklistItem.select()
        .join(Case, on=(CaseChecklistItem.case == Case.id))
        .where(Case.case_type == TYPE)
    )
    with statements() as seen:
        rows = api.count_by(
            items,
            Case.state,
            STATES,
            api.total(CaseChecklistItem.position),
            api.count_if(CaseChecklistItem.position > 0),
        )
    assert len(seen) == 1
    # Per case three items, positions 0 + 1 + 2.
    assert rows == (("Nieuw", 9, 9, 6), ("In behandeling", 9, 9, 6), ("Afgerond", 3, 3, 2))
    assert rows.totals == (24, 24, 16)  # with the old state's case
    assert api.count_by(cases().where(Case.state == "weg"), Case.state, STATES).totals == (0,)


def test_sum_by(schools):
    items = (
        CaseChecklistItem.select()
        .join(Case, on=(CaseChecklistItem.case == Case.id))
        .where(Case.case_type == TYPE)
    )
    with statements() as seen:
        rows = api.sum_by(items, Case.state, CaseChecklistItem.position, STATES, zeros=False)
    assert len(seen) == 1
    assert rows == (("Nieuw", 9), ("In behandeling", 9), ("Afgerond", 3)) and rows.total == 24


def test_totals_and_top(schools):
    with statements() as seen:
        found = api.totals(cases(), api.count(), api.count_if(Case.state == "bezig"))
        ranked = api.top(cases(), Case.state, 3)
    assert len(seen) == 2
    assert found == (8, 3)
    # Most first; a tie by value.
    assert ranked == (("bezig", 3), ("nieuw", 3), ("klaar", 1))
    assert api.totals(cases().where(Case.state == "weg"), api.count(), api.total(Case.id)) == (0, 0)


def test_per_school_for_the_bestuur(schools):
    open_cases = cases().where(Case.state != "klaar")
    closed = cases().where(Case.state == "klaar")
    items = (
        CaseChecklistItem.select()
        .join(Case, on=(CaseChecklistItem.case == Case.id))
        .where((Case.case_type == TYPE) & (Case.state != "klaar"))
    )
    with statements() as seen:
        rows = api.per_school(
            (open_cases, api.count()), (items, api.count(), api.total(CaseChecklistItem.position)), (closed,)
        )
    assert len(seen) == 1, seen  # one UNION ALL
    # By name; a school without rows in a part has 0 there; a school without rows is left out.
    assert rows == (("Aquamarijn", 2, 6, 6, 0), ("De Esdoorn", 0, 0, 0, 1), ("De Klaverweide", 5, 15, 15, 0))
    assert api.per_school((open_cases,)) == (("Aquamarijn", 2), ("De Klaverweide", 5))


def test_one_statement_whatever_the_number_of_cases(schools):
    klaverweide, *_ = schools
    with statements() as before:
        api.count_by(cases(), Case.state, STATES)
        api.per_school((cases(), api.count()))
    add_cases(klaverweide, "bezig", 40)
    with statements() as after:
        rows = api.count_by(cases(), Case.state, STATES)
        api.per_school((cases(), api.count()))
    assert len(before) == len(after) == 2
    assert rows[1] == ("In behandeling", 43)


def test_school_year_of_a_date_and_of_a_moment(schools):
    klaverweide, *_ = schools
    some = list(cases(klaverweide).order_by(Case.id))[:4]
    mine = Case.id.in_([c.id for c in some])
    utc = datetime.datetime
    # 1 August 00:00 in the Netherlands (summer time) is 31 July 22:00 UTC.
    moments = [
        utc(2025, 7, 31, 21, 59, 59),
        utc(2025, 7, 31, 22, 0),
        utc(2026, 7, 31, 21, 59, 59),
        utc(2026, 7, 31, 22, 0),
    ]
    days = [
        datetime.date(2025, 7, 31),
        datetime.date(2025, 8, 1),
        datetime.date(2026, 7, 31),
        datetime.date(2026, 8, 1),
    ]
    for case, moment, day in zip(some, moments, days, strict=True):
        Case.update(created_at=moment, retention_until=day).where(Case.id == case.id).execute()
    in_year = cases().where(mine & api.in_school_year(Case.created_at, 2025))
    assert sorted(c.created_at for c in in_year) == moments[1:3]
    assert all(api.school_year_of(api.local(m).date()) == 2025 for m in moments[1:3])
    by_date = cases().where(mine & api.in_school_year(Case.retention_until, 2025))
    assert sorted(c.retention_until for c in by_date) == days[1:3]


def test_open_items_and_overdue_deadlines(schools):
    klaverweide, *_ = schools
    first, second, *_ = list(cases(klaverweide).order_by(Case.id))
    CaseChecklistItem.update(done_at=datetime.date(2026, 3, 1)).where(
        (CaseChecklistItem.case == first.id) & (CaseChecklistItem.name == "testzaak.brief")
    ).execute()
    CaseDeadline.update(met_at=api.utcnow()).where(CaseDeadline.case == second.id).execute()
    later = api.today() + datetime.timedelta(days=60)
    with statements() as seen:
        found = api.totals(
            cases(klaverweide),
            api.count_if(api.open_item("testzaak.brief")),
            api.count_if(api.overdue("testzaak.reactie", later)),
            api.count_if(api.overdue("testzaak.reactie")),
        )
    assert len(seen) == 1
    # Five cases: one item ticked; one deadline met, and none is due yet today.
    assert found == (4, 4, 0)


def test_year_rows_of_a_plugin_table(schools):
    """A plugin's rows with a ``case`` column, at a school (None: all), in a school year by a
    column of their own or of their case."""
    klaverweide, aquamarijn, _ = schools
    items = (
        CaseChecklistItem.select()
        .join(Case)
        .where((Case.case_type == TYPE) & (CaseChecklistItem.name == "testzaak.brief"))
        .order_by(Case.id)
    )
    # De Klaverweide's first three cases are "nieuw", Aquamarijn's are "bezig".
    due = {
        klaverweide.id: [datetime.date(2025, 8, 1), datetime.date(2026, 7, 31), datetime.date(2026, 8, 1)],
        aquamarijn.id: [datetime.date(2025, 9, 1)],
    }
    for school_id, days in due.items():
        mine = [i for i in items if i.case.school_id == school_id]
        for item, day in zip(mine, days, strict=False):
            CaseChecklistItem.update(due_date=day).where(CaseChecklistItem.id == item.id).execute()

    def rows(school, column=CaseChecklistItem.due_date, year=2025):
        return api.year_rows(CaseChecklistItem, column, school, year).where(Case.case_type == TYPE)

    assert [rows(s).count() for s in (klaverweide, aquamarijn, None)] == [2, 1, 3]
    assert rows(None, year=2026).count() == 1
    # By the case's moment of creation: every test case was made this school year.
    this_year = api.school_year_of(api.today())
    assert rows(klaverweide, Case.created_at, this_year).count() == 5 * 3
    with statements() as seen:
        found = api.count_by(rows(None), Case.state, STATES, zeros=False)
    assert len(seen) == 1
    assert found == (("Nieuw", 2), ("In behandeling", 1))
