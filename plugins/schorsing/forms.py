"""The forms of the schorsing plugin, from the portal's Dutch forms kit.

The core adds CSRF to every POST and, on the case page, prefixes each step's
field ids with the step's name, so two steps with a ``held_on`` field do not share an id.
"""

from portal import api

from .choices import CATEGORIES
from .choices import OBJECTION_OUTCOMES
from .choices import OUTCOMES
from .choices import SUSPENSION

MAX_DAYS = 5  # the plan: one to five consecutive school days
DAYS_MESSAGE = f"Een schorsing duurt 1 tot en met {MAX_DAYS} aaneengesloten schooldagen."
DATE = "Vul een geldige datum in."


def _pupil(role="betrokken"):
    # The name goes into the detail row (the letters need it); the core links the pupil.
    return api.PupilField("Leerling", required="Zoek en kies de leerling.", role=role)


def _group():
    return api.line("Groep", 40, "Vul de groep in, bijvoorbeeld 6b.")


# ----------------------------------------------------------- the start ----


class SuspensionStartForm(api.Form):
    """A suspension begins at an incident of the register (plugin incidenten): when and where
    come from there; this form asks what the suspension needs, the facts filled in from the
    incident (the names, which the register leaves out, belong here)."""

    # The pupil whose behaviour the incident is about: who may be suspended.
    pupil_name = _pupil("veroorzaker")
    pupil_group = _group()
    category = api.RadioField(
        "Soort ernstig incident (veiligheidsplan 3.2.2)",
        choices=CATEGORIES,
        required="Kies het soort incident.",
    )
    category_other = api.line("Anders, namelijk", 200)
    description = api.text("Wat is er gebeurd?", required="Beschrijf wat er is gebeurd.")
    involved = api.text("Wie waren erbij betrokken?")
    immediate_action = api.text("Wat is er direct gedaan?", required="Beschrijf wat er direct is gedaan.")

    def check(self):
        if self.category.data != "anders":
            self.category_other.data = ""  # only kept for "anders"
        elif not api.clean(self.category_other):
            return {"category_other": "Beschrijf het soort incident bij ‘Anders, namelijk’."}
        return None


class ExpulsionStartForm(api.Form):
    incident = api.CaseField(
        "Kenmerk van het incident (als er een is)",
        SUSPENSION,
        "Er is geen incident met dit kenmerk.",
        description="Bijvoorbeeld SCH-2026-0001; de gegevens van de leerling worden dan overgenomen.",
    )
    pupil_name = _pupil()
    pupil_group = _group()
    grounds = api.text(
        "Waarom wordt verwijdering overwogen?", required="Beschrijf de ernstige verstoring van orde en rust."
    )


# ------------------------------------------------------ suspension route ----


class ConsultationForm(api.Form):
    held_on = api.date_field("Datum van het overleg", DATE, past=True)
    with_whom = api.line("Met wie (naam en functie bij het bestuur)", 200, "Vul in met wie is overlegd.")
    outcome = api.text("Uitkomst van het overleg", required="Vul de uitkomst van het overleg in.")


class HearingForm(api.Form):
    held_on = api.date_field("Datum van het gesprek", DATE, past=True)
    summary = api.text("Samenvatting", required="Vat het gesprek kort samen.")


class DecisionForm(api.Form):
    first_day = api.date_field("Eerste schorsingsdag", DATE)
    days = api.IntegerField(
        "Aantal schooldagen",
        validators=[
            api.InputRequired("Vul het aantal schooldagen in."),
            api.NumberRange(1, MAX_DAYS, DAYS_MESSAGE),
        ],
        render_kw={"min": 1, "max": MAX_DAYS, "inputmode": "numeric"},
    )
    reason = api.text("Reden van de schorsing", required="Vul de reden van de schorsing in.")
    schoolwork = api.text(
        "Afspraken over schoolwerk tijdens de schorsing",
        required="Vul in hoe de leerling tijdens de schorsing schoolwerk krijgt.",
    )
    meeting_on = api.date_field("Datum gesprek met de ouders (voor de uitnodiging in de brief)", None)
    # The first submit computes the last day and shows it under this box; a confirmation
    # counts only for the period that was shown.
    confirmed = api.ConfirmField("Ik heb de berekende schorsingsperiode gecontroleerd")


class EvaluationForm(api.Form):
    held_on = api.date_field("Datum van de evaluatie", DATE)
    summary = api.text("Evaluatie", required="Vat de evaluatie samen: hoe verliep de terugkeer?")


CloseForm = api.text_form("Toelichting bij het afsluiten")
NoSuspensionForm = api.text_form(
    "Waarom volgt er geen schorsing?", "Licht toe waarom er geen schorsing volgt."
)


# -------------------------------------------------------- expulsion route ----


class IntentForm(api.Form):
    intent_on = api.date_field("Datum van het voornemen", DATE)
    intent_text = api.text(
        "Motivering van het voornemen",
        required="Licht toe waarom het bestuur van plan is de leerling te verwijderen.",
    )


class ApproachForm(api.Form):
    school_name = api.line("Naam van de school", 200, "Vul de naam van de school in.")
    approached_on = api.date_field("Datum van het contact", DATE)
    outcome = api.SelectField("Uitkomst", choices=OUTCOMES, required="Kies de uitkomst.")
    special_education = api.BooleanField("Het gaat om een school voor speciaal onderwijs")
    tlv_on = api.date_field("Datum toelaatbaarheidsverklaring van het samenwerkingsverband", None)
    tlv_reference = api.line("Kenmerk toelaatbaarheidsverklaring", 100)
    note = api.text("Toelichting")

    def check(self):
        if not self.special_education.data:
            # Only a school for special education needs a toelaatbaarheidsverklaring: one
            # typed for another school is not kept (the step stores the form as it is).
            self.tlv_on.data, self.tlv_reference.data = None, ""
        elif self.outcome.data == "geaccepteerd" and not self.tlv_on.data and not self.tlv_on.errors:
            return {
                "tlv_on": "Voor een school voor speciaal onderwijs is een "
                "toelaatbaarheidsverklaring van het samenwerkingsverband nodig: vul "
                "de datum in."
            }
        return None


class ExpulsionDecisionForm(api.Form):
    decided_on = api.date_field("Datum van het besluit", DATE)
    effective_on = api.date_field("Verwijderd met ingang van", DATE)


class ObjectionForm(api.Form):
    received_on = api.date_field("Bezwaarschrift ontvangen op", DATE, past=True)
    grounds = api.text(
        "Gronden van het bezwaar (waarom de ouders het niet eens zijn)",
        required="Vul de gronden van het bezwaar in.",
    )


class ObjectionDecisionForm(api.Form):
    decided_on = api.date_field("Datum van de beslissing op bezwaar", DATE, past=True)
    outcome = api.RadioField("Beslissing", choices=OBJECTION_OUTCOMES, required="Kies de beslissing.")
    motivation = api.text(
        "Motivering (staat in de brief aan de ouders)",
        required="Motiveer de beslissing op het bezwaar.",
    )


WithdrawForm = api.text_form("Waarom gaat de verwijdering niet door?", "Licht toe waarom.")
