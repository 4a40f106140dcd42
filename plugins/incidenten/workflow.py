"""The case types of the plugin: the incident registration, fysiek ingrijpen, a data breach
and a toegangsverbod voor een ouder. Declarations only: the core serves the start pages, the
case pages, the checklist, the deadlines and the letters."""

import datetime

from flask import flash
from flask import has_request_context

from portal import api

from . import details
from . import forms
from . import models
from .choices import SERIOUS_INJURIES

INCIDENT = "incidenten.incident"
INTERVENTION = "incidenten.ingrijpen"
BREACH = "incidenten.datalek"
BAN = "incidenten.toegangsverbod"

# Permissions (declared in __init__).
REPORT = "incidenten.report"  # every staff member of the school: register an incident
VIEW = "incidenten.view"  # see the incident registration (a statistical record)
HANDLE = "incidenten.handle"  # directie: Arbeidsinspectie, close, follow-ups
INTERVENE = "incidenten.ingrijpen"  # record a physical intervention
INTERVENTION_VIEW = "incidenten.ingrijpen_view"
EVALUATE = "incidenten.evalueren"
BREACH_REPORT = "incidenten.datalek_melden"
BREACH_HANDLE = "incidenten.datalek"
BREACH_REGISTER = "incidenten.datalekregister"
BAN_HANDLE = "incidenten.toegangsverbod"

AI_ITEM = "incidenten.arbeidsinspectie"
AI_LABEL = "Gemeld bij de Nederlandse Arbeidsinspectie (Arbowet art. 9): datum en kenmerk"
PUPIL_ACCIDENT_ITEM = "incidenten.ongeval_leerling"
PARENTS_ITEM = "incidenten.ouders"


# ------------------------------------------------------------- incident ----


# The place as a title says it, short: "Bedreiging, plein".
TITLE_PLACES = {
    "lokaal": "lokaal",
    "plein": "plein",
    "gym": "gymzaal",
    "toiletten": "toiletten",
    "buiten": "buiten de school",
    "online": "online",
}


def incident_title(form):
    from .choices import CATEGORIES

    return (
        f"{api.label(CATEGORIES, form.category.data)}, {TITLE_PLACES.get(form.place.data, form.place.data)}"
    )


def incident_values(form, user):
    return {
        "involved": ",".join(form.involved_roles.data or []),
        "reported_by": user.id if user else None,
        "ai_required": arbeidsinspectie_required(form.category.data, form.victim.data, form.injury.data),
    }


def arbeidsinspectie_required(category, victim, injury):
    """Arbowet art. 9 lid 1: an accident at work of a staff member that leads to death,
    permanent injury or a hospital admission is reported at once to the Nederlandse
    Arbeidsinspectie."""
    return category == "ongeval" and victim == "personeel" and injury in SERIOUS_INJURIES


def incident_after(case, detail, user):
    if detail.ai_required:
        # Arbowet art. 9 lid 1: a required item, so the case cannot close without it.
        api.add_checklist_item(case, AI_ITEM, AI_LABEL, required=True, due_date=api.today())
        text = (
            "Dit ongeval moet direct worden gemeld bij de Nederlandse Arbeidsinspectie "
            "(Arbowet art. 9): overlijden, blijvend letsel of ziekenhuisopname van een medewerker."
        )
        api.add_event(case, "note", None, text, actor="Veiligheidsportaal")
        if has_request_context():  # the one who registers it reads it at once, too
            flash(f"{text} De directie heeft bericht gekregen ({case.reference}).", "error")
    elif detail.category == "ongeval" and detail.victim == "leerling":
        # Advised, not required: the RI&E and the insurer ask for a pupil accident's record.
        api.add_checklist_item(
            case, PUPIL_ACCIDENT_ITEM, "Ongeval van een leerling: verzekering en ouders geïnformeerd (advies)"
        )


def ai_guard(detail):
    # Arbowet art. 9 lid 1: closing needs the report to the Arbeidsinspectie on record.
    if detail.ai_required and not (detail.ai_reported_on and detail.ai_reference):
        return (
            "Dit ongeval moet worden gemeld bij de Nederlandse Arbeidsinspectie (Arbowet art. 9). "
            "Leg eerst de datum en het kenmerk van de melding vast met ‘Melding Arbeidsinspectie "
            "vastleggen’."
        )
    return None


def ai_recorded(case, detail, user):
    api.tick(case, AI_ITEM, user)
    return f"Gemeld bij de Nederlandse Arbeidsinspectie, kenmerk {detail.ai_reference}."


def ai_only_when_required(detail):
    if not detail.ai_required:
        return "Dit incident hoeft niet bij de Arbeidsinspectie te worden gemeld."
    return None


def staff_accident_only(detail):
    if not detail.staff_accident:
        return "Verzuim wordt alleen bijgehouden bij een ongeval van een medewerker."
    return None


INCIDENT_TYPE = api.CaseType(
    name=INCIDENT,
    title="Incident",
    prefix="INC",
    states=(
        api.State("geregistreerd", "Geregistreerd"),
        api.State("afgehandeld", "Afgehandeld", closed=True),
    ),
    initial="geregistreerd",
    transitions=(
        api.Transition(
            "incidenten.arbeidsinspectie_gemeld",
            "Melding Arbeidsinspectie vastleggen",
            ("geregistreerd",),
            "geregistreerd",
            form=forms.ArbeidsinspectieForm,
            guard=ai_only_when_required,
            copy=("ai_reported_on", "ai_reference"),
            apply=ai_recorded,
            order=10,
        ),
        api.Transition(
            "incidenten.verzuim",
            "Verzuim bijwerken",
            ("geregistreerd",),
            "geregistreerd",
            form=forms.AbsenceForm,
            guard=staff_accident_only,
            copy=("absence_days",),
            apply=lambda form: f"Verzuim bijgewerkt: {form.absence_days.data} dagen.",
            order=20,
        ),
        api.Transition(
            "incidenten.ouders_geinformeerd",
            "Ouders geïnformeerd",
            ("geregistreerd",),
            "geregistreerd",
            form=forms.ParentsForm,
            copy=("parents_informed_on", "parents_informed_by"),
            fixed={"parents_informed": "ja"},
            apply=lambda: "De ouders zijn geïnformeerd.",
            order=30,
        ),
        api.Transition(
            "incidenten.afhandelen",
            "Afhandelen",
            ("geregistreerd",),
            "afgehandeld",
            form=forms.CloseIncidentForm,
            guard=ai_guard,
            copy=("closing_note",),
            order=90,
        ),
    ),
    view_permission=VIEW,
    handle_permission=HANDLE,
    confidential_roles=("directie",),
    starter_sees=True,
    retention_days=365 * 5,
    detail=models.Incident,
    summary_template="incidenten/incident_summary.html",
    summary_context=details.incident_summary,
    search_columns=("what", "measure"),
    start=api.Start(
        forms.IncidentForm,
        "Incident melden",
        REPORT,
        path="melden",
        title=incident_title,
        notify=HANDLE,
        submit="Incident registreren",
        values=incident_values,
        after=incident_after,
        saved="Het incident is geregistreerd als {reference}. Dank u wel.",
        then="start",
        nav_order=35,
        nav_label="Incident melden",
        intro=(
            "Registreer hier elk incident of ongeval (veiligheidsplan 3.2): wanneer, waar en wat. "
            "De registratie telt mee in de jaarlijkse evaluatie; schrijf geen namen in de tekst."
        ),
        template="incidenten/incident_form.html",
        text="Incident geregistreerd.",
    ),
)


# ------------------------------------------------------ fysiek ingrijpen ----


def intervention_values(user):
    return {"reported_by": user.id if user else None}


def intervention_after(case, detail, user):
    """The plan: parents are informed the same day. Not yet done: a required item, due today."""
    item = api.add_checklist_item(
        case,
        PARENTS_ITEM,
        "Ouders dezelfde dag geïnformeerd (veiligheidsplan 3.1.4)",
        required=True,
        due_date=detail.occurred_on,
    )
    if detail.parents_informed == "ja":
        api.tick(case, item, user)


def from_incident(origin):
    """A case started from an incident's page (``Start.follows``) knows when it happened and
    what; the pupil fields the core fills in from the incident's pupils."""
    if origin is None or origin.case_type != INCIDENT:
        return {}
    incident = models.Incident.get_or_none(models.Incident.case == origin.id)
    if incident is None:
        return {}
    values = {"occurred_on": incident.occurred_on, "what": incident.what, "preceded": incident.what}
    if incident.occurred_time:
        values["occurred_time"] = incident.occurred_time
    return values


def not_punishment(form):
    # Veiligheidsplan 3.1.4: a physical measure as a punishment is never allowed. The radio
    # accepts only the plan's two grounds; this catches a crafted post as well.
    if form.ground.data not in ("onbereikbaar", "gevaar"):
        return {"ground": forms.PUNISHMENT}
    return None


def evaluated_guard(detail):
    # Veiligheidsplan 3.1.4: "we evalueren altijd": no closing without the evaluation.
    if not (detail.evaluated_on and detail.lessons):
        return "Sluit pas af na de evaluatie: hebben we goed gehandeld, en wat leren we ervan?"
    return None


def parents_recorded(case, user):
    api.tick(case, PARENTS_ITEM, user)
    return "De ouders zijn geïnformeerd."


INTERVENTION_TYPE = api.CaseType(
    name=INTERVENTION,
    title="Fysiek ingrijpen",
    prefix="FI",
    states=(
        api.State("vastgelegd", "Vastgelegd: evaluatie binnen 5 schooldagen"),
        api.State("geevalueerd", "Geëvalueerd"),
        api.State("afgesloten", "Afgesloten", closed=True),
    ),
    initial="vastgelegd",
    transitions=(
        api.Transition(
            "incidenten.ingrijpen_ouders",
            "Ouders geïnformeerd",
            ("vastgelegd",),
            "vastgelegd",
            INTERVENE,
            form=forms.InterventionParentsForm,
            copy=("parents_informed_time",),
            fixed={"parents_informed": "ja"},
            apply=parents_recorded,
            order=10,
        ),
        api.Transition(
            "incidenten.evalueren",
            "Evaluatie vastleggen",
            ("vastgelegd",),
            "geevalueerd",
            EVALUATE,
            form=forms.EvaluationForm,
            copy=("evaluated_on", "evaluated_with", "verdict", "lessons"),
            apply=lambda: "Het ingrijpen is geëvalueerd.",
            order=20,
        ),
        api.Transition(
            "incidenten.ingrijpen_afsluiten",
            "Afsluiten",
            ("geevalueerd",),
            "afgesloten",
            EVALUATE,
            form=api.text_form("Toelichting bij het afsluiten"),
            guard=evaluated_guard,
            order=90,
        ),
    ),
    view_permission=INTERVENTION_VIEW,
    handle_permission=EVALUATE,
    confidential_roles=("ib", "directie"),
    starter_sees=True,
    retention_days=365 * 2,
    checklist=(),
    deadlines=(
        # Veiligheidsplan 3.1.4: we always evaluate; within five school days.
        api.Deadline(
            "incidenten.evaluatie", "Evaluatie binnen 5 schooldagen", 5, met_by=("incidenten.evalueren",)
        ),
    ),
    detail=models.Intervention,
    summary_template="incidenten/intervention_summary.html",
    summary_context=details.intervention_summary,
    search_columns=("pupil_name", "preceded", "alternatives", "lessons"),
    start=api.Start(
        forms.InterventionForm,
        "Fysiek ingrijpen vastleggen",
        INTERVENE,
        path="ingrijpen",
        title="Fysiek ingrijpen: {pupil_name}",
        confidential=True,
        notify=EVALUATE,
        submit="Ingrijpen vastleggen",
        values=intervention_values,
        after=intervention_after,
        guard=not_punishment,
        follows=(INCIDENT,),
        prefill=from_incident,
        nav_order=36,
        nav_label="Fysiek ingrijpen",
        intro=(
            "Veiligheidsplan 3.1.4: fysiek ingrijpen mag alleen als de leerling na herhaalde "
            "pogingen niet meer aanspreekbaar is en de orde structureel verstoord is, of bij "
            "ernstig gevaar voor de leerling of anderen. Nooit als straf. Leg het dezelfde dag "
            "vast; binnen vijf schooldagen evalueren we."
        ),
        text="Fysiek ingrijpen vastgelegd.",
        saved="Vastgelegd als {reference}. De evaluatie volgt binnen vijf schooldagen.",
    ),
)


# ---------------------------------------------------------------- datalek ----


def discovered_at(detail):
    """The moment the breach was discovered (Dutch local time): AVG art. 33 lid 1 counts the
    72 hours from when the school became aware of it."""
    return datetime.datetime.combine(detail.discovered_on, detail.discovered_time)


def breach_values(user):
    return {"reported_by": user.id if user else None}


def breach_title(form):
    return f"Datalek ontdekt op {api.nl_date(form.discovered_on.data)}"


def decision_text(form):
    ap = (
        "gemeld bij de Autoriteit Persoonsgegevens"
        if form.report_ap.data == "ja"
        else "niet gemeld bij de AP"
    )
    who = "de betrokkenen worden geïnformeerd" if form.inform_affected.data == "ja" else "de betrokkenen niet"
    return f"Besluit: {ap}; {who}."


def fg_first(detail):
    if not detail.fg_informed_on:
        return "Informeer eerst de functionaris gegevensbescherming en leg dat vast."
    return None


BREACH_TYPE = api.CaseType(
    name=BREACH,
    title="Datalek",
    prefix="DL",
    states=(
        api.State("gemeld", "Gemeld: beoordelen binnen 72 uur"),
        api.State("fg", "Functionaris gegevensbescherming geïnformeerd"),
        api.State("besloten", "Besloten over melden"),
        api.State("afgesloten", "Afgesloten", closed=True),
    ),
    initial="gemeld",
    transitions=(
        api.Transition(
            "incidenten.fg",
            "Functionaris gegevensbescherming geïnformeerd",
            ("gemeld",),
            "fg",
            form=forms.FgForm,
            copy=("fg_informed_on", "fg_name"),
            apply=lambda: "De functionaris gegevensbescherming is geïnformeerd.",
            order=10,
        ),
        api.Transition(
            "incidenten.datalek_besluit",
            "Besluit: melden bij de AP en de betrokkenen informeren?",
            ("fg",),
            "besloten",
            form=forms.DecisionForm,
            guard=fg_first,
            copy=(
                "report_ap",
                "ap_reason",
                "ap_reported_on",
                "ap_reference",
                "inform_affected",
                "affected_reason",
            ),
            apply=decision_text,
            order=20,
        ),
        api.Transition(
            "incidenten.datalek_afsluiten",
            "Afsluiten",
            ("besloten",),
            "afgesloten",
            form=forms.CloseBreachForm,
            copy=("measures",),
            order=90,
        ),
    ),
    view_permission=BREACH_HANDLE,
    handle_permission=BREACH_HANDLE,
    confidential_roles=("directie",),
    starter_sees=True,
    about_pupils=False,
    # AVG art. 33 lid 5: the register of breaches is kept; five years here.
    retention_days=365 * 5,
    deadlines=(
        # AVG art. 33 lid 1: without undue delay and where feasible within 72 hours after
        # becoming aware of it: clock hours, nights and weekends included.
        api.Deadline(
            "incidenten.72uur",
            "Besluit over melden bij de AP (72 uur na ontdekking)",
            72,
            hours=True,
            since=discovered_at,
            met_by=("incidenten.datalek_besluit",),
        ),
    ),
    detail=models.Breach,
    summary_template="incidenten/breach_summary.html",
    summary_context=details.breach_summary,
    search_columns=("what", "data_kinds"),
    start=api.Start(
        forms.BreachForm,
        "Datalek melden",
        BREACH_REPORT,
        path="datalek",
        title=breach_title,
        notify=BREACH_HANDLE,
        submit="Datalek melden",
        values=breach_values,
        nav_order=37,
        nav_label="Datalek melden",
        intro=(
            "Zijn persoonsgegevens bij de verkeerde terechtgekomen, kwijtgeraakt of ingezien door "
            "wie dat niet mocht (een mail aan de verkeerde ouder, een verloren laptop)? Meld het "
            "direct: binnen 72 uur na ontdekking besluit de school of het lek wordt gemeld bij de "
            "Autoriteit Persoonsgegevens (AVG art. 33)."
        ),
        text="Datalek gemeld.",
        saved="Het datalek is gemeld als {reference}. De directie neemt het direct op.",
    ),
)


# ------------------------------------------------------ toegangsverbod ----


def ban_values(user):
    return {}


def ban_decided(case, form):
    models.Ban.update(scope=",".join(form.scope.data or [])).where(models.Ban.case == case.id).execute()
    return (
        f"Besluit: toegangsverbod van {api.nl_date(form.ban_from.data)} tot en met "
        f"{api.nl_date(form.ban_until.data)}."
    )


def view_heard_guard(detail):
    # Awb art. 4:8 (by analogy) and veiligheidsplan 3.1.5: the parent's view is heard first.
    if not detail.view_on:
        return "Hoor eerst de zienswijze van de ouder."
    return None


def evaluation_before_end(detail, form):
    # Veiligheidsplan 3.1.5: the ban is evaluated before its end date.
    if detail.ban_until and form.evaluated_on.data and form.evaluated_on.data > detail.ban_until:
        return {"evaluated_on": "De evaluatie hoort vóór de einddatum van het verbod."}
    return None


def days_to_end(detail):
    return max(0, (detail.ban_until - api.today()).days) if detail.ban_until else 0


BAN_TYPE = api.CaseType(
    name=BAN,
    title="Toegangsverbod voor een ouder",
    prefix="TV",
    states=(
        api.State("gemeld", "Voorval vastgelegd"),
        api.State("gesprek", "De-escalerend gesprek gevoerd"),
        api.State("voornemen", "Voornemen: zienswijze van de ouder"),
        api.State("zienswijze", "Zienswijze gehoord"),
        api.State("besloten", "Toegangsverbod van kracht"),
        api.State("geevalueerd", "Geëvalueerd"),
        api.State("opgeheven", "Opgeheven of verlopen", closed=True),
        api.State("geen_verbod", "Geen toegangsverbod", closed=True),
    ),
    initial="gemeld",
    transitions=(
        api.Transition(
            "incidenten.tv_gesprek",
            "De-escalerend gesprek vastleggen",
            ("gemeld",),
            "gesprek",
            form=forms.TalkForm,
            copy=("talk_on", "talk_summary"),
            apply=lambda: "Het de-escalerende gesprek is gevoerd.",
            order=10,
        ),
        api.Transition(
            "incidenten.tv_voornemen",
            "Voornemen tot een toegangsverbod",
            ("gemeld", "gesprek"),
            "voornemen",
            form=forms.IntentionForm,
            copy=("intention_on", "intention_reasons", "view_until"),
            apply=lambda: "Voornemen tot een toegangsverbod; de ouder kan zijn zienswijze geven.",
            order=20,
        ),
        api.Transition(
            "incidenten.tv_zienswijze",
            "Zienswijze van de ouder vastleggen",
            ("voornemen",),
            "zienswijze",
            form=forms.ViewForm,
            copy=("view_on", "view_summary"),
            apply=lambda: "De zienswijze van de ouder is gehoord.",
            order=30,
        ),
        api.Transition(
            "incidenten.tv_besluit",
            "Besluit: toegangsverbod opleggen",
            ("zienswijze",),
            "besloten",
            form=forms.DecisionBanForm,
            guard=view_heard_guard,
            copy=("board_on", "board_with", "decided_on", "reasons", "ban_from", "ban_until", "information"),
            apply=ban_decided,
            order=40,
        ),
        api.Transition(
            "incidenten.tv_geen",
            "Geen toegangsverbod: afsluiten",
            ("gemeld", "gesprek", "voornemen", "zienswijze"),
            "geen_verbod",
            form=api.text_form("Waarom geen toegangsverbod?", required="Licht toe waarom."),
            order=45,
        ),
        api.Transition(
            "incidenten.tv_evalueren",
            "Evaluatie vóór de einddatum",
            ("besloten",),
            "geevalueerd",
            form=forms.BanEvaluationForm,
            guard=evaluation_before_end,
            copy=("evaluated_on", "evaluation"),
            apply=lambda: "Het toegangsverbod is geëvalueerd.",
            order=50,
        ),
        api.Transition(
            "incidenten.tv_opheffen",
            "Toegangsverbod opheffen of laten aflopen",
            ("besloten", "geevalueerd"),
            "opgeheven",
            form=forms.LiftForm,
            copy=("lifted_on", "lifted_note"),
            apply=lambda: "Het toegangsverbod is opgeheven.",
            order=60,
        ),
    ),
    view_permission=BAN_HANDLE,
    handle_permission=BAN_HANDLE,
    confidential_roles=("directie",),
    retention_days=365 * 2,
    deadlines=(
        api.Deadline(
            "incidenten.tv_evaluatie",
            "Evaluatie vóór de einddatum van het verbod",
            days_to_end,
            school_days=False,
            start="incidenten.tv_besluit",
            met_by=("incidenten.tv_evalueren",),
        ),
    ),
    detail=models.Ban,
    summary_template="incidenten/ban_summary.html",
    summary_context=details.ban_summary,
    search_columns=("parent_name", "what"),
    start=api.Start(
        forms.BanForm,
        "Toegangsverbod voor een ouder",
        BAN_HANDLE,
        path="toegangsverbod",
        title="Toegangsverbod: {parent_name}",
        confidential=True,
        submit="Voorval vastleggen",
        values=ban_values,
        follows=(INCIDENT,),
        prefill=from_incident,
        nav_order=38,
        nav_label="Toegangsverbod ouder",
        intro=(
            "Veiligheidsplan 3.1.5: bij (dreiging met) geweld door een ouder volgt eerst een "
            "de-escalerend gesprek. Een toegangsverbod begint met een voornemen, waarop de ouder "
            "zijn zienswijze geeft; de directie besluit na overleg met het bestuur."
        ),
        text="Voorval vastgelegd.",
    ),
)

CASE_TYPES = [INCIDENT_TYPE, INTERVENTION_TYPE, BREACH_TYPE, BAN_TYPE]
