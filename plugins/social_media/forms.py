"""The plugin's forms: a teacher's request, the directie's decisions and allowed-list entry."""

import datetime

from portal import api

from .choices import AGREEMENTS
from .choices import COVERED
from .choices import GROUPS
from .choices import KINDS
from .choices import PUPIL_DATA

# A period may last at most this long: it keeps the case (and so the record of
# the approval) within the retention period of the case type.
MAX_PERIOD_DAYS = 366


class RequestForm(api.Form):
    address = api.WebAddressField(
        "Webadres",
        required="Vul een webadres in, zoals www.youtube.com.",
        description="Plak het adres van de video, het spel of de site, of typ de naam van de "
        "site, zoals www.youtube.com.",
    )
    name = api.line(
        "Naam van de app of site (niet verplicht)",
        120,
        description="Bijvoorbeeld: YouTube, filmpje over de watercyclus.",
    )
    # The kit's "Kies een van de mogelijkheden." says less than this about checkboxes.
    groups = api.MultiCheckboxField(
        "Voor welke groep(en)?",
        choices=GROUPS,
        required="Kies minstens één groep.",
        choice_message="Kies uit de groepen in de lijst.",
    )
    purpose = api.text(
        "Voor welke les of welk doel?", 1000, "Schrijf op voor welke les of welk doel u het wilt gebruiken."
    )
    kind = api.RadioField(
        "Hoe lang?",
        choices=KINDS,
        default="eenmalig",
        required="Kies hoe lang u het wilt gebruiken.",
        description="Structureel: na goedkeuring komt het op de lijst met toegestane apps.",
    )
    start_date = api.date_field("Datum (bij een periode: de eerste dag)", None)
    end_date = api.date_field(
        "Laatste dag (alleen bij een periode)",
        None,
        description="Na deze dag vervalt de toestemming vanzelf.",
    )

    def check(self):
        """The dates each kind needs; "eenmalig" ends on its day, "structureel" never."""
        kind, start, end = self.kind.data, self.start_date.data, self.end_date.data
        first, wrong = api.today(), {}
        if kind == "structureel":
            start = start or first
            self.start_date.data, self.end_date.data = start, None
        elif kind in ("eenmalig", "periode") and start is None and not self.start_date.errors:
            wrong["start_date"] = "Vul de datum in waarop u het wilt gebruiken."
        if start is not None and start < first:
            wrong["start_date"] = "Deze datum ligt in het verleden."
        if kind == "eenmalig" and start is not None:
            self.end_date.data = start
        if kind == "periode" and start is not None and not self.end_date.errors:
            if end is None:
                wrong["end_date"] = "Vul de laatste dag van de periode in."
            elif end < start:
                wrong["end_date"] = "De laatste dag ligt vóór de eerste dag."
            elif end - start > datetime.timedelta(days=MAX_PERIOD_DAYS):
                wrong["end_date"] = (
                    "Een periode duurt hoogstens een jaar. Vraag voor langer een structurele toestemming aan."
                )
        return wrong


class PrivacyQuestions(api.Form):
    """What the directie answers before an app is allowed: is there a processing agreement
    (or the Privacyconvenant), which pupil data the app uses, and its minimum age."""

    privacy_agreement = api.RadioField(
        "Is er een verwerkersovereenkomst, of staat de leverancier in het Privacyconvenant Onderwijs?",
        choices=AGREEMENTS,
        required="Kies of er een verwerkersovereenkomst is of de leverancier in het Privacyconvenant staat.",
    )
    pupil_data = api.MultiCheckboxField(
        "Welke gegevens van leerlingen gebruikt de app?",
        choices=PUPIL_DATA,
        required="Kies welke gegevens van leerlingen de app gebruikt (of ‘Geen’).",
    )
    min_age = api.IntegerField(
        "Minimumleeftijd volgens de leverancier (0 als er geen is)",
        validators=[
            api.InputRequired("Vul de minimumleeftijd in (0 als de leverancier er geen noemt)."),
            api.NumberRange(0, 18, "Vul een leeftijd van 0 tot en met 18 jaar in."),
        ],
        render_kw={"min": 0, "max": 18, "inputmode": "numeric"},
    )

    def check(self):
        chosen = self.pupil_data.data or []
        if "geen" in chosen and len(chosen) > 1:
            return {"pupil_data": "Kies ‘Geen’ of de gegevens die de app gebruikt, niet allebei."}
        return None

    def processes_pupil_data(self):
        return bool(self.pupil_data.data) and self.pupil_data.data != ["geen"]

    def uncovered(self):
        """AVG art. 28: pupil data processed without an agreement or the convenant."""
        return self.processes_pupil_data() and self.privacy_agreement.data not in COVERED


# AVG art. 28 lid 3: without a verwerkersovereenkomst (or the convenant's model) an app that
# processes pupil data may not be allowed for good.
UNCOVERED = (
    "Deze app verwerkt gegevens van leerlingen, maar er is geen verwerkersovereenkomst en de "
    "leverancier staat niet in het Privacyconvenant Onderwijs: de app kan niet blijvend worden "
    "toegestaan (AVG art. 28). Sluit eerst een verwerkersovereenkomst af."
)


class ApproveForm(PrivacyQuestions):
    add_to_list = api.BooleanField(
        "Ook op de lijst met toegestane apps zetten (dan mag iedereen het gebruiken, zonder "
        "einddatum). Bij een structurele aanvraag gebeurt dit altijd."
    )
    # default "": a post without the field still gives the (not null) column a text.
    remark = api.text("Toelichting voor de leerkracht (niet verplicht)", 2000, default="")


class DeclineForm(api.Form):
    reason = api.text("Reden van afwijzing", 2000, "Schrijf op waarom de aanvraag wordt afgewezen.")


class WithdrawForm(api.Form):
    reason = api.text("Reden van intrekken", 2000, "Schrijf op waarom de toestemming wordt ingetrokken.")


class AllowedAppForm(PrivacyQuestions):
    """A new entry on the allowed list, added by the directie (for good: the privacy
    questions answered)."""

    name = api.line("Naam", 120, "Vul de naam van de app of site in.")
    address = api.WebAddressField(
        "Webadres of domein", required="Vul een webadres in, zoals www.basispoort.nl."
    )
    purpose = api.line("Waarvoor", 500, description="Bijvoorbeeld: rekenen en taal op het digibord.")
    since = api.date_field("Toegestaan sinds", "Vul een geldige datum in (dag-maand-jaar).")
    approved_by = api.line("Goedgekeurd door", 200, "Vul in wie het heeft goedgekeurd.")

    def check(self):
        found = super().check()
        if found:
            return found
        if self.uncovered():
            return {"privacy_agreement": UNCOVERED}
        return None
