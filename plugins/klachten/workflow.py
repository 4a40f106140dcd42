"""The contactpersoon's complaint route (veiligheidsplan 3.2.3 and 3.5.3) as a case type.

ontvangen → in behandeling (first contact) → bemiddeling (conversations with the
person concerned or the directie) → doorverwezen (College van Bestuur or the
external vertrouwenspersoon, with consent) → afgerond.

A complaint begins on the parents' public form, which the core serves with the rest of
the parents' route (portal/public.py) from the type's public ``Start``. Complaints
start confidential: only the contactpersoon, the directie and the assignee see them. The
bestuur holds ``klachten.view`` too but sees a complaint only once it is shared with
the board: on referral to the College van Bestuur, or when the legal reporting duty
applies (see sensitive.py).
"""

from portal import api

from . import forms
from . import sensitive
from .choices import CATEGORIES
from .choices import FORMAL
from .choices import OPEN_STATES
from .choices import REFERRAL_SHORT
from .choices import TYPE_NAME
from .details import context as summary_context
from .details import form_context
from .details import public_context
from .models import Gesprek
from .models import Klacht

# --------------------------------------------------------------- the start ----


def submitted(case, detail, school):
    """Inside the creating transaction (the core has queued the parent's confirmation): the
    staff member the parent named is shut out before anyone is told, then the staff's
    notice and, when it applies, the reporting duty."""
    named = sensitive.exclude_named(case, detail)
    subject = f"Nieuwe klacht ontvangen ({case.reference})"
    body = (
        f"Bij {school.name} is een nieuwe klacht binnengekomen: {case.reference}.\n"
        "Log in op het Veiligheidsportaal om die te bekijken. Deze e-mail bevat bewust "
        "geen details."
    )
    notify_staff(case, subject, body)
    if any(api.has_permission(api.acting_user(p), school, "klachten.notify") for p in named):
        # The contactpersoon is the one named: the directie hears of it instead.
        sensitive.mail_people(case, api.users_with_permission(school, "klachten.handle"), subject, body)
    if detail.category == "seksueel" and detail.staff_named:  # named by the parent
        sensitive.start_reporting_duty(case)


def school_values(form, user, school):
    """A complaint of the school itself names the school as the complainant (the letters
    address it), with who recorded it."""
    if form.complaint_source.data == forms.BY_SCHOOL and not api.clean(form.contact_name):
        return {"contact_name": f"{school.name} (vastgelegd door {user.name})"[:200]}
    return {}


def recorded(case, detail, user, school):
    """Inside the creating transaction of a complaint staff recorded: the staff member it
    names is shut out before anyone is told, then the others who handle complaints hear of
    it (never the one who recorded it) and, when it applies, the reporting duty starts."""
    sensitive.exclude_named(case, detail)
    subject = f"Nieuwe klacht vastgelegd ({case.reference})"
    body = (
        f"Bij {school.name} is een klacht vastgelegd: {case.reference}.\n"
        "Log in op het Veiligheidsportaal om die te bekijken. Deze e-mail bevat bewust "
        "geen details."
    )
    people = [p for p in api.users_with_permission(school, "klachten.notify") if p.id != user.id]
    sent = sensitive.mail_people(case, people, subject, body)
    extra = api.get_setting(school, "klachten.notify_email")
    if extra and extra not in sent and extra != user.email:
        api.queue_mail(extra, subject, body, case=case)
    if detail.category == "seksueel" and detail.staff_named:
        sensitive.start_reporting_duty(case, user)


def from_incident(origin):
    """Opened from an incident's page: what happened and when, as the register has it (the
    pupil field the core fills in from the incident's pupils)."""
    if origin is None or origin.case_type != "incidenten.incident":
        return {}
    incident = api.detail_of(origin)
    when = api.nl_date(incident.occurred_on, weekday=True)
    if getattr(incident, "occurred_time", None):
        when += f", {incident.occurred_time.strftime('%H:%M')}"
    return {"what_happened": incident.what, "happened_when": when[:200]}


def notify_staff(case, subject, body):
    """Mail whoever should hear of a complaint: its assignee, or else the holders of
    klachten.notify (the contactpersoon) plus the school's extra address."""
    people = (
        [api.User.get_by_id(case.assignee_id)]
        if case.assignee_id
        else api.users_with_permission(case.school, "klachten.notify")
    )
    sent = sensitive.mail_people(case, people, subject, body)
    extra = api.get_setting(case.school, "klachten.notify_email")
    if extra and extra not in sent:
        api.queue_mail(extra, subject, body, case=case)


# --------------------------------------------------- guards and effects ----


def take(case, detail, form, user):
    """First contact: the complaint is acknowledged; the taker becomes the assignee if none."""
    if detail.acknowledged_at is None:
        detail.acknowledged_at = api.utcnow()
        detail.save(only=[Klacht.acknowledged_at])
    Gesprek.create(
        case=case.id,
        kind="eerste_contact",
        held_on=form.contact_on.data,
        with_whom="Indiener",
        outcome=api.clean(form.contact_note),
        created_by=user.id,
    )
    if case.assignee_id is None:
        api.assign(case, user, user)
        return f"In behandeling genomen en toegewezen aan {user.name}."
    return None


def record_conversation(case, form, user):
    Gesprek.create(
        case=case.id,
        kind=form.talk_with.data,
        held_on=form.talk_on.data,
        with_whom=api.clean(form.talk_names),
        outcome=form.talk_outcome.data,
        created_by=user.id,
    )


ANONYMOUS = (
    "Een anonieme klacht kan niet als formele klacht worden doorverwezen naar {body}: de "
    "klachtencommissie behandelt alleen een klacht van een klager die bekend is (naam en "
    "bereikbaarheid, volgens de klachtenregeling). Vul de naam van de klager in als die zich "
    "bekend heeft gemaakt, of verwijs door naar de externe vertrouwenspersoon."
)


def may_refer(detail, form):
    # Sharing a complaint with a third party needs the complainant's consent (3.2.3).
    if not form.refer_consent.data or form.refer_consent_on.data is None:
        return "Leg vast dat de indiener instemt met de doorverwijzing, met de datum van de instemming."
    # A formal complaint (College van Bestuur or klachtencommissie) needs a complainant who is
    # known: the klachtenregeling asks the complainant's name and address (WPO art. 14).
    if form.refer_to.data in FORMAL and not detail.contact_name and not api.clean(form.refer_name):
        return ANONYMOUS.format(body=REFERRAL_SHORT[form.refer_to.data])
    return None


def refer(case, detail, form, user):
    body = REFERRAL_SHORT[form.refer_to.data]
    if form.refer_to.data not in FORMAL:
        return f"Doorverwezen naar {body}."
    if not detail.contact_name:
        # The complainant made themselves known: the letters name them from now on.
        detail.contact_name = api.clean(form.refer_name)
        detail.save(only=[Klacht.contact_name])
    api.set_confidential(case, False, user)
    sensitive.mail_board(
        case,
        f"Klacht {case.reference} doorverwezen naar {body}",
        f"De contactpersoon van {case.school.name} heeft klacht {case.reference} met "
        f"instemming van de indiener als formele klacht doorverwezen naar {body} "
        "(klachtenregeling ASG). Log in op het Veiligheidsportaal om de doorverwijzing "
        "te lezen en de ontvangst, de hoorzitting en de beslissing vast te leggen. Deze e-mail "
        "bevat bewust geen details.",
    )
    return f"Doorverwezen naar {body}; de klacht is nu zichtbaar voor het bestuur."


def formal_referral(detail):
    if detail.referral_to not in FORMAL:
        return "Deze klacht is niet als formele klacht doorverwezen; het bestuur behandelt haar niet."
    return None


def board_closed(detail):
    detail.outcome = "doorverwezen"
    detail.save(only=[Klacht.outcome])
    return "Afgerond door het bestuur."


def reopen(detail):
    detail.outcome = detail.closing_summary = ""
    detail.save(only=[Klacht.outcome, Klacht.closing_summary])


# ---------------------------------------------------------------- deadlines ----


def ack_days(school):
    return api.get_setting(school, "klachten.ack_school_days")


def warn_days(school):
    return 7 * api.get_setting(school, "klachten.warn_weeks")


# --------------------------------------------------------------- the type ----

# What the parent reads while the bestuur or the klachtencommissie handles the complaint.
BOARD_TEXT = api.N_(
    "Uw klacht wordt behandeld door het bestuur of de klachtencommissie, volgens de "
    "klachtenregeling. U hoort van hen hoe het verder gaat."
)
# No transition is ``public``: their form data (conversations, referral) is internal.
# The parent's page shows only the state's public_text and the dates of state changes, in
# the parent's language: ``api.N_`` marks those texts for the catalogue.

TYPE = api.CaseType(
    name=TYPE_NAME,
    title="Klacht",
    prefix="KL",
    states=(
        api.State(
            "ontvangen",
            api.N_("Ontvangen"),
            public_text=api.N_(
                "Uw klacht is ontvangen. De contactpersoon van de school neemt de klacht in "
                "behandeling en neemt contact met u op."
            ),
        ),
        api.State(
            "in_behandeling",
            api.N_("In behandeling"),
            public_text=api.N_(
                "De contactpersoon behandelt uw klacht en zoekt samen met u naar een oplossing."
            ),
        ),
        api.State(
            "bemiddeling",
            api.N_("Bemiddeling"),
            public_text=api.N_(
                "Er worden gesprekken gevoerd, bijvoorbeeld met de leerkracht of met de directie, "
                "om samen tot een oplossing te komen."
            ),
        ),
        api.State(
            "doorverwezen",
            api.N_("Doorverwezen"),
            public_text=api.N_(
                "Uw klacht is met uw instemming doorverwezen: naar het College van Bestuur van "
                "%(board)s, naar de klachtencommissie of naar de externe "
                "vertrouwenspersoon. U hoort van hen hoe het verder gaat."
            ),
        ),
        api.State(
            "bij_bestuur",
            api.N_("In behandeling bij het bestuur"),
            public_text=BOARD_TEXT,
        ),
        api.State(
            "hoorzitting",
            api.N_("Hoorzitting gehouden"),
            public_text=BOARD_TEXT,
        ),
        api.State(
            "beslissing",
            api.N_("Beslissing genomen"),
            public_text=BOARD_TEXT,
        ),
        api.State(
            "afgerond",
            api.N_("Afgerond"),
            closed=True,
            public_text=api.N_(
                "Uw klacht is afgerond. Heeft u nog vragen, neem dan contact op met de school."
            ),
        ),
    ),
    initial="ontvangen",
    transitions=(
        api.Transition(
            "klachten.in_behandeling",
            "In behandeling nemen (eerste contact)",
            ("ontvangen",),
            "in_behandeling",
            form=forms.TakeForm,
            apply=take,
        ),
        api.Transition(
            "klachten.gesprek",
            "Gesprek vastleggen (bemiddeling)",
            ("in_behandeling", "bemiddeling"),
            "bemiddeling",
            form=forms.ConversationForm,
            apply=record_conversation,
        ),
        api.Transition(
            "klachten.doorverwijzen",
            "Doorverwijzen",
            ("in_behandeling", "bemiddeling"),
            "doorverwezen",
            form=forms.ReferForm,
            guard=may_refer,
            apply=refer,
            copy=(
                ("refer_to", "referral_to"),
                ("refer_consent_on", "referral_consent_on"),
                ("refer_summary", "referral_summary"),
            ),
        ),
        api.Transition(
            "klachten.afronden",
            "Afronden",
            OPEN_STATES,
            "afgerond",
            form=forms.CloseForm,
            copy=(("close_outcome", "outcome"), ("close_summary", "closing_summary")),
        ),
        # After a formal referral the bestuur takes it from there (klachtenregeling).
        api.Transition(
            "klachten.bestuur_ontvangen",
            "Bestuur: klacht ontvangen",
            ("doorverwezen",),
            "bij_bestuur",
            "klachten.bestuur",
            form=forms.BoardReceivedForm,
            guard=formal_referral,
            copy=("board_received_on",),
        ),
        api.Transition(
            "klachten.hoorzitting",
            "Bestuur: hoorzitting vastleggen",
            ("bij_bestuur",),
            "hoorzitting",
            "klachten.bestuur",
            form=forms.HearingForm,
            copy=("hearing_on", "hearing_notes"),
        ),
        api.Transition(
            "klachten.beslissing",
            "Bestuur: beslissing vastleggen",
            ("bij_bestuur", "hoorzitting"),
            "beslissing",
            "klachten.bestuur",
            form=forms.DecisionForm,
            copy=("decision", "decision_on", "decision_summary"),
        ),
        api.Transition(
            "klachten.bestuur_afronden",
            "Bestuur: afronden",
            ("beslissing",),
            "afgerond",
            "klachten.bestuur",
            form=forms.BoardCloseForm,
            copy=(("board_close_summary", "closing_summary"),),
            apply=board_closed,
        ),
        api.Transition(
            "klachten.heropenen",
            "Heropenen",
            ("afgerond",),
            "in_behandeling",
            form=forms.ReopenForm,
            apply=reopen,
        ),
    ),
    view_permission="klachten.view",
    handle_permission="klachten.handle",
    checklist=(
        api.ChecklistItem("klachten.vertrouwenspersoon", "Indiener gewezen op de externe vertrouwenspersoon"),
    ),
    deadlines=(
        api.Deadline(
            "klachten.ontvangst",
            "Ontvangst bevestigen (eerste contact)",
            ack_days,
            met_by=("klachten.in_behandeling",),
        ),
        api.Deadline("klachten.lang_open", "Klacht staat te lang open", warn_days, school_days=False),
    ),
    retention_days=365 * 2,
    confidential_roles=("contactpersoon", "directie"),
    summary_template="klachten/summary.html",
    summary_context=summary_context,
    detail=Klacht,
    search_columns=("what_happened", "tried_other", "hoped_for", "closing_summary", "pupil_name"),
    # The parents' form is public: the core serves it, the receipt, the follow-up page and
    # the PDF receipt; the templates extend the core's (templates/public/).
    start=api.Start(
        forms.ComplaintForm,
        api.N_("Een klacht indienen"),
        path="indienen",
        public=True,
        title=lambda form: f"Klacht: {api.label(CATEGORIES, form.category.data).lower()}",
        confidential=True,
        text="Klacht ingediend via het klachtformulier.",
        submit=api.N_("Klacht versturen"),
        after=submitted,
        template="klachten/indienen.html",
        context=form_context,
        receipt_template="klachten/ontvangen.html",
        status_template="klachten/status.html",
        public_context=public_context,
        receipt_letter="klachten/letters/ontvangstbewijs.html",
        hourly_limit_setting="klachten.per_uur",
        email_field="contact_email",
        added=notify_staff,
    ),
    # The school's own complaint, or one received orally, recorded by who handles complaints;
    # offered on an incident's page too ("Een vervolg starten"), linked to the incident. The
    # route is the same: the receipt deadline, the first contact, the referral.
    more_starts=(
        api.Start(
            forms.SchoolComplaintForm,
            "Klacht van de school vastleggen",
            "klachten.handle",
            path="vastleggen",
            follows=("incidenten.incident",),
            title=lambda form: f"Klacht: {api.label(CATEGORIES, form.category.data).lower()}",
            confidential=True,
            text="Klacht vastgelegd door de school.",
            submit="Klacht vastleggen",
            prefill=from_incident,
            values=school_values,
            after=recorded,
            saved="De klacht is vastgelegd als {reference}.",
            intro="Leg hier een klacht vast die de school zelf indient, of een klacht die een ouder "
            "of iemand anders mondeling of telefonisch deed. De klacht volgt daarna dezelfde route "
            "als een klacht via het formulier: ontvangst bevestigen, eerste contact, bemiddeling of "
            "doorverwijzing.",
        ),
    ),
)
