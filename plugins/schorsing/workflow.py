"""The two case types of this plugin: suspension (schorsing) and expulsion (verwijdering).

Veiligheidsplan 3.2.2: after a serious incident the school may, after
consulting the board, suspend a pupil for one to five consecutive school days;
the parents are told in writing and, when it lasts longer than one day, the
onderwijsinspectie too. In the last resort the board expels, and only when
another school will take the pupil in.
"""

from portal.cases import engine
from portal.dates import nl_date
from portal.dates import today
from portal.declarations import CaseType
from portal.declarations import ChecklistItem
from portal.declarations import State
from portal.declarations import Transition
from portal.models import CaseChecklistItem

from . import data
from . import forms
from . import period
from .forms import for_step as step_form
from .models import OUTCOME_LABELS
from .models import BoardConsultation
from .models import Evaluation
from .models import Expulsion
from .models import Hearing
from .models import SchoolApproach
from .models import Suspension

SUSPENSION = "schorsing.schorsing"
EXPULSION = "schorsing.verwijdering"

# Who may do what (declared in __init__.register_permissions).
REPORT = "schorsing.report"      # every staff member: report a serious incident
VIEW = "schorsing.view"          # directie and bestuur: see the cases
HANDLE = "schorsing.handle"      # directie: record steps, checklist, letters
DECIDE = "schorsing.decide"      # directie: decide on a suspension
EXPEL = "schorsing.verwijderen"  # bestuur: decide on an expulsion


# ------------------------------------------------------- suspension route ----

def record_consultation(case, form, user):
    BoardConsultation.create(case=case.id, held_on=form.held_on.data,
                             with_whom=form.with_whom.data.strip(), outcome=form.outcome.data)
    return "Overleg met het bestuur vastgelegd."


def record_pupil_hearing(case, form, user):
    Hearing.create(case=case.id, party="leerling_ouders", held_on=form.held_on.data,
                   summary=form.summary.data)
    return "Leerling en ouders gehoord."


def decision_guard(case, form, user):
    """Board consulted, a school day to start on, and the computed period confirmed."""
    if not data.consultations(case):
        return ("Een schorsing kan pas na overleg met het bestuur. Leg eerst het overleg met "
                "het bestuur vast (datum, met wie, uitkomst) met de stap ‘Overleg met het "
                "bestuur’.")
    first = form.first_day.data
    closed = period.closed_reason(case.school, first)
    if closed:
        form.first_day.errors.append(
            f"{nl_date(first, weekday=True).capitalize()} is geen schooldag ({closed}). "
            "Kies een schooldag.")
        return "Controleer de gemarkeerde velden."
    days = period.suspension_days(case.school, first, form.days.data)
    shown = period.token(days)
    confirmed = form.confirmed.data and (form.confirmed.raw_data or [""])[0] == shown
    if not confirmed:
        # Re-render the box unticked, carrying the period now shown: ticking it
        # confirms exactly this period; a changed date shows the new period again.
        form.confirmed.data = False
        form.confirmed.raw_data = [shown]
        form.confirmed.errors.append(
            f"Berekende schorsingsperiode: {period.describe(days)}. Klopt dit? Vink dit vakje "
            "aan en klik nogmaals op ‘Besluit schorsing’.")
        return "Controleer de berekende schorsingsperiode en bevestig die."
    return None


def record_decision(case, form, user):
    days = period.suspension_days(case.school, form.first_day.data, form.days.data)
    Suspension.create(
        case=case.id, decided_on=today(), first_day=days[0], last_day=days[-1], days=len(days),
        reason=form.reason.data, schoolwork=form.schoolwork.data,
        meeting_on=form.meeting_on.data, decided_by=user.id,
    )
    # The parents must have the letter before the suspension starts; the
    # inspectie is told at the same time when it lasts longer than one day.
    due = {"schorsing.brief_ouders": days[0]}
    if len(days) > 1:
        due["schorsing.inspectie"] = days[0]
    for item in CaseChecklistItem.select().where(
        (CaseChecklistItem.case == case.id) & CaseChecklistItem.name.in_(list(due))
    ):
        item.due_date = due[item.name]
        item.save(only=[CaseChecklistItem.due_date])
        engine.add_deadline(case, f"checklist:{item.name}", item.label, item.due_date)
    return f"Geschorst: {period.describe(days)}."


def record_evaluation(case, form, user):
    Evaluation.create(case=case.id, held_on=form.held_on.data, summary=form.summary.data)
    return "Evaluatie vastgelegd."


def is_suspended(case):
    return data.suspension(case) is not None


def longer_than_one_day(case):
    """The plan: the inspectie is told in writing when a suspension lasts more than a day."""
    s = data.suspension(case)
    return s is not None and s.days > 1


def suspension_summary(case):
    return {
        "incident": data.incident(case), "consultations": data.consultations(case),
        "hearings": data.hearings(case), "suspension": data.suspension(case),
        "evaluations": data.evaluations(case),
    }


SUSPENSION_TYPE = CaseType(
    name=SUSPENSION,
    title="Ernstig incident en schorsing",
    prefix="SCH",
    states=(
        State("gemeld", "Gemeld"),
        State("in_behandeling", "In behandeling"),
        State("geschorst", "Geschorst"),
        State("geevalueerd", "Geëvalueerd"),
        State("afgesloten", "Afgesloten", closed=True),
        State("zonder_schorsing", "Afgehandeld zonder schorsing", closed=True),
    ),
    initial="gemeld",
    transitions=(
        Transition("schorsing.overleg", "Overleg met het bestuur", ("gemeld", "in_behandeling"),
                   "in_behandeling", HANDLE, form=step_form(forms.ConsultationForm, "overleg"),
                   apply=record_consultation, order=10),
        Transition("schorsing.horen", "Leerling en ouders gehoord", ("gemeld", "in_behandeling"),
                   "in_behandeling", HANDLE, form=step_form(forms.HearingForm, "horen"),
                   apply=record_pupil_hearing, order=20),
        Transition("schorsing.besluit", "Besluit schorsing", ("gemeld", "in_behandeling"),
                   "geschorst", DECIDE, form=step_form(forms.DecisionForm, "besluit"),
                   guard=decision_guard, apply=record_decision, order=30),
        Transition("schorsing.geen_schorsing", "Afhandelen zonder schorsing",
                   ("gemeld", "in_behandeling"), "zonder_schorsing", DECIDE,
                   form=step_form(forms.NoSuspensionForm, "geen_schorsing"), order=40),
        Transition("schorsing.evaluatie", "Evaluatie vastleggen", ("geschorst",), "geevalueerd",
                   HANDLE, form=step_form(forms.EvaluationForm, "evaluatie"),
                   apply=record_evaluation, order=50),
        Transition("schorsing.afsluiten", "Afsluiten", ("geevalueerd",), "afgesloten", HANDLE,
                   form=step_form(forms.CloseForm, "afsluiten"), order=60),
    ),
    view_permission=VIEW,
    handle_permission=HANDLE,
    checklist=(
        ChecklistItem("schorsing.brief_ouders", "Schorsingsbrief aan de ouders verstuurd",
                      required=is_suspended),
        ChecklistItem("schorsing.inspectie",
                      "Onderwijsinspectie schriftelijk geïnformeerd (schorsing langer dan "
                      "één schooldag)", required=longer_than_one_day),
        ChecklistItem("schorsing.leerplicht", "Leerplichtambtenaar geïnformeerd"),
    ),
    confidential_roles=("directie", "bestuur"),
    summary_template="schorsing/summary_schorsing.html",
    summary_context=suspension_summary,
)


# -------------------------------------------------------- expulsion route ----

def record_intent(case, form, user):
    Expulsion.update(intent_on=form.intent_on.data, intent_text=form.intent_text.data).where(
        Expulsion.case == case.id).execute()
    return "Voornemen tot verwijdering vastgelegd."


def _hearing(party, text):
    def apply(case, form, user):
        Hearing.create(case=case.id, party=party, held_on=form.held_on.data,
                       summary=form.summary.data)
        return text
    return apply


def record_approach(case, form, user):
    special = bool(form.special_education.data)
    SchoolApproach.create(
        case=case.id, school_name=form.school_name.data.strip(),
        approached_on=form.approached_on.data, outcome=form.outcome.data,
        special_education=special, tlv_on=form.tlv_on.data if special else None,
        tlv_reference=(form.tlv_reference.data or "").strip() if special else "",
        note=form.note.data or "",
    )
    return f"Contact met {form.school_name.data.strip()}: {OUTCOME_LABELS[form.outcome.data]}."


def expulsion_guard(case, form, user):
    """The board decides only after hearing teacher and parents, and with a school that accepts."""
    missing = []
    if not data.hearings(case, "leerkracht"):
        missing.append("de leerkracht is nog niet gehoord")
    if not data.hearings(case, "ouders"):
        missing.append("de ouders/verzorgers zijn nog niet gehoord")
    if data.accepting_school(case) is None:
        missing.append("er is nog geen andere school die de leerling aanneemt (bij speciaal "
                       "onderwijs: met een toelaatbaarheidsverklaring)")
    if missing:
        return ("Het besluit tot verwijdering kan nog niet worden genomen: "
                + "; ".join(missing) + ".")
    if form.effective_on.data < form.decided_on.data:
        form.effective_on.errors.append("Deze datum ligt vóór de datum van het besluit.")
        return "Controleer de gemarkeerde velden."
    return None


def record_expulsion(case, form, user):
    school = data.accepting_school(case)
    Expulsion.update(decided_on=form.decided_on.data, effective_on=form.effective_on.data,
                     new_school=school.school_name).where(Expulsion.case == case.id).execute()
    return f"Besloten tot verwijdering; de leerling gaat naar {school.school_name}."


def is_expelled(case):
    e = data.expulsion(case)
    return e is not None and e.decided_on is not None


def expulsion_summary(case):
    e = data.expulsion(case)
    incident_case = None
    if e and e.incident_case_id:
        from portal.models import Case

        incident_case = Case.get_or_none(Case.id == e.incident_case_id)
    return {"expulsion": e, "incident_case": incident_case, "hearings": data.hearings(case),
            "approaches": data.approaches(case)}


EXPULSION_TYPE = CaseType(
    name=EXPULSION,
    title="Verwijdering",
    prefix="VRW",
    states=(
        State("voorbereiding", "Voorbereiding"),
        State("voornemen", "Voornemen tot verwijdering"),
        State("besloten", "Besloten tot verwijdering"),
        State("afgesloten", "Afgesloten", closed=True),
        State("niet_verwijderd", "Niet verwijderd", closed=True),
    ),
    initial="voorbereiding",
    transitions=(
        Transition("schorsing.v_voornemen", "Voornemen tot verwijdering", ("voorbereiding",),
                   "voornemen", EXPEL, form=step_form(forms.IntentForm, "v_voornemen"),
                   apply=record_intent, order=10),
        Transition("schorsing.v_horen_leerkracht", "Leerkracht gehoord", ("voornemen",),
                   "voornemen", HANDLE, form=step_form(forms.HearingForm, "v_horen_leerkracht"),
                   apply=_hearing("leerkracht", "Leerkracht gehoord."), order=20),
        Transition("schorsing.v_horen_ouders", "Ouders gehoord", ("voornemen",), "voornemen",
                   HANDLE, form=step_form(forms.HearingForm, "v_horen_ouders"),
                   apply=_hearing("ouders", "Ouders/verzorgers gehoord."), order=30),
        Transition("schorsing.v_school", "Andere school benaderd", ("voornemen",), "voornemen",
                   HANDLE, form=step_form(forms.ApproachForm, "v_school"),
                   apply=record_approach, order=40),
        Transition("schorsing.v_besluit", "Besluit tot verwijdering", ("voornemen",),
                   "besloten", EXPEL, form=step_form(forms.ExpulsionDecisionForm, "v_besluit"),
                   guard=expulsion_guard, apply=record_expulsion, order=50),
        Transition("schorsing.v_afsluiten", "Afsluiten", ("besloten",), "afgesloten", HANDLE,
                   form=step_form(forms.CloseForm, "v_afsluiten"), order=60),
        Transition("schorsing.v_niet", "Niet verwijderen", ("voorbereiding", "voornemen"),
                   "niet_verwijderd", EXPEL, form=step_form(forms.WithdrawForm, "v_niet"),
                   order=70),
    ),
    view_permission=VIEW,
    handle_permission=HANDLE,
    checklist=(
        ChecklistItem("schorsing.v_brief", "Besluit tot verwijdering aan de ouders verstuurd",
                      required=is_expelled),
        ChecklistItem("schorsing.v_inspectie", "Onderwijsinspectie geïnformeerd",
                      required=is_expelled),
        ChecklistItem("schorsing.v_leerplicht", "Leerplichtambtenaar geïnformeerd",
                      required=is_expelled),
    ),
    confidential_roles=("directie", "bestuur"),
    summary_template="schorsing/summary_verwijdering.html",
    summary_context=expulsion_summary,
)

CASE_TYPES = [SUSPENSION_TYPE, EXPULSION_TYPE]
