"""The dashboard panels and the yearly figures, counted by the database.

Counts only, never names. The files are confidential, so the figures are coarse for whoever
may not see them (the bestuur): a number below 5 shows as "minder dan 5", because a small
number at a small school can point to a child. Those who see the files (the
aandachtsfunctionaris, IB, directie) get the exact numbers of their school.
"""

import datetime
import statistics

from flask import url_for

from portal import api

from .models import Dossier
from .models import VeiligThuisAdvice
from .workflow import START
from .workflow import STEP_STATES
from .workflow import TYPE
from .workflow import TYPE_NAME
from .workflow import VIEW

_DAY = datetime.timedelta(days=1)

# Where a trajectory stands, by state; the four steps before a decision count together.
OUTCOMES = (
    ("stappen", "Nog in stap 1 tot en met 4"),
    ("hulp", "Hulp loopt (termijn nog niet voorbij of niet beoordeeld)"),
    ("alsnog_melden", "Hulp zonder het gewenste effect, melding volgt"),
    ("gemeld", "Gemeld bij Veilig Thuis"),
    ("hulp_afgerond", "Afgesloten: de hulp had het gewenste effect"),
    ("weggenomen", "Afgesloten: de zorg is weggenomen"),
)


def panels(user, school):
    dossiers = api.at_school(Dossier.select().join(api.Case, on=(Dossier.case == api.Case.id)), school)
    (effect_due,) = api.totals(
        # The type too: the index (school, type, state) reads the files in help only.
        dossiers.where((api.Case.case_type == TYPE_NAME) & (api.Case.state == "hulp")),
        api.count_if(api.overdue("meldcode.effect", api.today() + _DAY)),
    )
    overview = (
        (
            "Lopende dossiers",
            api.open_cases(user, school, TYPE_NAME),
            url_for("cases.index", soort=TYPE_NAME),
        ),
        ("Hulp: effect te beoordelen", effect_due, None),
    )
    start = (
        ("Zorg over de thuissituatie vastleggen", "", url_for(api.start_endpoint(TYPE))),
        (
            "Dossiers die u ziet",
            api.open_cases(user, school, TYPE_NAME),
            url_for("cases.index", soort=TYPE_NAME),
        ),
    )
    return [
        api.Panel("meldcode.overzicht", "Meldcode", overview, VIEW, order=25),
        api.Panel("meldcode.zorg", "Zorg over de thuissituatie", start, START, order=26),
    ]


def figures(school, year, user):
    exact = school is not None and user is not None and api.has_permission(user, school, VIEW)

    def shown(n):
        return api.coarse(n, exact)

    started = api.year_rows(Dossier, api.Case.created_at, school, year)
    by_state = {
        key: n
        for key, n in api.count_by(started, api.Case.state, [(s, s) for s in (*STEP_STATES, *dict(OUTCOMES))])
        if n
    }
    counts = {key: by_state.get(key, 0) for key, _ in OUTCOMES}
    counts["stappen"] = sum(by_state.get(s, 0) for s in STEP_STATES)
    total = sum(by_state.values())

    advice = api.year_rows(VeiligThuisAdvice, VeiligThuisAdvice.consulted_on, school, year)
    reports = api.year_rows(Dossier, Dossier.reported_on, school, year)
    reported, after_help = api.totals(reports, api.count(), api.count_if(Dossier.decision == "hulp"))

    return [
        api.ReportFigure(
            "meldcode.trajecten",
            "Meldcode: trajecten gestart",
            shown(total),
            tuple((label, shown(counts[key])) for key, label in OUTCOMES),
        ),
        api.ReportFigure(
            "meldcode.raadplegingen", "Meldcode: Veilig Thuis anoniem geraadpleegd", shown(advice.count())
        ),
        api.ReportFigure(
            "meldcode.meldingen",
            "Meldcode: meldingen bij Veilig Thuis",
            shown(reported),
            (
                ("Na het afwegingskader", shown(reported - after_help)),
                ("Alsnog, na hulp zonder het gewenste effect", shown(after_help)),
            ),
        ),
        _median_figure(school, year, exact),
    ]


def _median_figure(school, year, exact):
    """Median school days from the signals (step 1) to the decision (step 5), on each
    school's own calendar."""
    decided = api.year_rows(Dossier, Dossier.decided_on, school, year)
    rows = list(decided.select(api.Case.school, Dossier.signalled_on, Dossier.decided_on).tuples())
    label = "Meldcode: schooldagen van signaal tot besluit (mediaan)"
    if not rows:
        return api.ReportFigure("meldcode.doorlooptijd", label, "geen besluiten")
    if api.coarse(len(rows), exact) == api.COARSE:
        return api.ReportFigure("meldcode.doorlooptijd", label, f"niet getoond ({api.COARSE} besluiten)")
    calendars = {}
    days = []
    for school_id, signalled, decision in rows:
        if school_id not in calendars:
            calendars[school_id] = api.SchoolCalendar.for_school(api.School.get_by_id(school_id))
        days.append(calendars[school_id].school_days_between(signalled, decision))
    median = statistics.median(days)
    return api.ReportFigure("meldcode.doorlooptijd", label, f"{median:g} ({len(rows)} besluiten)")
