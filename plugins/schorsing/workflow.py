"""The two case types of this plugin: suspension (schorsing) and expulsion (verwijdering).

Veiligheidsplan 3.2.2: after a serious incident the school may, after
consulting the board, suspend a pupil for one to five consecutive school days;
the parents are told in writing and, when it lasts longer than one day, the
onderwijsinspectie too. In the last resort the board expels, and only when
another school will take the pupil in.
"""

import datetime

from portal import api

from . import details
from . import forms
from . import models
from . import period
from .choices import EXPULSION
from .choices import OUTCOMES
from .choices import SUSPENSION

# Who may do what (declared in __init__). A suspension begins at an incident of the register
# (plugin incidenten), which every staff member registers.
VIEW = "schorsing.view"  # directie and bestuur: see the cases
HANDLE = "schorsing.handle"  # directie: record steps, checklist, letters
DECIDE = "schorsing.decide"  # directie: decide on a suspension
EXPEL = "schorsing.verwijderen"  # bestuur: decide on an expulsion


# ------------------------------------------------------- suspension route ----

ONE_DAY = datetime.timedelta(days=1)

OPEN = ("gemeld", "in_behandeling")


INCIDENT = "incidenten.incident"  # the register's incident (plugin incidenten)

# The register's OCW categories as the plan's list of serious incidents (veiligheidsplan
# 3.2.2), for the start form's first choice; the directie may choose another.
PLAN_CATEGORIES = {
    "wapengeweld": "wapens",
    "wapenbezit": "wapens",
    "seksueel": "seksuele_intimidatie",
    "fysiek_geweld": "storend_agressief_leerling",
    "bedreiging": "storend_agressief_leerling",
}


def _incident(origin):
    """The register's row of the incident a suspension starts from, or None."""
    if origin is None or origin.case_type != INCIDENT:
        return None
    return api.detail_of(origin)


def from_incident(origin):
    """The start form filled in from the incident: the plan's category, what happened, who
    was involved (by role: names are for this form) and what was done (the core fills in the
    pupil from the incident's pupils)."""
    incident = _incident(origin)
    if incident is None:
        return {}
    category = PLAN_CATEGORIES.get(incident.category, "anders")
    roles = set(incident.involved.split(","))
    if incident.category in ("bedreiging", "fysiek_geweld") and roles == {"ouder"}:
        category = "bedreigend_ouders"
    return {
        "category": category,
        "category_other": incident.category_label if category == "anders" else "",
        "description": incident.what,
        "involved": incident.involved_label,
        "immediate_action": incident.measure,
    }


def incident_values(origin, user):
    """When and where, from the incident (not asked again), and who registered it."""
    incident = _incident(origin)
    time = incident.occurred_time
    return {
        "occurred_on": incident.occurred_on,
        "occurred_time": time.strftime("%H:%M") if time else "",
        "place": incident.place_label,
        "reported_by": incident.reported_by_id or user.id,
    }


def start_context(origin):
    """The incident's facts above the form, as the register has them."""
    incident = _incident(origin)
    return {"incident": incident}


def decision_guard(case, form, school):
    """Board consulted, the pupil linked, a school day to start on, at most a week of
    suspension for the pupil (WPO art. 40c), and the computed period confirmed."""
    if not details.consultations(case):
        return (
            "Een schorsing kan pas na overleg met het bestuur. Leg eerst het overleg met "
            "het bestuur vast (datum, met wie, uitkomst) met de stap ‘Overleg met het "
            "bestuur’."
        )
    if not period.suspended_pupils(case):
        # Without the pupil of the register the week across suspensions cannot be checked.
        return (
            "Koppel eerst de leerling om wie het gaat aan deze zaak (bij Leerlingen, met de rol "
            "Veroorzaker): dan ziet het portaal ook eerdere schorsingen van de leerling."
        )
    first, cal = form.first_day.data, api.SchoolCalendar.for_school(school)
    in_time = takes_effect_in_time(case, first, cal)
    if in_time:
        return {"first_day": in_time}
    if form.meeting_on.data and form.meeting_on.data < api.today():
        # The letter invites the parents to this conversation: it cannot lie before the decision.
        return {
            "meeting_on": "Het gesprek met de ouders kan niet vóór vandaag zijn: de brief nodigt "
            "hen ervoor uit."
        }
    closed = cal.closed_reason(first)
    if closed:
        return {
            "first_day": f"{api.nl_date(first, weekday=True).capitalize()} is geen schooldag "
            f"({closed}). Kies een schooldag."
        }
    days = cal.school_days_from(first, form.days.data)
    too_long = period.over_the_week(cal, case, days)
    if too_long:
        return too_long
    shown = (
        f"Berekende schorsingsperiode: {period.describe(days)}. Klopt dit? Vink dit vakje aan en "
        "klik nogmaals op ‘Besluit schorsing’."
    )
    if not form.confirmed.confirmed(period.token(days), shown):
        return "Controleer de berekende schorsingsperiode en bevestig die."
    return None


def takes_effect_in_time(case, first, cal):
    """WPO art. 40c lid 2 and Awb art. 3:40: a decision to suspend takes effect only once it
    is made and made known to the parents in writing. A first day before today is refused;
    today only when the parents' letter has gone out (its checklist item ticked). Why the day
    is refused, or None."""
    now = api.today()
    if first < now:
        return (
            f"De eerste schorsingsdag ligt vóór vandaag ({api.nl_date(now)}): een schorsing kan niet "
            "met terugwerkende kracht ingaan (WPO art. 40c)."
        )
    if first == now and not letter_sent(case):
        return (
            "Een schorsing kan pas ingaan als de ouders het besluit schriftelijk hebben: de "
            "schorsingsbrief is nog niet verstuurd. Kies als eerste schorsingsdag "
            f"{api.nl_date(cal.next_school_day(now + ONE_DAY), weekday=True)} of later."
        )
    return None


def letter_sent(case):
    return (
        api.CaseChecklistItem.select()
        .where(
            (api.CaseChecklistItem.case == case.id)
            & (api.CaseChecklistItem.name == "schorsing.brief_ouders")
            & api.CaseChecklistItem.done_at.is_null(False)
        )
        .exists()
    )


def not_before_incident(case, form, detail):
    """A consultation or a hearing about the incident cannot lie before the incident."""
    if form.held_on.data and form.held_on.data < detail.occurred_on:
        return {
            "held_on": f"Deze datum ligt vóór het incident ({api.nl_date(detail.occurred_on)}): "
            "vul de datum in waarop het gesprek is gevoerd."
        }
    return None


def evaluation_guard(case, form):
    """The evaluation of a suspension cannot be dated before the suspension began."""
    s = details.suspension(case)
    if s is not None and form.held_on.data < s.first_day:
        return {
            "held_on": f"De evaluatie kan niet vóór de schorsing liggen: de schorsing begon op "
            f"{api.nl_date(s.first_day, weekday=True)}."
        }
    return None


def record_decision(case, form, user, school):
    days = api.SchoolCalendar.for_school(school).school_days_from(form.first_day.data, form.days.data)
    models.Suspension.create(
        case=case.id,
        decided_on=api.today(),
        first_day=days[0],
        last_day=days[-1],
        days=len(days),
        reason=form.reason.data,
        schoolwork=form.schoolwork.data,
        meeting_on=form.meeting_on.data,
        decided_by=user.id,
    )
    # The parents must have the letter before the suspension starts; the
    # inspectie is told at the same time when it lasts longer than one day.
    api.set_checklist_due(case, "schorsing.brief_ouders", days[0])
    if len(days) > 1:
        api.set_checklist_due(case, "schorsing.inspectie", days[0])
    # Leerplichtwet art. 21a: the leerplichtambtenaar hears of the absence the day it starts.
    api.set_checklist_due(case, "schorsing.leerplicht", days[0])
    return f"Geschorst: {period.describe(days)}."


def hearing(name, label, sources, target, party, text=None, guard=None):
    """A step that records who was heard (``Hearing``), when, and what they said."""
    return api.Transition(
        name,
        label,
        sources,
        target,
        form=forms.HearingForm,
        guard=guard,
        record=models.Hearing,
        fixed={"party": party},
        apply=lambda: text or f"{label}.",
    )


def longer_than_one_day(case):
    """The plan: the inspectie is told in writing when a suspension lasts more than a day."""
    s = details.suspension(case)
    return s is not None and s.days > 1


SUSPENSION_TYPE = api.CaseType(
    name=SUSPENSION,
    title="Ernstig incident en schorsing",
    prefix="SCH",
    states=(
        api.State("gemeld", "Gemeld"),
        api.State("in_behandeling", "In behandeling"),
        api.State("geschorst", "Geschorst"),
        api.State("geevalueerd", "Geëvalueerd"),
        api.State("afgesloten", "Afgesloten", closed=True),
        api.State("zonder_schorsing", "Afgehandeld zonder schorsing", closed=True),
    ),
    initial="gemeld",
    transitions=(
        api.Transition(
            "schorsing.overleg",
            "Overleg met het bestuur",
            OPEN,
            "in_behandeling",
            form=forms.ConsultationForm,
            guard=not_before_incident,
            record=models.BoardConsultation,
            apply=lambda: "Overleg met het bestuur vastgelegd.",
        ),
        hearing(
            "schorsing.horen",
            "Leerling en ouders gehoord",
            OPEN,
            "in_behandeling",
            "leerling_ouders",
            guard=not_before_incident,
        ),
        api.Transition(
            "schorsing.besluit",
            "Besluit schorsing",
            OPEN,
            "geschorst",
            DECIDE,
            form=forms.DecisionForm,
            guard=decision_guard,
            apply=record_decision,
        ),
        api.Transition(
            "schorsing.geen_schorsing",
            "Afhandelen zonder schorsing",
            OPEN,
            "zonder_schorsing",
            DECIDE,
            form=forms.NoSuspensionForm,
        ),
        api.Transition(
            "schorsing.evaluatie",
            "Evaluatie vastleggen",
            ("geschorst",),
            "geevalueerd",
            form=forms.EvaluationForm,
            guard=evaluation_guard,
            record=models.Evaluation,
            apply=lambda: "Evaluatie vastgelegd.",
        ),
        api.Transition(
            "schorsing.afsluiten", "Afsluiten", ("geevalueerd",), "afgesloten", form=forms.CloseForm
        ),
    ),
    view_permission=VIEW,
    handle_permission=HANDLE,
    checklist=(
        api.ChecklistItem(
            "schorsing.brief_ouders",
            "Schorsingsbrief aan de ouders verstuurd",
            required=lambda case: details.suspension(case) is not None,
        ),
        api.ChecklistItem(
            "schorsing.inspectie",
            "Onderwijsinspectie schriftelijk geïnformeerd (schorsing langer dan één schooldag)",
            required=longer_than_one_day,
        ),
        # Leerplichtwet art. 21a: the school reports the pupil's absence to the leerplichtambtenaar.
        api.ChecklistItem(
            "schorsing.leerplicht",
            "Leerplichtambtenaar geïnformeerd",
            required=lambda case: details.suspension(case) is not None,
        ),
    ),
    confidential_roles=("directie", "bestuur"),
    summary_template="schorsing/summary_schorsing.html",
    summary_context=details.suspension_summary,
    detail=models.Incident,
    search_columns=("description", "involved", "immediate_action", "place", "pupil_name"),
    # Confidential: only the directie and the bestuur (and an assignee) see it; the
    # directie's mail carries only the reference, nothing about the child.
    # Only from an incident of the register ("Een vervolg starten" on its page), by the
    # directie. Confidential: only the directie and the bestuur (and an assignee) see it; the
    # mail carries only the reference, nothing about the child.
    start=api.Start(
        forms.SuspensionStartForm,
        "Ernstig incident: schorsing overwegen",
        HANDLE,
        path="melden",
        follows=(INCIDENT,),
        follow_up_only=True,
        elsewhere="Een schorsing begint bij een geregistreerd incident. Registreer het incident "
        "eerst in de incidentenregistratie; de directie start de schorsing daarna vanaf de pagina "
        "van het incident, bij ‘Een vervolg starten’.",
        title="Ernstig incident groep {pupil_group}: {pupil_name}",
        confidential=True,
        notify=DECIDE,
        submit="Schorsingszaak starten",
        prefill=from_incident,
        values=incident_values,
        context=start_context,
        saved="De schorsingszaak is gestart als {reference}.",
        intro="Na een ernstig incident kan de school, na overleg met het bestuur, een leerling "
        "schorsen (veiligheidsplan 3.2.2). Kies de leerling om wie het gaat en vul aan wat de "
        "registratie van het incident weglaat; alleen de directie en het bestuur zien het.",
        template="schorsing/incident_form.html",
    ),
)


# -------------------------------------------------------- expulsion route ----


def prefill(args, user, school):
    """Pupil data from the incident in ``?incident=``, so it is not typed twice."""
    case = api.get_visible(school, args.get("incident", "").strip().upper()[:40], user)
    if case is None or case.case_type != SUSPENSION:
        return {}
    incident = api.detail_of(case)
    # The incident's pupil of the register (else the name, as the first search).
    pupil = next((row.linked for row in period.suspended_pupils(case)), incident.pupil_name)
    return {"pupil_name": pupil, "pupil_group": incident.pupil_group, "incident": case.reference}


def note_on_incident(case, detail, user):
    """The incident's timeline shows that an expulsion route grew out of it."""
    if detail.incident_case_id:
        api.add_event(detail.incident_case, "note", user, f"Verwijderingstraject gestart: {case.reference}.")


def approach_text(form):
    return f"Contact met {api.clean(form.school_name)}: {api.label(OUTCOMES, form.outcome.data)}."


def expulsion_guard(case, form, detail):
    """The board decides only after hearing teacher and parents, and with a school that accepts."""
    missing = []
    if not details.hearings(case, "leerkracht"):
        missing.append("de leerkracht is nog niet gehoord")
    if not details.hearings(case, "ouders"):
        missing.append("de ouders/verzorgers zijn nog niet gehoord")
    if details.accepting_school(case) is None:
        missing.append(
            "er is nog geen andere school die de leerling aanneemt (bij speciaal "
            "onderwijs: met een toelaatbaarheidsverklaring)"
        )
    if missing:
        return "Het besluit tot verwijdering kan nog niet worden genomen: " + "; ".join(missing) + "."
    # WPO art. 40 lid 11: the decision follows the hearings; it cannot be dated before them.
    heard = [h.held_on for h in details.hearings(case) if h.party in ("leerkracht", "ouders")]
    earliest = max([*heard, *([detail.intent_on] if detail.intent_on else [])])
    if form.decided_on.data < earliest:
        return {
            "decided_on": f"Het besluit kan niet vóór het voornemen en het horen liggen: het "
            f"laatste gesprek was op {api.nl_date(earliest)}."
        }
    if form.effective_on.data < form.decided_on.data:
        return {"effective_on": "Deze datum ligt vóór de datum van het besluit."}
    return None


def heard_after_intent(case, form, detail):
    """Teacher and parents are heard on the intention: not before it was made."""
    if detail.intent_on and form.held_on.data and form.held_on.data < detail.intent_on:
        return {
            "held_on": f"Deze datum ligt vóór het voornemen tot verwijdering "
            f"({api.nl_date(detail.intent_on)}): vul de datum in waarop het gesprek is gevoerd."
        }
    return None


# ------------------------------------------------------- objection phase ----

OBJECTION_WEEKS = details.OBJECTION_WEEKS  # Awb art. 6:7
DECISION_WEEKS = 4  # WPO art. 63 lid 2: four weeks after the objection period


def objection_end(detail):
    """The last day of the objection period (Awb art. 6:7, 6:8; Algemene termijnenwet)."""
    return details.objection_end(detail)


def objection_guard(case, form, detail):
    """A bezwaar cannot have been received before the decision it objects to."""
    if form.received_on.data < detail.decided_on:
        return {
            "received_on": "Een bezwaar kan niet vóór het besluit zijn ontvangen: het besluit tot "
            f"verwijdering is van {api.nl_date(detail.decided_on)}."
        }
    return None


def record_objection(case, form, detail):
    end = objection_end(detail)
    text = f"Bezwaar ontvangen op {api.nl_date(form.received_on.data)}."
    if form.received_on.data > end:
        # Awb art. 6:11: a late objection is not inadmissible when the lateness is excusable.
        text += (
            f" Let op: na het einde van de bezwaartermijn ({api.nl_date(end)}); het bevoegd gezag "
            "beoordeelt of de termijnoverschrijding verschoonbaar is (Awb art. 6:11)."
        )
    return text


def decision_due(case, detail):
    """WPO art. 63 lid 2: the board decides within four weeks after the objection period
    (after the receipt, for an objection that came in late)."""
    objection = details.objection(case)
    start = objection_end(detail)
    if objection is not None and objection.received_on > start:
        start = objection.received_on
    return api.term_end(start, DECISION_WEEKS)


def objection_decision_guard(case, form):
    """Awb art. 7:2: the parents are heard on their objection before the board decides."""
    objection = details.objection(case)
    heard = details.hearings(case, "ouders_bezwaar")
    if not heard:
        return (
            "Het bevoegd gezag beslist pas op het bezwaar nadat de ouders erover zijn gehoord "
            "(Awb art. 7:2). Leg eerst het gesprek vast met de stap ‘Ouders gehoord over het bezwaar’."
        )
    latest = max(h.held_on for h in heard)
    if form.decided_on.data < max(latest, objection.received_on):
        return {
            "decided_on": "De beslissing op bezwaar kan niet vóór het horen van de ouders liggen "
            f"({api.nl_date(latest)})."
        }
    return None


def heard_after_objection(case, form):
    objection = details.objection(case)
    if objection is not None and form.held_on.data and form.held_on.data < objection.received_on:
        return {
            "held_on": "Deze datum ligt vóór de ontvangst van het bezwaar "
            f"({api.nl_date(objection.received_on)})."
        }
    return None


def record_objection_decision(case, form):
    objection = details.objection(case)
    objection.decided_on = form.decided_on.data
    objection.outcome = form.outcome.data
    objection.motivation = form.motivation.data
    objection.save()
    return f"Beslist op bezwaar: {objection.outcome_label}."


def close_guard(case, detail):
    """The case closes only once the objection period passed without a bezwaar, or the
    bezwaar is decided (Awb art. 6:7, 7:10)."""
    if case.state != "besloten":
        return None
    end = objection_end(detail)
    if api.today() <= end:
        return (
            f"De bezwaartermijn loopt nog tot en met {api.nl_date(end, weekday=True)}: de zaak "
            "kan pas daarna worden afgesloten, of zodra op een bezwaar is beslist."
        )
    return None


def record_expulsion(case, detail):
    detail.new_school = details.accepting_school(case).school_name
    detail.save(only=[models.Expulsion.new_school])
    return f"Besloten tot verwijdering; de leerling gaat naar {detail.new_school}."


def is_expelled(detail):
    return detail is not None and detail.decided_on is not None


EXPULSION_TYPE = api.CaseType(
    name=EXPULSION,
    title="Verwijdering",
    prefix="VRW",
    states=(
        api.State("voorbereiding", "Voorbereiding"),
        api.State("voornemen", "Voornemen tot verwijdering"),
        api.State("besloten", "Besloten tot verwijdering"),
        api.State("bezwaar", "Bezwaar ingediend"),
        api.State("bezwaar_beslist", "Op het bezwaar beslist"),
        api.State("afgesloten", "Afgesloten", closed=True),
        api.State("niet_verwijderd", "Niet verwijderd", closed=True),
    ),
    initial="voorbereiding",
    transitions=(
        api.Transition(
            "schorsing.v_voornemen",
            "Voornemen tot verwijdering",
            ("voorbereiding",),
            "voornemen",
            EXPEL,
            form=forms.IntentForm,
            copy=("intent_on", "intent_text"),
            apply=lambda: "Voornemen tot verwijdering vastgelegd.",
        ),
        hearing(
            "schorsing.v_horen_leerkracht",
            "Leerkracht gehoord",
            ("voornemen",),
            "voornemen",
            "leerkracht",
            guard=heard_after_intent,
        ),
        hearing(
            "schorsing.v_horen_ouders",
            "Ouders gehoord",
            ("voornemen",),
            "voornemen",
            "ouders",
            "Ouders/verzorgers gehoord.",
            guard=heard_after_intent,
        ),
        api.Transition(
            "schorsing.v_school",
            "Andere school benaderd",
            ("voornemen",),
            "voornemen",
            form=forms.ApproachForm,
            record=models.SchoolApproach,
            apply=approach_text,
        ),
        api.Transition(
            "schorsing.v_besluit",
            "Besluit tot verwijdering",
            ("voornemen",),
            "besloten",
            EXPEL,
            form=forms.ExpulsionDecisionForm,
            guard=expulsion_guard,
            copy=("decided_on", "effective_on"),
            apply=record_expulsion,
        ),
        api.Transition(
            "schorsing.v_bezwaar",
            "Bezwaar ontvangen",
            ("besloten",),
            "bezwaar",
            form=forms.ObjectionForm,
            guard=objection_guard,
            record=models.Objection,
            apply=record_objection,
        ),
        hearing(
            "schorsing.v_bezwaar_horen",
            "Ouders gehoord over het bezwaar",
            ("bezwaar",),
            "bezwaar",
            "ouders_bezwaar",
            "Ouders/verzorgers gehoord over hun bezwaar.",
            guard=heard_after_objection,
        ),
        api.Transition(
            "schorsing.v_beslissing_bezwaar",
            "Beslissing op bezwaar",
            ("bezwaar",),
            "bezwaar_beslist",
            EXPEL,
            form=forms.ObjectionDecisionForm,
            guard=objection_decision_guard,
            apply=record_objection_decision,
        ),
        api.Transition(
            "schorsing.v_afsluiten",
            "Afsluiten",
            ("besloten", "bezwaar_beslist"),
            "afgesloten",
            form=forms.CloseForm,
            guard=close_guard,
        ),
        api.Transition(
            "schorsing.v_niet",
            "Niet verwijderen",
            ("voorbereiding", "voornemen"),
            "niet_verwijderd",
            EXPEL,
            form=forms.WithdrawForm,
        ),
    ),
    view_permission=VIEW,
    handle_permission=HANDLE,
    checklist=(
        api.ChecklistItem(
            "schorsing.v_brief", "Besluit tot verwijdering aan de ouders verstuurd", required=is_expelled
        ),
        api.ChecklistItem("schorsing.v_inspectie", "Onderwijsinspectie geïnformeerd", required=is_expelled),
        api.ChecklistItem("schorsing.v_leerplicht", "Leerplichtambtenaar geïnformeerd", required=is_expelled),
    ),
    deadlines=(
        # Awb art. 6:7 and 6:8: six calendar weeks from the day after the decision; a
        # bezwaar received meets it.
        api.Deadline(
            "schorsing.v_bezwaartermijn",
            "Einde van de bezwaartermijn (zes weken na het besluit)",
            0,
            school_days=False,
            start="schorsing.v_besluit",
            due=objection_end,
            met_by=("schorsing.v_bezwaar",),
        ),
        # WPO art. 63 lid 2: the board decides within four weeks after the objection period.
        api.Deadline(
            "schorsing.v_beslistermijn",
            "Beslissing op bezwaar (vier weken na de bezwaartermijn)",
            0,
            school_days=False,
            start="schorsing.v_bezwaar",
            due=decision_due,
            met_by=("schorsing.v_beslissing_bezwaar",),
        ),
    ),
    confidential_roles=("directie", "bestuur"),
    summary_template="schorsing/summary_verwijdering.html",
    summary_context=details.expulsion_summary,
    detail=models.Expulsion,
    search_columns=("grounds", "new_school", "pupil_name"),
    start=api.Start(
        forms.ExpulsionStartForm,
        "Verwijderingstraject starten",
        HANDLE,
        path="verwijdering/nieuw",
        title="Verwijdering groep {pupil_group}: {pupil_name}",
        confidential=True,
        submit="Traject starten",
        prefill=prefill,
        saved="Het verwijderingstraject is gestart als {reference}.",
        values=lambda form: {"incident_case": form.incident.case},
        after=note_on_incident,
        intro="In het uiterste geval kan het bestuur besluiten een leerling te verwijderen, en "
        "alleen als een andere school de leerling aanneemt (veiligheidsplan 3.2.2).",
    ),
)

CASE_TYPES = [SUSPENSION_TYPE, EXPULSION_TYPE]
