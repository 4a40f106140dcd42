"""Plugin klachten: parents' complaint form, follow-up code and the contactpersoon's route.

Veiligheidsplan 3.2.3 (Kwaliteitswet – klachtenregeling) and 3.5.3 (De contactpersoon).
The case type is in workflow.py; its public ``Start`` gives the parents' pages, which the
core serves (portal/public.py).
"""

from portal import api

from . import demo
from . import plan
from . import reports
from .documents import DOCUMENTS
from .models import Gesprek
from .views import bp
from .workflow import TYPE

plugin = api.Plugin(
    "klachten",
    __name__,
    title="Klachten",
    case_types=[TYPE],
    documents=DOCUMENTS,
    models=[Gesprek],
    blueprint=bp,
    panels=reports.panels,
    figures=reports.figures,
    demo=demo.add_demo,
    plan=plan.sections,
    permissions=[
        api.Permission(
            "klachten.view",
            "Klachten zien (het bestuur alleen doorverwezen klachten en klachten met meldplicht)",
            ("contactpersoon", "directie", "bestuur"),
        ),
        api.Permission("klachten.handle", "Klachten behandelen", ("contactpersoon", "directie")),
        api.Permission("klachten.notify", "Bericht krijgen bij een nieuwe klacht", ("contactpersoon",)),
        api.Permission(
            "klachten.bestuur",
            "Bericht krijgen bij doorverwijzing naar het College van Bestuur en bij meldplicht",
            ("bestuur",),
        ),
    ],
    settings=[
        api.Setting(
            "klachten.ack_school_days", "Klachten: ontvangst bevestigen binnen (schooldagen)", 5, kind="int"
        ),
        api.Setting(
            "klachten.warn_weeks",
            "Klachten: waarschuwen als een klacht langer open staat dan (weken)",
            6,
            kind="int",
        ),
        api.Setting(
            "klachten.notify_email",
            "Klachten: ook dit adres krijgt bericht van een nieuwe klacht",
            "",
            kind="email",
            help="Bijvoorbeeld een gedeelde mailbox. Het bericht bevat geen details.",
        ),
        api.Setting(
            "klachten.vertrouwenspersoon",
            "Klachten: externe vertrouwenspersoon (naam en bereikbaarheid)",
            "",
            kind="textarea",
            help="Staat op het klachtformulier voor ouders en in de brieven.",
        ),
        # AVG art. 13: on the parents' form, with a default from the school's own data.
        api.Setting(
            "klachten.privacy_verantwoordelijke",
            "Klachten (privacy): verwerkingsverantwoordelijke (naam en adres)",
            "",
            kind="textarea",
            help="Staat op het klachtformulier. Leeg: de naam van het bestuur van de school.",
        ),
        api.Setting(
            "klachten.privacy_fg",
            "Klachten (privacy): functionaris gegevensbescherming (naam en e-mailadres)",
            "",
            kind="textarea",
            help="Staat op het klachtformulier. Leeg: bereikbaar via het e-mailadres van de school.",
        ),
        api.Setting(
            "klachten.per_uur",
            "Klachten: hoogstens zoveel klachten per uur via het formulier voor ouders",
            30,
            kind="int",
            help="Daarboven vraagt het formulier "
            "ouders de school te bellen (wat zij schreven blijft staan). Verhoog het als er "
            "terecht veel klachten tegelijk komen.",
        ),
    ],
    nav=[api.NavItem("klachten.overzicht", "Klachten", "klachten.overzicht", "klachten.view", order=20)],
)
