"""Figures: the dashboard panels and the annual report.

Suspensions count in the school year of their first day; expulsions in the
year of the decision; incidents in the year they happened.
"""

from collections import Counter

from flask import url_for

from portal import api

from .choices import CATEGORIES
from .models import Expulsion
from .models import Incident
from .models import Suspension
from .workflow import EXPULSION
from .workflow import EXPULSION_TYPE
from .workflow import HANDLE
from .workflow import REPORT
from .workflow import SUSPENSION
from .workflow import SUSPENSION_TYPE
from .workflow import VIEW


def _at(query, school):
    return query if school is None else query.where(api.Case.school == school.id)


def panels(user, school):
    now = api.today()
    suspended_now = _at(Suspension.select().join(api.Case), school).where(
        (Suspension.first_day <= now) & (Suspension.last_day >= now)).count()
    # Suspensions longer than a day whose written notice to the inspectie is still open.
    inspectie_open = _at(
        Suspension.select().join(api.Case).join(
            api.CaseChecklistItem, on=(api.CaseChecklistItem.case == api.Case.id)), school
    ).where((Suspension.days > 1) & (api.CaseChecklistItem.name == "schorsing.inspectie")
            & api.CaseChecklistItem.done_at.is_null()).count()
    lines = (
        ("Open incidenten", api.open_cases(user, school, SUSPENSION),
         url_for("cases.index", soort=SUSPENSION)),
        ("Nu geschorst", suspended_now, None),
        ("Inspectie nog te informeren", inspectie_open, None),
        ("Lopende verwijderingstrajecten", api.open_cases(user, school, EXPULSION),
         url_for("cases.index", soort=EXPULSION)),
    )
    actions = [("Ernstig incident melden", "", url_for(api.start_endpoint(SUSPENSION_TYPE)))]
    if api.has_permission(user, school, HANDLE):
        actions.append(("Verwijderingstraject starten", "",
                        url_for(api.start_endpoint(EXPULSION_TYPE))))
    return [api.Panel("schorsing.overzicht", "Schorsen en verwijderen", lines, VIEW, order=30),
            api.Panel("schorsing.melden", "Ernstig incident", tuple(actions), REPORT, order=31)]


def figures(school, year):
    start, end = api.school_year_bounds(year)
    suspensions = list(
        _at(Suspension.select(Suspension, Incident, api.Case)
            .join(api.Case).switch(Suspension)
            .join(Incident, on=(Incident.case == Suspension.case)), school)
        .where(Suspension.first_day.between(start, end))
    )
    incidents = list(_at(Incident.select(Incident, api.Case).join(api.Case), school)
                     .where(Incident.occurred_on.between(start, end)))
    expulsions = list(_at(Expulsion.select(Expulsion, api.Case).join(api.Case), school)
                      .where(Expulsion.decided_on.between(start, end)))

    count_by = Counter(s.incident.category for s in suspensions)
    days_by = Counter()
    for s in suspensions:
        days_by[s.incident.category] += s.days
    by_category = tuple(
        (label, f"{count_by[key]} ({days_by[key]} dagen)")
        for key, label in CATEGORIES if count_by[key]
    )
    incident_rows = tuple(
        (label, n) for key, label in CATEGORIES
        if (n := sum(1 for i in incidents if i.category == key))
    )
    figures = [
        api.ReportFigure("schorsing.incidenten", "Ernstige incidenten gemeld", len(incidents),
                         incident_rows),
        api.ReportFigure("schorsing.schorsingen", "Schorsingen", len(suspensions), by_category),
        api.ReportFigure("schorsing.schorsingsdagen", "Schorsingsdagen in totaal",
                         sum(s.days for s in suspensions)),
        api.ReportFigure("schorsing.inspectie", "Schorsingen langer dan één dag (inspectie gemeld)",
                         sum(1 for s in suspensions if s.days > 1)),
        api.ReportFigure("schorsing.verwijderingen", "Verwijderingen", len(expulsions)),
    ]
    if school is None:
        # The bestuur's view: the same figures per school.
        names = {s.id: s.name for s in api.School.select()}
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
        figures.append(api.ReportFigure("schorsing.per_school",
                                        "Schorsen en verwijderen per school", "", rows))
    return figures
