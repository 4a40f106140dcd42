"""Figures: the dashboard panels and the annual report, counted by the database.

Suspensions count in the school year of their first day; expulsions in the
year of the decision; incidents in the year they happened.
"""

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
    now = api.today()
    # In one statement: suspended today, and suspensions longer than a day whose written
    # notice to the inspectie is still open.
    suspended_now, inspectie_open = api.totals(
        # The type too: the index (school, type) reads this school's suspensions, not every
        # suspension of every school (SQLite's plan with statistics, docs/performance.md).
        api.at_school(Suspension.select().join(api.Case), school).where(api.Case.case_type == SUSPENSION),
        api.count_if((Suspension.first_day <= now) & (Suspension.last_day >= now)),
        api.count_if((Suspension.days > 1) & api.open_item("schorsing.inspectie")),
    )
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


def figures(school, year):
    incidents = api.year_rows(Incident, Incident.occurred_on, school, year)
    suspensions = (
        api.year_rows(Suspension, Suspension.first_day, school, year)
        .switch(Suspension)
        .join(Incident, on=(Incident.case == Suspension.case))
    )
    # An expulsion the board revoked on objection (bezwaar gegrond) is no expulsion.
    revoked = Objection.select(Objection.case).where(Objection.outcome == "gegrond")
    expulsions = api.year_rows(Expulsion, Expulsion.decided_on, school, year).where(
        Expulsion.case.not_in(revoked)
    )

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
