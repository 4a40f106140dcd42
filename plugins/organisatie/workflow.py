"""The two case types: the evaluation moment (safety plan 3.3.1, "2x per jaar") and the
evacuation drill (3.5.2, "minimaal 1 maal per jaar").

Evaluation moment: planned (the case page shows the agenda made from the register, the
open actions and the figures of the half year) → the minutes, decisions and attendees
are recorded (the agenda is kept as it was) → actions, each with an owner and a date →
closed. The actions stay open until someone marks them done (the actions page), and the
next moment's agenda lists them.

Evacuation drill: planned (date, scenario, announced or not) → carried out (time to
evacuate, head count, problems) → actions → evaluated (the evacuation plan revised, with
its version and date, and the day the staff were informed), or called off.
"""

from portal import api

from . import details
from .details import DRILL
from .details import EVALUATION
from .forms import ActionForm
from .forms import CancelForm
from .forms import DrillDateForm
from .forms import DrillEvaluateForm
from .forms import DrillHeldForm
from .forms import DrillPlanForm
from .forms import EvaluationPlanForm
from .forms import MinutesForm
from .models import Action
from .models import Drill
from .models import Evaluation

# Organisational records, not a child's: kept five years after closing, long enough for an
# inspection to ask how the school evaluated and practised.
RETENTION_DAYS = 365 * 5

# ------------------------------------------------------------- evaluation ----


def _evaluation_title(form):
    return f"Evaluatiemoment {api.nl_date(form.planned_on.data)}"


def record_minutes(case, detail):
    details.freeze_agenda(case, detail)
    return "Verslag vastgelegd; de agenda is bewaard zoals die toen was."


def action_text(form):
    due = api.nl_date(form.due_on.data)
    return f"Actie: {api.clean(form.description)} ({api.clean(form.owner)}, uiterlijk {due})."


EVALUATION_TYPE = api.CaseType(
    name=EVALUATION,
    title="Evaluatiemoment veiligheid",
    search_columns=("agenda", "minutes", "decisions"),
    prefix="EV",
    states=(
        api.State("gepland", "Gepland"),
        api.State("gehouden", "Gehouden: acties vastleggen"),
        api.State("afgerond", "Afgerond", closed=True),
    ),
    initial="gepland",
    transitions=(
        api.Transition(
            "organisatie.verslag",
            "Verslag vastleggen",
            ("gepland",),
            "gehouden",
            "organisatie.plan",
            form=MinutesForm,
            copy=("held_on", "attendees", "minutes", "decisions"),
            apply=record_minutes,
            order=10,
        ),
        api.Transition(
            "organisatie.andere_datum",
            "Andere datum",
            ("gepland",),
            "gepland",
            "organisatie.plan",
            form=EvaluationPlanForm,
            copy=("planned_on",),
            order=20,
        ),
        api.Transition(
            "organisatie.actie",
            "Actie vastleggen",
            ("gehouden",),
            "gehouden",
            "organisatie.plan",
            form=ActionForm,
            record=Action,
            apply=lambda form: action_text(form),
            order=10,
        ),
        api.Transition(
            "organisatie.afronden",
            "Evaluatiemoment afronden",
            ("gehouden",),
            "afgerond",
            "organisatie.plan",
            apply=lambda: "Afgerond. Open acties blijven staan tot ze klaar zijn.",
            order=90,
        ),
    ),
    view_permission="organisatie.evaluatie",
    handle_permission="organisatie.plan",
    retention_days=RETENTION_DAYS,
    about_pupils=False,
    detail=Evaluation,
    summary_template="organisatie/evaluation_summary.html",
    summary_context=details.evaluation_summary,
    start=api.Start(
        EvaluationPlanForm,
        "Evaluatiemoment plannen",
        "organisatie.plan",
        path="evaluatie/plannen",
        title=_evaluation_title,
        intro="Veiligheidsplan 3.3.1: twee keer per jaar is er een evaluatiemoment waarop alle punten "
        "aan de orde komen. De agenda wordt gemaakt uit Wie doet wat (vacatures, BHV-certificaten), de "
        "open acties en de cijfers van het halfjaar ervoor.",
        submit="Evaluatiemoment plannen",
        text="Evaluatiemoment gepland.",
        saved="Het evaluatiemoment is gepland als {reference}.",
    ),
)


# ------------------------------------------------------------------ drill ----


def _drill_title(form):
    return f"Ontruimingsoefening {api.nl_date(form.planned_on.data)}: {api.clean(form.scenario)}"


def record_drill(detail, form):
    detail.evacuation_seconds = form.total_seconds
    detail.headcount_ok = form.headcount.data == "ja"
    detail.save(only=[Drill.evacuation_seconds, Drill.headcount_ok])
    return f"Ontruimd in {details.duration_text(detail.evacuation_seconds)}."


def record_evaluation(detail):
    if detail.plan_revised:
        return (
            f"Ontruimingsplan bijgesteld: versie {detail.plan_version} van "
            f"{api.nl_date(detail.plan_revised_on)}; medewerkers geïnformeerd op "
            f"{api.nl_date(detail.staff_informed_on)}."
        )
    return "Ontruimingsplan niet bijgesteld."


DRILL_TYPE = api.CaseType(
    name=DRILL,
    title="Ontruimingsoefening",
    search_columns=("scenario", "notes", "problems", "evaluation"),
    prefix="OT",
    states=(
        api.State("gepland", "Gepland"),
        api.State("uitgevoerd", "Uitgevoerd: evalueren"),
        api.State("geevalueerd", "Geëvalueerd", closed=True),
        api.State("vervallen", "Niet doorgegaan", closed=True),
    ),
    initial="gepland",
    transitions=(
        api.Transition(
            "organisatie.uitgevoerd",
            "Uitvoering vastleggen",
            ("gepland",),
            "uitgevoerd",
            "organisatie.plan",
            form=DrillHeldForm,
            copy=("held_on", "headcount_note", "problems"),
            apply=record_drill,
            order=10,
        ),
        api.Transition(
            "organisatie.verzetten",
            "Andere datum",
            ("gepland",),
            "gepland",
            "organisatie.plan",
            form=DrillDateForm,
            copy=("planned_on",),
            order=20,
        ),
        api.Transition(
            "organisatie.afgelast",
            "Gaat niet door",
            ("gepland",),
            "vervallen",
            "organisatie.plan",
            form=CancelForm,
            copy=("cancel_reason",),
            order=80,
        ),
        api.Transition(
            "organisatie.oefening_actie",
            "Actie vastleggen",
            ("uitgevoerd",),
            "uitgevoerd",
            "organisatie.plan",
            form=ActionForm,
            record=Action,
            apply=lambda form: action_text(form),
            order=10,
        ),
        api.Transition(
            "organisatie.evalueren",
            "Evaluatie vastleggen",
            ("uitgevoerd",),
            "geevalueerd",
            "organisatie.plan",
            form=DrillEvaluateForm,
            copy=("evaluation", "plan_revised", "plan_version", "plan_revised_on", "staff_informed_on"),
            apply=record_evaluation,
            order=20,
        ),
    ),
    view_permission="organisatie.evaluatie",
    handle_permission="organisatie.plan",
    retention_days=RETENTION_DAYS,
    about_pupils=False,
    detail=Drill,
    summary_template="organisatie/drill_summary.html",
    summary_context=details.drill_summary,
    start=api.Start(
        DrillPlanForm,
        "Ontruimingsoefening plannen",
        "organisatie.plan",
        path="ontruiming/plannen",
        title=_drill_title,
        intro="Veiligheidsplan 3.5.2: minimaal één keer per jaar oefenen wij met onze leerlingen het "
        "ontruimingsplan. Na de oefening legt u vast hoe het ging, welke acties er zijn en of het plan "
        "is bijgesteld.",
        submit="Oefening plannen",
        text="Ontruimingsoefening gepland.",
        saved="De ontruimingsoefening is gepland als {reference}.",
    ),
)
