"""The plugin's forms: a teacher's request, the directie's decisions and allowed-list entry."""

import datetime

from portal import api

from .choices import GROUPS
from .choices import KINDS

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


class ApproveForm(api.Form):
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


class AllowedAppForm(api.Form):
    """A new entry on the allowed list, added by the directie."""

    name = api.line("Naam", 120, "Vul de naam van de app of site in.")
    address = api.WebAddressField(
        "Webadres of domein", required="Vul een webadres in, zoals www.basispoort.nl."
    )
    purpose = api.line("Waarvoor", 500, description="Bijvoorbeeld: rekenen en taal op het digibord.")
    since = api.date_field("Toegestaan sinds", "Vul een geldige datum in (dag-maand-jaar).")
    approved_by = api.line("Goedgekeurd door", 200, "Vul in wie het heeft goedgekeurd.")
