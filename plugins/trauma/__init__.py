"""Plugin trauma: processing a traumatic event (safety plan 3.2.1 and 3.5.4).

A staff member reports an event; the teacher, with the IB, makes the first
assessment (can the school handle this itself?); the case follows the
school's own step plan, possibly with external partners; letters for the
parents and the file; closing with an evaluation; annual figures.

This module holds only the hook implementations.
"""

from portal import hookimpl
from portal.declarations import STAFF_ROLES
from portal.declarations import NavItem
from portal.declarations import Permission
from portal.declarations import Setting

from . import demo
from . import reports
from .details import DEFAULT_LETTER
from .details import LETTER_SETTING
from .documents import DOCUMENTS
from .models import MODELS
from .views import bp
from .workflow import TYPE

SLUG = "trauma"

# The roles that act on a case: the teacher who reported makes the first
# assessment (plan stap 2) together with the IB; the directie decides with them.
CASE_ROLES = ("leerkracht", "ib", "directie")


@hookimpl
def register_permissions():
    return [
        Permission("trauma.report", "Een traumatische gebeurtenis melden", STAFF_ROLES),
        Permission("trauma.view", "Alle traumazaken van de school zien", ("ib", "directie")),
        Permission("trauma.notified", "Bericht krijgen bij een nieuwe traumamelding",
                   ("ib", "directie")),
        Permission("trauma.assess", "De eerste inschatting maken", CASE_ROLES),
        Permission("trauma.handle", "Een traumazaak behandelen (stappen, externe hulp, brieven)",
                   CASE_ROLES),
        Permission("trauma.close", "Een traumazaak afsluiten met evaluatie", ("ib", "directie")),
        Permission("trauma.plan", "Het stappenplan en de ouderbrief van de school beheren",
                   ("directie", "beheerder")),
        Permission("trauma.partners", "De externe partners van de school beheren",
                   ("ib", "directie", "beheerder")),
    ]


@hookimpl
def register_models():
    return MODELS


@hookimpl
def register_migrations():
    return ("trauma", "plugins.trauma.migrations")


@hookimpl
def register_case_types():
    return [TYPE]


@hookimpl
def register_documents():
    return DOCUMENTS


@hookimpl
def register_settings():
    return [
        Setting(LETTER_SETTING, "Traumatische gebeurtenis: tekst van de informatiebrief aan de ouders",
                DEFAULT_LETTER, kind="textarea",
                help="Woorden tussen accolades worden ingevuld: {groep}, {datum}, {soort}, "
                     "{bericht}, {contact}, {telefoon}, {school}."),
    ]


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def nav_items(user, school):
    return [
        NavItem("trauma.report", "Trauma melden", "trauma.report", "trauma.report", order=40),
    ]


@hookimpl
def dashboard_panels(user, school):
    return reports.panels(user, school)


@hookimpl
def annual_report(school, year):
    return reports.figures(school, year)


@hookimpl
def demo_data(school):
    demo.add_demo(school)
