"""The forms of the incidenten plugin, from the portal's Dutch forms kit."""

import datetime

from portal import api

from .choices import BAN_SCOPES
from .choices import CATEGORIES
from .choices import DISCRIMINATION_GROUNDS
from .choices import EVALUATION_VERDICTS
from .choices import INJURIES
from .choices import INTERVENTION_GROUNDS
from .choices import INVOLVED
from .choices import PARENTS_INFORMED
from .choices import PLACES
from .choices import VICTIMS
from .choices import YES_NO

DATE = "Vul een geldige datum in."


def _time(label, required=None, **kw):
    validators = [api.InputRequired(required)] if required else [api.Optional()]
    return api.TimeField(label, validators=validators, **kw)


# ------------------------------------------------------------- incident ----


class IncidentForm(api.Form):
    """Registration by any staff member, on a phone, in under a minute (veiligheidsplan 3.2)."""

    occurred_on = api.date_field(
        "Wanneer gebeurde het?", "Vul in wanneer het gebeurde (de datum).", past=True, default=api.today
    )
    occurred_time = _time("Hoe laat (ongeveer)?")
    place = api.RadioField("Waar?", choices=PLACES, required="Kies waar het gebeurde.")
    category = api.RadioField(
        "Wat voor incident?",
        choices=CATEGORIES,
        required="Kies wat voor incident het is.",
        description="De categorieën van de incidentenregistratie (OCW). Kies de zwaarste.",
    )
    discrimination_ground = api.SelectField(
        "Discriminatie: op grond van",
        choices=[("", "Kies de grond"), *DISCRIMINATION_GROUNDS],
        default="",
    )
    what = api.text(
        "Wat is er gebeurd?",
        2000,
        "Beschrijf kort wat er gebeurde.",
        description="Feitelijk en zonder namen: namen staan alleen in een gekoppelde zaak.",
    )
    involved_roles = api.MultiCheckboxField(
        "Wie waren erbij betrokken?", choices=INVOLVED, required="Kies wie erbij betrokken waren."
    )
    pupil = api.PupilField("Leerling uit de leerlingenlijst (niet verplicht)", role="betrokken")
    victim = api.RadioField(
        "Ongeval: wie had het ongeval?", choices=[("", "Geen ongeval"), *VICTIMS], default=""
    )
    injury = api.RadioField("Letsel", choices=INJURIES, default="geen")
    absence_days = api.IntegerField(
        "Ongeval van personeel: dagen verzuim (als bekend)",
        validators=[api.Optional(), api.NumberRange(0, 365, "Vul een aantal dagen in tussen 0 en 365.")],
    )
    measure = api.text("Welke maatregel is genomen?", 2000)
    parents_informed = api.RadioField(
        "Zijn de ouders geïnformeerd?",
        choices=PARENTS_INFORMED,
        required="Geef aan of de ouders zijn geïnformeerd.",
    )
    parents_informed_on = api.date_field("Ouders geïnformeerd op", None, past=True)
    parents_informed_by = api.line("Door wie?", 200)

    def check(self):
        marked = {}
        if self.category.data == "discriminatie":
            if not self.discrimination_ground.data:
                marked["discrimination_ground"] = "Kies op grond waarvan is gediscrimineerd."
        else:
            self.discrimination_ground.data = ""
        if self.category.data == "ongeval":
            if not self.victim.data:
                marked["victim"] = "Kies wie het ongeval had."
        else:
            self.victim.data = ""
        if self.victim.data != "personeel":
            self.absence_days.data = None
        if self.parents_informed.data == "ja":
            if not self.parents_informed_on.data and not self.parents_informed_on.errors:
                marked["parents_informed_on"] = "Vul in wanneer de ouders zijn geïnformeerd."
            if not api.clean(self.parents_informed_by):
                marked["parents_informed_by"] = "Vul in wie de ouders heeft geïnformeerd."
        else:
            self.parents_informed_on.data, self.parents_informed_by.data = None, ""
        return marked or None


class ArbeidsinspectieForm(api.Form):
    ai_reported_on = api.date_field("Gemeld bij de Arbeidsinspectie op", DATE, past=True)
    ai_reference = api.line(
        "Kenmerk van de melding", 100, "Vul het kenmerk in dat de Arbeidsinspectie aan de melding gaf."
    )


class AbsenceForm(api.Form):
    absence_days = api.IntegerField(
        "Dagen verzuim",
        validators=[
            api.InputRequired("Vul het aantal dagen verzuim in."),
            api.NumberRange(0, 365, "Vul een aantal dagen in tussen 0 en 365."),
        ],
    )


class ParentsForm(api.Form):
    parents_informed_on = api.date_field("Ouders geïnformeerd op", DATE, past=True)
    parents_informed_by = api.line("Door wie?", 200, "Vul in wie de ouders heeft geïnformeerd.")


CloseIncidentForm = api.text_form("Afhandeling (zonder namen)", name="closing_note", max_length=2000)


# ------------------------------------------------------ fysiek ingrijpen ----

PUNISHMENT = (
    "Fysiek ingrijpen als straf is nooit toegestaan (veiligheidsplan 3.1.4). Kies een van de "
    "twee gronden uit het plan; past geen van beide, dan was ingrijpen niet toegestaan."
)


class InterventionForm(api.Form):
    occurred_on = api.date_field("Datum", DATE, past=True, default=api.today)
    occurred_time = _time("Tijd", "Vul in hoe laat het was.")
    intervened_by = api.line("Wie greep in?", 200, "Vul in wie er ingreep.")
    pupil_name = api.PupilField("Leerling", required="Zoek en kies de leerling.", role="betrokken")
    preceded = api.text("Wat ging eraan vooraf?", 3000, "Beschrijf wat eraan voorafging.")
    alternatives = api.text(
        "Welke alternatieven zijn geprobeerd, en waarom werkten die niet?",
        3000,
        "Beschrijf welke alternatieven zijn geprobeerd en waarom die niet werkten: het plan "
        "vraagt dit altijd.",
    )
    # Veiligheidsplan 3.1.4: only these two grounds; anything else (a punishment) is refused.
    ground = api.RadioField(
        "Grond voor het ingrijpen",
        choices=INTERVENTION_GROUNDS,
        required="Kies de grond voor het ingrijpen.",
        choice_message=PUNISHMENT,
    )
    duration_minutes = api.IntegerField(
        "Hoe lang (minuten)?",
        validators=[
            api.InputRequired("Vul in hoe lang het ingrijpen duurde (in minuten)."),
            api.NumberRange(0, 600, "Vul een duur in tussen 0 en 600 minuten."),
        ],
    )
    injuries = api.text("Letsel (bij wie en welk)", 2000)
    parents_informed = api.RadioField(
        "Zijn de ouders vandaag geïnformeerd?",
        choices=YES_NO,
        required="Geef aan of de ouders zijn geïnformeerd: het plan vraagt dat dezelfde dag.",
    )
    parents_informed_time = _time("Hoe laat geïnformeerd?")

    def check(self):
        if self.parents_informed.data == "ja":
            if not self.parents_informed_time.data and not self.parents_informed_time.errors:
                return {"parents_informed_time": "Vul in hoe laat de ouders zijn geïnformeerd."}
        else:
            self.parents_informed_time.data = None
        return None


class InterventionParentsForm(api.Form):
    parents_informed_time = _time("Hoe laat geïnformeerd?", "Vul in hoe laat de ouders zijn geïnformeerd.")


class EvaluationForm(api.Form):
    evaluated_on = api.date_field("Datum van de evaluatie", DATE, past=True)
    evaluated_with = api.line("Met wie geëvalueerd?", 200, "Vul in met wie is geëvalueerd.")
    verdict = api.RadioField(
        "Hebben we goed gehandeld?",
        choices=EVALUATION_VERDICTS,
        required="Beantwoord: hebben we goed gehandeld?",
    )
    lessons = api.text(
        "Wat leren we ervan als team?", 3000, "Schrijf op wat het team ervan leert (ook als het goed ging)."
    )


# ---------------------------------------------------------------- datalek ----


class BreachForm(api.Form):
    discovered_on = api.date_field("Ontdekt op", "Vul in op welke dag het lek is ontdekt.", past=True)
    discovered_time = _time("Ontdekt om", "Vul in hoe laat het lek is ontdekt: de 72 uur tellen vanaf dan.")
    what = api.text("Wat is er gebeurd?", 3000, "Beschrijf wat er is gebeurd.")
    data_kinds = api.text("Om welke gegevens gaat het?", 2000, "Beschrijf om welke gegevens het gaat.")
    affected_count = api.IntegerField(
        "Om hoeveel personen gaat het (ongeveer)?",
        validators=[api.Optional(), api.NumberRange(0, 1000000, "Vul een aantal in.")],
    )
    sensitive = api.BooleanField("Het gaat om gevoelige gegevens (zorg, gezondheid, thuissituatie, BSN)")

    def check(self):
        if self.discovered_on.data and self.discovered_time.data:
            moment = api.to_utc(datetime.datetime.combine(self.discovered_on.data, self.discovered_time.data))
            if moment > api.utcnow():
                return {"discovered_time": "Het moment van ontdekken ligt in de toekomst."}
        return None


class FgForm(api.Form):
    fg_informed_on = api.date_field("FG geïnformeerd op", DATE, past=True)
    fg_name = api.line(
        "Naam van de functionaris gegevensbescherming", 200, "Vul de naam van de functionaris in."
    )


class DecisionForm(api.Form):
    report_ap = api.RadioField(
        "Melden bij de Autoriteit Persoonsgegevens?", choices=YES_NO, required="Kies of het lek wordt gemeld."
    )
    ap_reason = api.text("Waarom (niet)?", 3000, "Licht het besluit toe: waarom wel of niet melden.")
    ap_reported_on = api.date_field("Gemeld bij de AP op", None, past=True)
    ap_reference = api.line("Meldnummer van de AP", 100)
    inform_affected = api.RadioField(
        "De betrokkenen informeren?", choices=YES_NO, required="Kies of de betrokkenen worden geïnformeerd."
    )
    affected_reason = api.text(
        "Waarom (niet)?", 3000, "Licht toe waarom de betrokkenen wel of niet worden geïnformeerd."
    )

    def check(self):
        marked = {}
        if self.report_ap.data == "ja":
            if not self.ap_reported_on.data and not self.ap_reported_on.errors:
                marked["ap_reported_on"] = "Vul in wanneer het lek bij de AP is gemeld."
            if not api.clean(self.ap_reference):
                marked["ap_reference"] = "Vul het meldnummer van de AP in."
        else:
            self.ap_reported_on.data, self.ap_reference.data = None, ""
        return marked or None


CloseBreachForm = api.text_form(
    "Genomen maatregelen", required="Beschrijf de genomen maatregelen.", name="measures", max_length=3000
)


# ------------------------------------------------------ toegangsverbod ----


class BanForm(api.Form):
    parent_name = api.line("Naam van de ouder", 200, "Vul de naam van de ouder in.")
    parent_address = api.text("Adres van de ouder (voor de brieven)", 500, "Vul het adres van de ouder in.")
    pupil = api.PupilField("Kind op school", role="betrokken")
    occurred_on = api.date_field("Datum van het voorval", DATE, past=True)
    what = api.text("Wat is er gebeurd?", 3000, "Beschrijf wat er is gebeurd.")
    police = api.BooleanField("De politie is ingeschakeld")
    police_note = api.text("Politie: wanneer en wat (aangifte, proces-verbaalnummer)", 1000)

    def check(self):
        if self.police.data and not api.clean(self.police_note):
            return {"police_note": "Vul in wat er met de politie is gebeurd."}
        return None


class TalkForm(api.Form):
    talk_on = api.date_field("Datum van het gesprek", DATE, past=True)
    talk_summary = api.text("Verslag van het de-escalerende gesprek", 3000, "Vat het gesprek samen.")


class IntentionForm(api.Form):
    intention_on = api.date_field("Datum van het voornemen", DATE, past=True)
    intention_reasons = api.text("Redenen voor het voornemen", 3000, "Vul de redenen in.")
    view_until = api.date_field(
        "De ouder kan zijn zienswijze geven tot", "Vul in tot wanneer de ouder zijn zienswijze kan geven."
    )


class ViewForm(api.Form):
    view_on = api.date_field("Zienswijze gehoord op", DATE, past=True)
    view_summary = api.text(
        "De zienswijze van de ouder",
        3000,
        "Vul in wat de ouder naar voren bracht (of dat hij niet reageerde).",
    )


class DecisionBanForm(api.Form):
    board_on = api.date_field("Bestuur geraadpleegd op", DATE, past=True)
    board_with = api.line("Met wie bij het bestuur?", 200, "Vul in met wie bij het bestuur is overlegd.")
    decided_on = api.date_field("Datum van het besluit", DATE, past=True)
    reasons = api.text("Motivering van het besluit", 3000, "Vul de motivering in.")
    scope = api.MultiCheckboxField(
        "Het verbod geldt voor", choices=BAN_SCOPES, required="Kies waarvoor het verbod geldt."
    )
    ban_from = api.date_field("Ingangsdatum", DATE)
    ban_until = api.date_field("Einddatum", DATE)
    information = api.text(
        "Hoe ontvangt de ouder informatie over het kind?",
        2000,
        "Beschrijf hoe de ouder informatie over het kind blijft ontvangen.",
    )

    def check(self):
        if self.ban_from.data and self.ban_until.data and self.ban_until.data < self.ban_from.data:
            return {"ban_until": "De einddatum ligt vóór de ingangsdatum."}
        return None


class BanEvaluationForm(api.Form):
    evaluated_on = api.date_field("Datum van de evaluatie", DATE, past=True)
    evaluation = api.text("Evaluatie", 3000, "Vul de evaluatie in.")


class LiftForm(api.Form):
    lifted_on = api.date_field("Opgeheven op", DATE)
    lifted_note = api.text("Toelichting", 2000)
