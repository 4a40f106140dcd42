"""Figures: the dashboard panel for the directie and the annual report.

Suspensions count in the school year of their first day; expulsions in the
year of the decision; incidents in the year they happened.
"""

from collections import Counter

from flask import url_for

from portal.dates import school_year_bounds
from portal.dates import today
from portal.declarations import Panel
from portal.declarations import ReportFigure
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import School

from .models import CATEGORY_LABELS
from .models import Expulsion
from .models import Incident
from .models import Suspension
from .workflow import EXPULSION
from .workflow import HANDLE
from .workflow import REPORT
from .workflow import SUSPENSION
from .workflow import VIEW


def _at(query, school):
    return query if school is None else query.where(Case.school == school.id)


def panels(user, school):
    open_cases = Case.select().where((Case.school == school.id) & Case.closed_at.is_null())
    open_incidents = open_cases.where(Case.case_type == SUSPENSION).count()
    open_expulsions = open_cases.where(Case.case_type == EXPULSION).count()
    now = today()
    suspended_now = _at(Suspension.select().join(Case), school).where(
        (Suspension.first_day <= now) & (Suspension.last_day >= now)).count()
    # Suspensions longer than a day whose written notice to the inspectie is still open.
    inspectie_open = _at(
        Suspension.select().join(Case).join(
            CaseChecklistItem, on=(CaseChecklistItem.case == Case.id)), school
    ).where((Suspension.days > 1) & (CaseChecklistItem.name == "schorsing.inspectie")
            & CaseChecklistItem.done_at.is_null()).count()
    lines = (
        ("Open incidenten", open_incidents, url_for("cases.index", soort=SUSPENSION)),
        ("Nu geschorst", suspended_now, None),
        ("Inspectie nog te informeren", inspectie_open, None),
        ("Lopende verwijderingstrajecten", open_expulsions,
         url_for("cases.index", soort=EXPULSION)),
    )
    panels = [Panel("schorsing.overzicht", "Schorsen en verwijderen", lines, VIEW, order=30)]
    actions = [("Ernstig incident melden", "", url_for("schorsing.new_incident"))]
    from portal.access import has_permission

    if has_permission(user, school, HANDLE):
        actions.append(("Verwijderingstraject starten", "", url_for("schorsing.new_expulsion")))
    panels.append(Panel("schorsing.melden", "Ernstig incident", tuple(actions), REPORT, order=31))
    return panels


def figures(school, year):
    start, end = school_year_bounds(year)
    suspensions = list(
        _at(Suspension.select(Suspension, Incident, Case)
            .join(Case).switch(Suspension)
            .join(Incident, on=(Incident.case == Suspension.case)), school)
        .where(Suspension.first_day.between(start, end))
    )
    incidents = list(_at(Incident.select(Incident, Case).join(Case), school)
                     .where(Incident.occurred_on.between(start, end)))
    expulsions = list(_at(Expulsion.select(Expulsion, Case).join(Case), school)
                      .where(Expulsion.decided_on.between(start, end)))

    count_by = Counter(s.incident.category for s in suspensions)
    days_by = Counter()
    for s in suspensions:
        days_by[s.incident.category] += s.days
    by_category = tuple(
        (label, f"{count_by[key]} ({days_by[key]} dagen)")
        for key, label in CATEGORY_LABELS.items() if count_by[key]
    )
    incident_rows = tuple(
        (label, n) for key, label in CATEGORY_LABELS.items()
        if (n := sum(1 for i in incidents if i.category == key))
    )
    figures = [
        ReportFigure("schorsing.incidenten", "Ernstige incidenten gemeld", len(incidents),
                     incident_rows),
        ReportFigure("schorsing.schorsingen", "Schorsingen", len(suspensions), by_category),
        ReportFigure("schorsing.schorsingsdagen", "Schorsingsdagen in totaal",
                     sum(s.days for s in suspensions)),
        ReportFigure("schorsing.inspectie", "Schorsingen langer dan één dag (inspectie gemeld)",
                     sum(1 for s in suspensions if s.days > 1)),
        ReportFigure("schorsing.verwijderingen", "Verwijderingen", len(expulsions)),
    ]
    if school is None:
        # The bestuur's view: the same figures per school.
        names = {s.id: s.name for s in School.select()}
        per_school = Counter(s.case.school_id for s in suspensions)
        days_per_school = Counter()
        for s in suspensions:
            days_per_school[s.case.school_id] += s.days
        expelled = Counter(e.case.school_id for e in expulsions)
        rows = tuple(
            (names.get(sid, "?"), f"{per_school[sid]} schorsingen, {days_per_school[sid]} "
                                  f"dagen, {expelled[sid]} verwijderingen")
            for sid in sorted(set(per_school) | set(expelled), key=lambda i: names.get(i, ""))
        )
        figures.append(ReportFigure("schorsing.per_school", "Schorsen en verwijderen per school",
                                    "", rows))
    return figures
