"""What the case pages and the letters show of an evaluation moment or a drill, and the
agenda of an evaluation moment, made from the register, the open actions and the figures
of the half year before it."""

import calendar
import datetime
import json
from zoneinfo import ZoneInfo

from portal import api

from . import register
from .choices import ANNOUNCED
from .models import Action
from .models import Drill
from .models import Evaluation
from .models import Training

EVALUATION = "organisatie.evaluatie"
DRILL = "organisatie.ontruiming"
OWN_TYPES = (EVALUATION, DRILL)

LOCAL = ZoneInfo("Europe/Amsterdam")


# ------------------------------------------------------------------- actions ----


def actions_of(case):
    return api.rows(case, Action, Action.due_on, Action.id)


def open_actions(school):
    """The school's actions not yet done, soonest due first, each with its case."""
    return list(
        Action.select(Action, api.Case)
        .join(api.Case, on=(Action.case == api.Case.id))
        # The case types too: the index (school, type) reads the school's evaluations and
        # drills, not every case of its history.
        .where(
            (api.Case.school == school.id)
            & api.Case.case_type.in_((EVALUATION, DRILL))
            & Action.done_on.is_null()
        )
        .order_by(Action.due_on, Action.id)
    )


def action_text(action, day=None):
    day = day or api.today()
    late = " (te laat)" if action.due_on < day else ""
    return f"{action.description} ({action.owner}, uiterlijk {api.nl_date(action.due_on)}{late})"


# ------------------------------------------------------------------- agenda ----


def months_before(day, months):
    """The same day ``months`` months earlier (the last day of a shorter month)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def half_year(day):
    """The six months up to and including ``day``: the period whose figures an evaluation
    moment on ``day`` discusses."""
    return months_before(day, 6) + datetime.timedelta(days=1), day


def _utc_midnight(day):
    return (
        datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL)
        .astimezone(datetime.UTC)
        .replace(tzinfo=None)
    )


def half_year_figures(school, first, last):
    """Dutch lines: the cases of every protocol begun in the period, the drills held and
    the courses followed. Counts only: the agenda never names a pupil or a case."""
    cases = (
        api.Case.select(api.Case.case_type, api.count())
        .where(
            (api.Case.school == school.id)
            & (api.Case.created_at >= _utc_midnight(first))
            & (api.Case.created_at < _utc_midnight(last + datetime.timedelta(days=1)))
            & api.Case.case_type.not_in(OWN_TYPES)
        )
        .group_by(api.Case.case_type)
        .tuples()
    )
    lines = []
    for name, n in sorted(cases):
        try:
            title = api.case_type(name).title
        except KeyError:  # a plugin that is no longer installed
            continue
        lines.append(f"{title}: {n}")
    drills = (
        Drill.select()
        .join(api.Case, on=(Drill.case == api.Case.id))
        .where((api.Case.school == school.id) & Drill.held_on.between(first, last))
        .count()
    )
    courses = (
        Training.select()
        .where((Training.school == school.id) & Training.completed_on.between(first, last))
        .count()
    )
    if not lines:
        lines.append("Geen nieuwe zaken in deze periode.")
    lines.append(f"Ontruimingsoefeningen gehouden: {drills}")
    lines.append(f"Cursussen gevolgd (scholing): {courses}")
    return lines


def agenda(school, planned_on, day=None):
    """The agenda of an evaluation moment on ``planned_on``: [(heading, [lines])]."""
    day = day or api.today()
    year = api.school_year_of(planned_on)
    status = register.bhv_status(school, year, day)
    register_lines = register.vacancies(school, year)
    register_lines += [
        f"BHV-certificaat {line.text}: {line.person.name}" for line in status.lines if not line.valid
    ]
    register_lines += [
        f"BHV-certificaat {line.text}: {line.person.name}" for line in status.having("verloopt")
    ]
    if not register_lines:
        register_lines = ["Alle rollen zijn bezet en alle BHV-certificaten zijn geldig."]
    actions = [action_text(a, day) for a in open_actions(school)] or ["Geen open acties."]
    first, last = half_year(planned_on)
    return [
        (
            "Vaste punten (veiligheidsplan 3.3.1)",
            [
                "Weet iedereen wie de BHV'ers, de pestcoördinator, de contactpersoon en de "
                "aandachtsfunctionaris meldcode zijn?",
                status.summary,
            ],
        ),
        (f"Wie doet wat (schooljaar {register.year_text(year)})", register_lines),
        ("Open acties", actions),
        (
            f"Cijfers van {api.nl_date(first)} tot en met {api.nl_date(last)}",
            half_year_figures(school, first, last),
        ),
    ]


def frozen_agenda(detail):
    """The agenda kept when the minutes were recorded, or None."""
    return [tuple(section) for section in json.loads(detail.agenda)] if detail.agenda else None


def freeze_agenda(case, detail):
    """Keep the agenda as it is now on the detail row (the minutes are being recorded)."""
    detail.agenda = json.dumps(agenda(case.school, detail.planned_on), ensure_ascii=False)
    detail.save(only=[Evaluation.agenda])


def evaluation_summary(case, detail):
    kept = frozen_agenda(detail)
    return {
        "ev": detail,
        "agenda": kept or agenda(case.school, detail.planned_on),
        "live": kept is None,
        "actions": actions_of(case),
        "today": api.today(),
    }


def evaluation_letter(case, detail):
    return evaluation_summary(case, detail)


# -------------------------------------------------------------------- drills ----


def duration_text(seconds):
    if seconds is None:
        return ""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def headcount_text(drill):
    if drill.headcount_ok is None:
        return ""
    return "ja" if drill.headcount_ok else f"nee: {drill.headcount_note}"


def drill_summary(case, detail):
    return {
        "drill": detail,
        "announced": api.label(ANNOUNCED, detail.announced),
        "duration": duration_text(detail.evacuation_seconds),
        "headcount": headcount_text(detail),
        "actions": actions_of(case),
        "today": api.today(),
    }
