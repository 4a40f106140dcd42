"""Demo content of the yearly report: two years of monitor results and a few actions, so
that the demo school's report has last year beside this year. Fictional, without names."""

import datetime

from ..dates import school_year_of
from ..dates import today
from ..db import atomic
from ..models import MonitorResult
from ..models import MonitorScore
from ..models import SafetyAction

# (years back, month, day of the measurement, respondents, school scores, group scores)
MONITORS = (
    (1, 11, 4, 168, (3.5, 3.3), (("Groep 5", 3.6, 3.4), ("Groep 6", 3.4, 3.3), ("Groep 7", 3.5, 3.2))),
    (0, 11, 3, 171, (3.4, 3.2), (("Groep 5", 3.5, 3.3), ("Groep 6", 3.1, 3.0), ("Groep 7", 3.5, 3.3))),
)


def add_demo(school):
    if MonitorResult.select().where(MonitorResult.school == school.id).exists():
        return
    year = school_year_of(today())
    with atomic():
        for back, month, day, respondents, (safety, wellbeing), groups in MONITORS:
            y = year - back
            measured = datetime.date(y, month, day)
            if measured > today():
                measured = datetime.date(y, 9, 15)
            monitor = MonitorResult.create(
                school=school.id,
                school_year=y,
                instrument="Hart en Handen (IEP)",
                measured_on=measured,
                invited=180,
                respondents=respondents,
                note="Afgenomen in de groepen 5 tot en met 8.",
                inspectie_on=measured + datetime.timedelta(days=14) if back else None,
            )
            MonitorScore.create(monitor=monitor.id, indicator="veiligheid", score=safety)
            MonitorScore.create(monitor=monitor.id, indicator="welbevinden", score=wellbeing)
            for group, s, w in groups:
                MonitorScore.create(monitor=monitor.id, group_name=group, indicator="veiligheid", score=s)
                MonitorScore.create(monitor=monitor.id, group_name=group, indicator="welbevinden", score=w)
        SafetyAction.create(
            school=school.id,
            school_year=year - 1,
            goal="Pleinregels opnieuw invoeren met de leerlingenraad",
            owner="pbs",
            due_on=datetime.date(year, 3, 1),
            status="afgerond",
            finding_kind="incidenten",
            finding="Meer incidenten op het plein in de middagpauze.",
            result="Minder meldingen van ruzies op het plein na de voorjaarsvakantie.",
            done_on=datetime.date(year, 2, 20),
        )
        SafetyAction.create(
            school=school.id,
            school_year=year,
            goal="Extra lessen over omgaan met elkaar in groep 6",
            owner="leerkrachten",
            due_on=today() - datetime.timedelta(days=3),
            status="bezig",
            finding_kind="monitor",
            finding="Veiligheidsbeleving in groep 6 gedaald van 3,4 naar 3,1.",
        )
        SafetyAction.create(
            school=school.id,
            school_year=year,
            goal="Evaluatiemoment veiligheid met het team (twee keer per jaar)",
            owner="directie",
            due_on=datetime.date(year + 1, 2, 1),
            status="gepland",
            finding_kind="evaluatie",
        )
