"""The case type "trauma.gebeurtenis": the steps of plan section 3.2.1.

Stap 1 (report) creates the case in "gemeld" (views.report). Stap 2, the first
assessment, is two transitions so each answer has its own form: "ja" goes to
"zelf" (the school's step plan), "nee" to "extern" with one or more external
partners. Closing asks for the evaluation.
"""

from portal.cases import engine
from portal.declarations import CaseType
from portal.declarations import State
from portal.declarations import Transition
from portal.models import CaseChecklistItem

from .details import event_of
from .details import summary_data
from .forms import CloseForm
from .forms import ExternalHelpForm
from .forms import SchoolHandlesForm
from .models import TraumaEngagement
from .models import TraumaEvent
from .models import TraumaPartner
from .steps import KEY_EVALUATION
from .steps import KEY_EXTERNAL
from .steps import item_name

TYPE_NAME = "trauma.gebeurtenis"


def _tick_if_open(case, key, user, day, note=""):
    """Tick the case's own copy of a step, when the school's plan has that step."""
    item = CaseChecklistItem.get_or_none(
        (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == item_name(key))
        & CaseChecklistItem.done_at.is_null()
    )
    if item is not None:
        engine.tick(case, item, user, day, note)


def apply_school_handles(case, form, user):
    TraumaEvent.update(handled_by="school", ib_involved=bool(form.ib_involved.data)).where(
        TraumaEvent.case == case.id).execute()
    return "Eerste inschatting: de school kan dit zelf aan. Verder met het stappenplan."


def apply_external_help(case, form, user):
    ev = event_of(case)
    partners = list(TraumaPartner.select().where(
        TraumaPartner.id.in_(form.partners.data) & (TraumaPartner.school == case.school.id)))
    for p in partners:
        TraumaEngagement.create(case=case.id, partner=p.id, organisation=p.organisation,
                                contacted_on=form.contacted_on.data,
                                agreement=form.agreement.data, created_by=user.id)
    ev.handled_by = "extern"
    ev.ib_involved = ev.ib_involved or bool(form.ib_consulted.data)
    ev.save(only=[TraumaEvent.handled_by, TraumaEvent.ib_involved])
    names = ", ".join(p.organisation for p in partners)
    _tick_if_open(case, KEY_EXTERNAL, user, form.contacted_on.data, names[:500])
    return f"Externe hulp ingeschakeld: {names}."


def apply_close(case, form, user):
    TraumaEvent.update(went_well=form.went_well.data, to_improve=form.to_improve.data).where(
        TraumaEvent.case == case.id).execute()
    # The closing form is the evaluation, so the plan's own "evaluate" step is done now.
    from portal.dates import today

    _tick_if_open(case, KEY_EVALUATION, user, today())
    return "Zaak afgesloten met een evaluatie."


TYPE = CaseType(
    name=TYPE_NAME,
    title="Traumatische gebeurtenis",
    prefix="TR",
    states=(
        State("gemeld", "Gemeld, eerste inschatting nodig"),
        State("zelf", "Aanpak door de school (stappenplan)"),
        State("extern", "Aanpak met externe hulp"),
        State("afgesloten", "Afgesloten", closed=True),
    ),
    initial="gemeld",
    transitions=(
        Transition("trauma.zelf", "Eerste inschatting: ja, de school kan dit zelf aan",
                   ("gemeld",), "zelf", "trauma.assess", form=SchoolHandlesForm,
                   apply=apply_school_handles, order=10),
        Transition("trauma.nee", "Eerste inschatting: nee, externe hulp inschakelen",
                   ("gemeld",), "extern", "trauma.assess", form=ExternalHelpForm,
                   apply=apply_external_help, order=20),
        # Later on the school may still need (more) help: each partner with its own date.
        Transition("trauma.partner", "Externe partner inschakelen", ("zelf", "extern"), "extern",
                   "trauma.handle", form=ExternalHelpForm, apply=apply_external_help, order=30),
        Transition("trauma.sluit", "Afsluiten met evaluatie", ("zelf", "extern"), "afgesloten",
                   "trauma.close", form=CloseForm, apply=apply_close, order=90),
    ),
    view_permission="trauma.view",
    handle_permission="trauma.handle",
    # About a child's grief or injury: only the assignee, the IB and the directie see it.
    confidential_roles=("directie", "ib"),
    summary_template="trauma/summary.html",
    summary_context=summary_data,
)
