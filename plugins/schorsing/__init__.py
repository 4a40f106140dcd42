"""Plugin schorsing: serious incidents, suspension and expulsion (veiligheidsplan 3.2.2).

Only hook implementations live here; the work is done in the modules below:
models (tables), workflow (the two case types), forms, period (the school
calendar), documents (letters), views (pages), reports (figures), demo.
"""

from portal import hookimpl
from portal.declarations import NavItem
from portal.declarations import Permission
from portal.declarations import Setting

from . import demo
from . import reports
from .documents import DOCUMENTS
from .models import MODELS
from .views import bp
from .workflow import CASE_TYPES
from .workflow import DECIDE
from .workflow import EXPEL
from .workflow import HANDLE
from .workflow import REPORT
from .workflow import VIEW

STAFF = ("leerkracht", "ondersteunend", "ib", "contactpersoon", "directie", "bestuur")


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def register_models():
    return MODELS


@hookimpl
def register_migrations():
    return ("schorsing", "plugins.schorsing.migrations")


@hookimpl
def register_case_types():
    return CASE_TYPES


@hookimpl
def register_permissions():
    return [
        Permission(REPORT, "Een ernstig incident melden", STAFF),
        Permission(VIEW, "Incidenten, schorsingen en verwijderingen zien", ("directie", "bestuur")),
        Permission(HANDLE, "Incidenten afhandelen: overleg, horen, checklist, brieven",
                   ("directie",)),
        Permission(DECIDE, "Besluiten tot schorsing", ("directie",)),
        # The bevoegd gezag (the board) decides on an expulsion, not the school.
        Permission(EXPEL, "Besluiten tot verwijdering", ("bestuur",)),
    ]


@hookimpl
def register_documents():
    return DOCUMENTS


@hookimpl
def register_settings():
    return [
        Setting("schorsing.inspectie_adres", "Adres van de onderwijsinspectie (voor de melding)",
                "", kind="textarea",
                help="Komt boven de melding van een schorsing aan de inspectie."),
        Setting("schorsing.bezwaar_adres", "Adres voor bezwaar tegen schorsing of verwijdering",
                "", kind="textarea",
                help="Staat in de brieven aan de ouders. Leeg: de naam van het bestuur."),
    ]


@hookimpl
def nav_items(user, school):
    return [NavItem("schorsing.melden", "Incident melden", "schorsing.new_incident", REPORT,
                    order=40)]


@hookimpl
def dashboard_panels(user, school):
    return reports.panels(user, school)


@hookimpl
def annual_report(school, year):
    return reports.figures(school, year)


@hookimpl
def demo_data(school):
    demo.add_demo(school)
