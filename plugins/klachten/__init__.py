"""Plugin klachten: parents' complaint form, follow-up code and the contactpersoon's route.

Veiligheidsplan 3.2.3 (Kwaliteitswet – klachtenregeling) and 3.5.3 (De contactpersoon).
This module holds only the hook implementations; see the modules they import.
"""

from portal import hookimpl
from portal.declarations import NavItem
from portal.declarations import Permission
from portal.declarations import Setting

SLUG = "klachten"


@hookimpl
def register_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def register_models():
    from .models import MODELS

    return MODELS


@hookimpl
def register_migrations():
    return ("klachten", "plugins.klachten.migrations")


@hookimpl
def register_permissions():
    return [
        Permission("klachten.view", "Klachten zien (het bestuur alleen doorverwezen klachten en "
                   "klachten met meldplicht)", ("contactpersoon", "directie", "bestuur")),
        Permission("klachten.handle", "Klachten behandelen", ("contactpersoon", "directie")),
        Permission("klachten.notify", "Bericht krijgen bij een nieuwe klacht", ("contactpersoon",)),
        Permission("klachten.bestuur", "Bericht krijgen bij doorverwijzing naar het College van "
                   "Bestuur en bij meldplicht", ("bestuur",)),
    ]


@hookimpl
def register_case_types():
    from .workflow import TYPE

    return [TYPE]


@hookimpl
def register_documents():
    from .documents import DOCUMENTS

    return DOCUMENTS


@hookimpl
def register_settings():
    return [
        Setting("klachten.ack_school_days", "Klachten: ontvangst bevestigen binnen (schooldagen)",
                5, kind="int"),
        Setting("klachten.warn_weeks", "Klachten: waarschuwen als een klacht langer open staat "
                "dan (weken)", 6, kind="int"),
        Setting("klachten.notify_email", "Klachten: ook dit adres krijgt bericht van een nieuwe "
                "klacht", "", kind="email", help="Bijvoorbeeld een gedeelde mailbox. Het bericht "
                "bevat geen details."),
        Setting("klachten.vertrouwenspersoon", "Klachten: externe vertrouwenspersoon (naam en "
                "bereikbaarheid)", "", kind="textarea",
                help="Staat op het klachtformulier voor ouders en in de brieven."),
    ]


@hookimpl
def nav_items(user, school):
    return [NavItem("klachten.overzicht", "Klachten", "klachten.overzicht", "klachten.view",
                    order=20)]


@hookimpl
def dashboard_panels(user, school):
    from . import reports

    return reports.panels(user, school)


@hookimpl
def annual_report(school, year):
    from . import reports

    return reports.figures(school, year)


@hookimpl
def demo_data(school):
    from . import demo

    demo.add_demo(school)
