"""Figures: the dashboard panels and the annual report, counted by the database.

Suspensions count in the school year of their first day; expulsions in the
year of the decision; incidents in the year they happened.
"""

import peewee
from flask import url_for

from portal import api

from .choices import CATEGORIES
from .models import Expulsion
from .models import Incident
from .models import Objection
from .models import Suspension
from .workflow import EXPULSION
from .workflow import EXPULSION_TYPE
from .workflow import HANDLE
from .workflow import SUSPENSION
from .workflow import VIEW


def panels(user, school):
    suspended_now, inspectie_open = _panel_counts(school, api.today())
    lines = (
        api.open_cases_line("Open incidenten", user, school, SUSPENSION),
        ("Nu geschorst", suspended_now, None),
        ("Inspectie nog te informeren", inspectie_open, None),
        api.open_cases_line("Lopende verwijderingstrajecten", user, school, EXPULSION),
    )
    if api.has_permission(user, school, HANDLE):
        # A suspension starts from an incident's page; an expulsion route may start here.
        lines += (("Verwijderingstraject starten", "", url_for(api.start_endpoint(EXPULSION_TYPE))),)
    return [api.Panel("schorsing.overzicht", "Schorsen en verwijderen", lines, VIEW, order=30)]


def _panel_counts(school, day):
    """Suspended on ``day``, and suspensions longer than a day whose written notice to the
    inspectie is still open: each a small range, whatever the school's history.

    The first reads the suspensions that end on ``day`` or later in the index on the last
    day (m0004), the second the inspectie items not yet ticked in the index of open
    checklist items (core m0017); each then reads its case by id (CROSS JOIN keeps that
    order on SQLite; PostgreSQL plans it as any join). Summing over every suspension of the
    school, as before, read five years of them for two small numbers."""
    current = (
        Suspension.select()
        .join(api.Case, peewee.JOIN.CROSS)
        .where(
            (Suspension.case == api.Case.id)
            & (Suspension.last_day >= day)
            & (api.Case.case_type == SUSPENSION)
        )
    )
    item = api.CaseChecklistItem
    unreported = (
        item.select()
        .join(api.Case, peewee.JOIN.CROSS)
        .join(Suspension, peewee.JOIN.CROSS)
        .where(
            (item.name == "schorsing.inspectie")
            & item.done_at.is_null()
            & (item.case == api.Case.id)
            & (Suspension.case == api.Case.id)
            & (Suspension.days > 1)
            & (api.Case.case_type == SUSPENSION)
        )
    )
    # Begun by ``day`` is counted, not filtered: as a condition SQLite may walk the index on the
    # first day instead, every suspension that began before today.
    (now,) = api.totals(api.at_school(current, school), api.count_if(Suspension.first_day <= day))
    (missing,) = api.totals(api.at_school(unreported, school), api.count())
    return now, missing


def figures(school, year):
    incidents = api.year_rows(Incident, Incident.occurred_on, school, year)
    suspensions = (
        api.year_rows(Suspension, Suspension.first_day, school, year)
        .switch(Suspension)
        .join(Incident, on=(Incident.case == Suspension.case))
    )
    # An expulsion the board revoked on objection (bezwaar gegrond) is no expulsion.
    # Asked per expulsion of the year in the objection's index on its case.
    revoked = peewee.fn.EXISTS(
        Objection.select(peewee.SQL("1")).where(
            (Objection.case == Expulsion.case) & (Objection.outcome == "gegrond")
        )
    )
    expulsions = api.year_rows(Expulsion, Expulsion.decided_on, school, year).where(~revoked)

    reported = api.count_by(incidents, Incident.category, CATEGORIES, zeros=False)
    # One statement for four figures: per category the number and the days, and of those
    # longer than a day how many were reported to the inspectie (the checklist item ticked)
    # and how many are still missing that notice.
    longer = Suspension.days > 1
    suspended = api.count_by(
        suspensions,
        Incident.category,
        CATEGORIES,
        api.total(Suspension.days),
        api.count_if(longer & api.done_item("schorsing.inspectie")),
        api.count_if(longer & api.open_item("schorsing.inspectie")),
        zeros=False,
    )
    count, days, notified, missing = suspended.totals
    figures = [
        api.ReportFigure("schorsing.incidenten", "Ernstige incidenten gemeld", reported.total, reported),
        api.ReportFigure(
            "schorsing.schorsingen",
            "Schorsingen",
            count,
            tuple((label, f"{n} ({d} dagen)") for label, n, d, *_ in suspended),
        ),
        api.ReportFigure("schorsing.schorsingsdagen", "Schorsingsdagen in totaal", days),
        api.ReportFigure(
            "schorsing.inspectie", "Schorsingen langer dan één dag (inspectie gemeld)", notified
        ),
        api.ReportFigure(
            "schorsing.inspectie_ontbreekt",
            "Schorsingen langer dan één dag, melding aan de inspectie nog niet vastgelegd",
            missing,
        ),
        api.ReportFigure("schorsing.verwijderingen", "Verwijderingen", expulsions.count()),
    ]
    if school is None:
        # The bestuur's view: the same figures per school.
        rows = api.per_school(
            (suspensions, api.count(), api.total(Suspension.days)), (expulsions, api.count())
        )
        figures.append(
            api.ReportFigure(
                "schorsing.per_school",
                "Schorsen en verwijderen per school",
                "",
                tuple((name, f"{n} schorsingen, {d} dagen, {e} verwijderingen") for name, n, d, e in rows),
            )
        )
    return figures
