"""The case type "trauma.gebeurtenis": the steps of plan section 3.2.1.

Stap 1 (the report) is the start page the core serves at /<school>/trauma/melden; it
creates the case in "gemeld" with the school's step plan as its checklist. Stap 2,
the first assessment, is two transitions so each answer has its own form: "ja" goes
to "zelf" (the school's step plan), "nee" to "extern" with one or more external
partners. Closing asks for the evaluation.
"""

import collections
import datetime

from portal import api

from .choices import DEFAULT_STEPS
from .choices import KINDS
from .details import summary_data
from .forms import CloseForm
from .forms import ExternalHelpForm
from .forms import ReportForm
from .forms import SchoolHandlesForm
from .forms import assessors
from .models import TraumaEngagement
from .models import TraumaEvent
from .models import TraumaStep

TYPE_NAME = "trauma.gebeurtenis"

# Steps the workflow ticks by itself when they exist in the case's copy of the plan.
KEY_EXTERNAL = "extern"
KEY_EVALUATION = "evaluatie"

# One step of a school's plan as shown and copied, whether from the table or the default.
PlanStep = collections.namedtuple("PlanStep", "key label due_days required")


def plan_for(school):
    """The school's step plan in order (the default while the school has not saved one)."""
    rows = list(
        TraumaStep.select().where(TraumaStep.school == school.id).order_by(TraumaStep.position, TraumaStep.id)
    )
    if not rows:
        return [PlanStep(*s) for s in DEFAULT_STEPS]
    return [PlanStep(r.key, r.label, r.due_days, r.required) for r in rows]


def item_name(key):
    return f"trauma.{key}"


def copy_plan_to_case(case, school):
    """Give a new case its own checklist from the school's current step plan (``Start.after``:
    in the transaction that creates the case). From then on the case owns its items, so
    editing the plan never changes a running case.

    A due date that falls in a weekend or vacation moves to the next school
    day: a follow-up talk needs the school to be open.
    """
    cal, reported_on = None, api.today()
    for step in plan_for(school):
        due = None
        if step.due_days is not None:
            cal = cal or api.SchoolCalendar.for_school(school)
            due = cal.next_school_day(reported_on + datetime.timedelta(days=step.due_days))
        api.add_checklist_item(case, item_name(step.key), step.label, required=step.required, due_date=due)


def needs_teacher(form, user, school):
    """Plan 3.2.1 stap 2: the teacher makes the first assessment. A reporter who may not make it
    (support staff: an onderwijsassistent, a conciërge) names the group's teacher."""
    if user is not None and not api.has_permission(user, school, "trauma.assess") and not form.teacher.data:
        return {"teacher": "Kies de leerkracht van de groep: die maakt de eerste inschatting."}
    return None


def reported(case, form, user, school):
    """In the creating transaction: the case's own step plan, and the teacher named by a
    reporter who may not assess becomes the assignee (the reporter keeps seeing the case:
    ``starter_sees``)."""
    copy_plan_to_case(case, school)
    chosen = form.teacher.data if form is not None else ""
    if chosen and (user is None or str(user.id) != chosen):
        teacher = next((u for u in assessors(school) if str(u.id) == chosen), None)
        if teacher is not None:
            api.assign(case, teacher, user)


def _title(form):
    kind, group = api.label(KINDS, form.kind.data), api.clean(form.group_name)
    return f"{kind} ({group})" if group else kind


def apply_school_handles(detail):
    detail.handled_by = "school"
    detail.save(only=[TraumaEvent.handled_by])
    return "Eerste inschatting: de school kan dit zelf aan. Verder met het stappenplan."


def apply_external_help(case, detail, form, user):
    partners = list(
        api.Partner.select().where(
            api.Partner.id.in_(form.partners.data) & (api.Partner.school == case.school.id)
        )
    )
    for p in partners:
        TraumaEngagement.create(
            case=case.id,
            partner=p.id,
            organisation=p.organisation,
            contacted_on=form.contacted_on.data,
            agreement=form.agreement.data,
            created_by=user.id,
        )
    detail.handled_by = "extern"
    detail.ib_involved = detail.ib_involved or bool(form.ib_consulted.data)
    detail.save(only=[TraumaEvent.handled_by, TraumaEvent.ib_involved])
    names = ", ".join(p.organisation for p in partners)
    # Ticked by name: only when the case's copy of the school's plan has the step, still open.
    api.tick(case, item_name(KEY_EXTERNAL), user, form.contacted_on.data, names)
    return f"Externe hulp ingeschakeld: {names}."


def apply_close(case, user):
    # The closing form is the evaluation, so the plan's own "evaluate" step is done now.
    api.tick(case, item_name(KEY_EVALUATION), user, api.today())
    return "Zaak afgesloten met een evaluatie."


TYPE = api.CaseType(
    name=TYPE_NAME,
    title="Traumatische gebeurtenis",
    prefix="TR",
    states=(
        api.State("gemeld", "Gemeld, eerste inschatting nodig"),
        api.State("zelf", "Aanpak door de school (stappenplan)"),
        api.State("extern", "Aanpak met externe hulp"),
        api.State("afgesloten", "Afgesloten", closed=True),
    ),
    initial="gemeld",
    transitions=(
        api.Transition(
            "trauma.zelf",
            "Eerste inschatting: ja, de school kan dit zelf aan",
            ("gemeld",),
            "zelf",
            "trauma.assess",
            form=SchoolHandlesForm,
            copy=("ib_involved",),
            apply=apply_school_handles,
        ),
        api.Transition(
            "trauma.nee",
            "Eerste inschatting: nee, externe hulp inschakelen",
            ("gemeld",),
            "extern",
            "trauma.assess",
            form=ExternalHelpForm,
            apply=apply_external_help,
        ),
        # Later on the school may still need (more) help: each partner with its own date.
        api.Transition(
            "trauma.partner",
            "Externe partner inschakelen",
            ("zelf", "extern"),
            "extern",
            form=ExternalHelpForm,
            apply=apply_external_help,
        ),
        api.Transition(
            "trauma.sluit",
            "Afsluiten met evaluatie",
            ("zelf", "extern"),
            "afgesloten",
            "trauma.close",
            form=CloseForm,
            copy=("went_well", "to_improve"),
            apply=apply_close,
        ),
    ),
    view_permission="trauma.view",
    handle_permission="trauma.handle",
    # About a child's grief or injury: only the assignee, the IB and the directie see it.
    confidential_roles=("directie", "ib"),
    # Whoever reported keeps sight of it, also support staff who handed it to the teacher.
    starter_sees=True,
    summary_template="trauma/summary.html",
    summary_context=summary_data,
    detail=TraumaEvent,
    search_columns=(
        "description",
        "group_name",
        "pupils",
        "reported_by",
        "parent_info",
        "went_well",
        "to_improve",
    ),
    # The reporter is the assignee: they make the first assessment (stap 2) with the IB
    # and keep seeing the case, which is confidential. The IB and the directie get a mail
    # with the reference only.
    start=api.Start(
        ReportForm,
        "Traumatische gebeurtenis melden",
        "trauma.report",
        path="melden",
        follows=("incidenten.incident",),  # a follow-up of a registered incident
        title=_title,
        confidential=True,
        assign_to_starter=True,
        notify="trauma.notified",
        intro="Stap 1 van het stappenplan: leg vast wat er is gebeurd. De directie en de intern "
        "begeleider krijgen direct bericht. Daarna maakt u, samen met de intern "
        "begeleider, de eerste inschatting: kan de school dit zelf aan?",
        submit="Melding opslaan",
        text="Traumatische gebeurtenis gemeld.",
        saved="De melding is opgeslagen als {reference}. De directie en de intern begeleider "
        "hebben bericht gekregen.",
        # The menu says "Trauma melden", shorter than the page's title.
        nav_order=40,
        nav_label="Trauma melden",
        template="trauma/start.html",
        guard=needs_teacher,
        after=reported,
    ),
)
