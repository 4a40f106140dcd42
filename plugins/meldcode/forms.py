"""The forms of the meldcode plugin, from the portal's Dutch forms kit: the start (step 1)
and one form per step, in the plan's order.

The core adds CSRF to every POST and, on the case page, prefixes each step's field ids with
the step's name, so two steps with a ``held_on`` field do not share an id.
"""

from portal import api

from .choices import CONVERSATION_OUTCOMES
from .choices import NOT_HELD_REASONS
from .choices import QUESTIONS
from .choices import SOURCES
from .choices import YES_NO

DATE = "Vul een geldige datum in."


def _source_detail_needed(form):
    if form.source.data == "anders" and not api.clean(form.source_detail):
        return {"source_detail": "Licht toe van wie of waar de signalen komen."}
    return None


# ---------------------------------------------------------- step 1: signaleren ----


class ConcernForm(api.Form):
    """The start: a staff member's concern about one pupil of the register."""

    pupil_name = api.PupilField("Leerling", required="Zoek en kies de leerling om wie het gaat.")
    signalled_on = api.date_field("Datum van de signalen", DATE, past=True)
    signals = api.text(
        "Welke signalen ziet of hoort u?",
        required="Beschrijf de signalen: wat ziet of hoort u, zo feitelijk mogelijk.",
        description="Beschrijf wat u zelf zag of hoorde, zo feitelijk mogelijk, met datum.",
    )
    contra_signals = api.text(
        "Welke signalen spreken dit tegen?",
        required="Beschrijf ook wat de zorg tegenspreekt; ziet u niets, schrijf dan ‘geen’.",
        description="De meldcode vraagt ook om signalen die de zorg ontkrachten.",
    )
    source = api.RadioField("Bron van de signalen", choices=SOURCES, required="Kies de bron van de signalen.")
    source_detail = api.line("Toelichting bij de bron", 200)
    considerations = api.text(
        "Uw eigen overwegingen",
        required="Schrijf uw overwegingen op: wat denkt u, en waarom?",
    )

    def check(self):
        return _source_detail_needed(self)


class NewSignalsForm(api.Form):
    """Going back a step: new signals change the picture, so the step before is done again."""

    noted_on = api.date_field("Datum van de nieuwe signalen", DATE, past=True)
    signals = api.text("Nieuwe signalen", required="Beschrijf de nieuwe signalen.")
    contra_signals = api.text("Signalen die dit tegenspreken")


# -------------------------------------------------- step 2: collegiale consultatie ----


class ConsultationForm(api.Form):
    held_on = api.date_field("Datum van de consultatie", DATE, past=True)
    with_whom = api.line(
        "Met wie (naam en functie)",
        200,
        "Vul in met wie de signalen zijn besproken (intern begeleider of aandachtsfunctionaris).",
    )
    summary = api.text(
        "Verslag: hoe zijn de signalen geduid?", required="Vat samen hoe de signalen zijn geduid."
    )
    decisions = api.text("Besluiten over het vervolg", required="Vul de besluiten over het vervolg in.")
    vt_consulted = api.BooleanField("Veilig Thuis is anoniem geraadpleegd")
    vt_on = api.date_field("Datum van de raadpleging van Veilig Thuis", None, past=True)
    vt_advice = api.text("Advies van Veilig Thuis")

    def check(self):
        if not self.vt_consulted.data:
            self.vt_on.data, self.vt_advice.data = None, ""
            return None
        marked = {}
        if not self.vt_on.data and not self.vt_on.errors:
            marked["vt_on"] = "Vul de datum in waarop Veilig Thuis is geraadpleegd."
        if not api.clean(self.vt_advice):
            marked["vt_advice"] = "Vul het advies van Veilig Thuis in."
        return marked or None


class VeiligThuisForm(api.Form):
    consulted_on = api.date_field("Datum van de raadpleging", DATE, past=True)
    advice = api.text("Advies van Veilig Thuis", required="Vul het advies van Veilig Thuis in.")


# ------------------------------------------------ step 3: gesprek met ouders en kind ----


class ConversationForm(api.Form):
    held_on = api.date_field("Datum van het gesprek", DATE, past=True)
    with_parents = api.BooleanField("Met de ouders/verzorgers gesproken")
    with_child = api.BooleanField("Met het kind gesproken")
    summary = api.text(
        "Verslag van het gesprek",
        required="Schrijf op wat er is besproken en wat de ouders en het kind zeiden.",
    )
    outcome = api.RadioField(
        "Wat betekent het gesprek voor het vermoeden?",
        choices=CONVERSATION_OUTCOMES,
        required="Kies of het vermoeden blijft bestaan.",
    )

    def check(self):
        if not (self.with_parents.data or self.with_child.data):
            return {"with_parents": "Vink aan met wie het gesprek is gevoerd: de ouders, het kind of beiden."}
        return None


class NotHeldForm(api.Form):
    not_held_reason = api.RadioField(
        "Waarom is het gesprek niet gevoerd?",
        choices=NOT_HELD_REASONS,
        required="Kies de reden: het gesprek mag alleen achterwege blijven voor de veiligheid.",
    )
    not_held_explanation = api.text(
        "Toelichting", required="Licht toe waarom een gesprek de veiligheid in gevaar zou brengen."
    )


# ---------------------------------------------------- step 4: wegen (afwegingskader) ----


def _question(key, text):
    return api.RadioField(text, choices=YES_NO, required=f"Beantwoord vraag {key[1]} van het afwegingskader.")


def _explanation(key):
    return api.text(
        f"Toelichting bij vraag {key[1]}",
        required=f"Licht het antwoord op vraag {key[1]} toe.",
    )


class WeighingForm(api.Form):
    weighed_on = api.date_field("Datum van de weging", DATE, past=True)
    q1 = _question(*QUESTIONS[0])
    q1_note = _explanation("q1")
    q2 = _question(*QUESTIONS[1])
    q2_note = _explanation("q2")
    q3 = _question(*QUESTIONS[2])
    q3_note = _explanation("q3")
    q4 = _question(*QUESTIONS[3])
    q4_note = _explanation("q4")
    q5 = _question(*QUESTIONS[4])
    q5_note = _explanation("q5")
    strong = api.RadioField(
        "Blijkt uit de afweging een sterk vermoeden van huiselijk geweld of kindermishandeling?",
        choices=YES_NO,
        required="Geef aan of er een sterk vermoeden is.",
        description="Bij een sterk vermoeden informeert de directie de clusterdirecteur (het bevoegd gezag).",
    )

    def check(self):
        if self.q1.data == "nee" and self.strong.data == "ja":
            return {"strong": "Bij ‘nee’ op vraag 1 (geen vermoeden) kan er geen sterk vermoeden zijn."}
        return None


class BoardForm(api.Form):
    held_on = api.date_field("Datum", DATE, past=True)
    with_whom = api.line("Met wie (naam en functie bij het bestuur)", 200, "Vul in met wie.")
    note = api.text("Wat is besproken of afgesproken?", required="Vul in wat is besproken.")


# ------------------------------------------------------------ step 5: beslissen ----


class ReportForm(api.Form):
    """Melden bij Veilig Thuis (also "alsnog melden" after help without the effect)."""

    reported_on = api.date_field("Datum van de melding", DATE, past=True)
    reported_to = api.line(
        "Gemeld bij (medewerker en vestiging van Veilig Thuis)", 200, "Vul in bij wie is gemeld."
    )
    reported_what = api.text("Wat is gemeld?", required="Vul in wat is gemeld.")
    vt_reference = api.line(
        "Kenmerk van Veilig Thuis", 100, "Vul het kenmerk in dat Veilig Thuis aan de melding gaf."
    )


class HelpForm(api.Form):
    help_agreements = api.text(
        "Afspraken over de hulp (vorm en inhoud)", required="Vul de afspraken over de hulp in."
    )
    help_with = api.text(
        "Met wie zijn de afspraken gemaakt (ouders, kind, ketenpartners)?",
        required="Vul in met wie de afspraken zijn gemaakt.",
    )
    help_term = api.date_field(
        "Termijn: tot wanneer loopt de hulp?",
        "Vul de datum in waarop het effect van de hulp wordt beoordeeld.",
        description="Op deze datum vraagt het portaal: heeft de hulp het gewenste effect?",
    )
    help_effect = api.text("Beoogd effect", required="Vul in wat de hulp moet bereiken.")

    def check(self):
        if self.help_term.data and self.help_term.data <= api.today():
            return {"help_term": "De termijn moet na vandaag liggen."}
        return None


class RemovedForm(api.Form):
    removed_reason = api.text(
        "Waarom is de zorg weggenomen?", required="Licht toe waarom de zorg is weggenomen."
    )


class EffectForm(api.Form):
    effect_on = api.date_field("Datum van de beoordeling", DATE, past=True)
    effect_note = api.text("Toelichting", required="Licht het antwoord toe: wat is het effect van de hulp?")
