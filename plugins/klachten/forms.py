"""The forms: the parents' complaint form (the core serves the rest of their route) and the
steps of the contactpersoon's route."""

from portal import api

from .choices import CATEGORIES
from .choices import CONVERSATION_WITH
from .choices import DECISIONS
from .choices import FIRST_CONTACT
from .choices import OUTCOMES
from .choices import REFERRALS

TEXT_MAX = 10000
_l = api.translatable
DATE_ERROR = "Vul een geldige datum in."


# ----------------------------------------------------------- the parents ----


class ComplaintForm(api.Form):
    # Parents read this form in their own language: every text is translatable (portal/i18n.py).
    category = api.RadioField(
        _l("Waar gaat uw klacht over?"),
        choices=[(key, _l(text)) for key, text in CATEGORIES],
        validators=[api.InputRequired(_l("Kies waar uw klacht over gaat."))],
        choice_message=_l("Kies een van de mogelijkheden."),
    )
    staff_named = api.line(
        _l("Gaat de klacht over een medewerker van de school? Schrijf dan hier de naam"), 200
    )
    # Kept as the parent typed it: the contactpersoon links the register's pupil (parents
    # never see the register).
    pupil_name = api.PupilNameField(_l("Naam van de leerling"), validators=[api.no_nul])
    pupil_group = api.line(_l("Groep"), 40)
    what_happened = api.text(_l("Wat is er gebeurd?"), TEXT_MAX, _l("Beschrijf wat er is gebeurd."))
    happened_when = api.line(
        _l("Wanneer gebeurde het?"),
        200,
        description=_l("Bijvoorbeeld: vorige week dinsdag, of sinds de herfstvakantie."),
    )
    tried_teacher = api.BooleanField(_l("Ik heb er al met de leerkracht over gesproken"))
    tried_directie = api.BooleanField(_l("Ik heb er al met de directie over gesproken"))
    tried_other = api.text(_l("Wat heeft u verder al geprobeerd?"), TEXT_MAX)
    hoped_for = api.text(_l("Wat hoopt u dat er gebeurt?"), TEXT_MAX)
    contact_name = api.name_field(_l("Uw naam"))
    contact_email = api.EmailField(
        _l("Uw e-mailadres"),
        validators=[
            api.Optional(),
            api.Email(_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")),
            api.Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
        description=_l("Wij sturen u een bevestiging met het referentienummer, nooit met uw code."),
    )
    contact_phone = api.TelField(
        _l("Uw telefoonnummer"),
        validators=[api.Optional(), api.phone_characters],
        render_kw={"autocomplete": "tel"},
    )
    # How a letter addresses the parent: "Geachte mevrouw Çelik," only when both are given,
    # else "Geachte ouder/verzorger," (portal/letters.py salutation).
    contact_title = api.RadioField(
        _l("Hoe spreken wij u aan in een brief?"),
        choices=[("", _l("Geen voorkeur")), ("mevrouw", _l("Mevrouw")), ("heer", _l("Meneer"))],
        default="",
        choice_message=_l("Kies een van de mogelijkheden."),
    )
    contact_surname = api.line(
        _l("Uw achternaam"),
        100,
        description=_l("Alleen voor de aanhef van brieven, bijvoorbeeld: Çelik of de Vries."),
    )
    # The core adds the honeypot, the one-time token and the attachments (portal/public.py).


# ------------------------------------------------------------ the school ----

BY_SCHOOL = "school"
SOURCES = [
    (BY_SCHOOL, "De school zelf dient de klacht in"),
    ("mondeling", "Een ouder of iemand anders klaagt mondeling of telefonisch"),
]


class SchoolComplaintForm(api.Form):
    """A complaint the contactpersoon or the directie records (staff only, Dutch): one the
    school makes itself, or one a parent or someone else made orally. Opened from an
    incident's page, what happened is filled in from the incident."""

    complaint_source = api.RadioField(
        "Wie dient de klacht in?",
        choices=SOURCES,
        validators=[api.InputRequired("Kies wie de klacht indient.")],
    )
    category = api.RadioField(
        "Waar gaat de klacht over?",
        choices=CATEGORIES,
        validators=[api.InputRequired("Kies waar de klacht over gaat.")],
    )
    pupil_name = api.PupilField("Leerling (als de klacht over een leerling gaat)")
    pupil_group = api.line("Groep", 40)
    what_happened = api.text("Wat is er gebeurd?", TEXT_MAX, "Beschrijf wat er is gebeurd.")
    happened_when = api.line("Wanneer gebeurde het?", 200)
    staff_named = api.line(
        "Gaat de klacht over een medewerker? Naam",
        200,
        description="Die medewerker wordt uitgesloten van deze klacht en ziet haar nergens.",
    )
    hoped_for = api.text("Wat moet er volgens de klager gebeuren?", TEXT_MAX)
    contact_name = api.line(
        "Naam van de klager",
        200,
        description="Bij een klacht van de school: leeg laten, dan staat de school als klager.",
    )
    contact_email = api.EmailField(
        "E-mailadres van de klager",
        validators=[
            api.Optional(),
            api.Email("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
            api.Length(max=254),
        ],
    )
    contact_phone = api.TelField(
        "Telefoonnummer van de klager", validators=[api.Optional(), api.phone_characters]
    )

    def check(self):
        if self.complaint_source.data != BY_SCHOOL and not api.clean(self.contact_name):
            return {"contact_name": "Vul de naam in van wie mondeling klaagde."}
        return None


# ------------------------------------------------------------- the route ----
# Every form is on the same case page: field names differ between forms, so that
# the ids (and the labels pointing at them) are unique on that page.


class TakeForm(api.Form):
    contact_on = api.DateField(
        "Datum van het eerste contact met de indiener", validators=[api.InputRequired(DATE_ERROR)]
    )
    contact_how = api.RadioField(
        "Hoe was het eerste contact?",
        choices=FIRST_CONTACT,
        validators=[api.InputRequired("Kies hoe het eerste contact was.")],
    )
    contact_note = api.text("Verslag van het eerste contact (intern)", TEXT_MAX)


class ConversationForm(api.Form):
    talk_with = api.RadioField(
        "Met wie is gesproken?",
        choices=CONVERSATION_WITH,
        validators=[api.InputRequired("Kies met wie is gesproken.")],
    )
    talk_names = api.line("Namen van de deelnemers", 200)
    talk_on = api.DateField("Datum van het gesprek", validators=[api.InputRequired(DATE_ERROR)])
    talk_outcome = api.text("Uitkomst van het gesprek", TEXT_MAX, "Beschrijf de uitkomst van het gesprek.")


class ReferForm(api.Form):
    refer_to = api.RadioField(
        "Doorverwijzen naar",
        choices=REFERRALS,
        validators=[api.InputRequired("Kies waarnaar u doorverwijst.")],
    )
    refer_name = api.line(
        "Naam van de klager",
        200,
        description="Alleen als de klacht zonder naam binnenkwam en de klager zich daarna bekend "
        "heeft gemaakt: een formele klacht vraagt een klager die bekend is.",
    )
    refer_consent = api.BooleanField("De indiener stemt in met de doorverwijzing")
    refer_consent_on = api.DateField("Datum van de instemming", validators=[api.Optional()])
    refer_summary = api.text(
        "Samenvatting van de klacht voor de doorverwijzing", TEXT_MAX, "Schrijf een samenvatting."
    )


class CloseForm(api.Form):
    close_outcome = api.RadioField(
        "Uitkomst", choices=OUTCOMES, validators=[api.InputRequired("Kies de uitkomst.")]
    )
    close_summary = api.text("Samenvatting bij het afsluiten", TEXT_MAX, "Schrijf een korte samenvatting.")


# ---------------------------------------- the bestuur, after a formal referral ----


class BoardReceivedForm(api.Form):
    board_received_on = api.date_field("Datum van ontvangst door het bestuur", DATE_ERROR, past=True)


class HearingForm(api.Form):
    hearing_on = api.date_field("Datum van de hoorzitting", DATE_ERROR, past=True)
    hearing_notes = api.text("Verslag van de hoorzitting", TEXT_MAX, "Schrijf kort op wat er is besproken.")


class DecisionForm(api.Form):
    decision = api.RadioField("Beslissing", choices=DECISIONS, required="Kies de beslissing.")
    decision_on = api.date_field("Datum van de beslissing", DATE_ERROR, past=True)
    decision_summary = api.text(
        "Beslissing en maatregelen", TEXT_MAX, "Schrijf de beslissing en eventuele maatregelen op."
    )


BoardCloseForm = api.text_form(
    "Samenvatting bij het afronden", "Schrijf een korte samenvatting.", name="board_close_summary"
)

ReopenForm = api.text_form("Waarom wordt de klacht heropend?", "Vul een reden in.", name="reopen_reason")
