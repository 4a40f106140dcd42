"""Plugin social_media: the apps allowed in class, and permission requests for the rest.

Safety plan 3.1.3 (Gebruik social media): only the apps on the school's list may
be started; for everything else a teacher asks the directie first. This module
only holds the hook implementations; the work is done in the modules they import.
See README.md for the pages and the public JSON feed.
"""

from portal import hookimpl
from portal.declarations import NavItem
from portal.declarations import Permission
from portal.declarations import Setting

from . import demo
from . import reports
from .models import MODELS
from .views import bp
from .workflow import CASE_TYPE

SLUG = "social_media"

STAFF = ("leerkracht", "ondersteunend", "ib", "contactpersoon", "directie", "bestuur",
         "beheerder")

DEFAULT_RULES = (
    "Alleen Basispoort, Gynzy en Squla mogen in de klas worden opgestart.\n"
    "Voor alle andere media, zoals YouTube en spelen.nl, vraagt u eerst toestemming aan de "
    "directie."
)


@hookimpl
def register_permissions():
    return [
        Permission("social_media.use", "Zien welke apps en sites in de klas mogen", STAFF),
        Permission("social_media.request", "Toestemming vragen voor een app of site",
                   ("leerkracht", "ondersteunend", "ib", "directie")),
        Permission("social_media.view", "Aanvragen voor apps en sites inzien",
                   ("leerkracht", "ondersteunend", "ib", "contactpersoon", "directie")),
        Permission("social_media.decide", "Aanvragen voor apps en sites goedkeuren of afwijzen",
                   ("directie",)),
        Permission("social_media.manage", "De lijst met toegestane apps beheren", ("directie",)),
    ]


@hookimpl
def register_settings():
    return [
        Setting("social_media.guidelines_url", "Adres van de ASG-richtlijnen social media", "",
                kind="url", help="Een webadres dat begint met https://. Staat op de pagina "
                "‘Wat mag ik gebruiken?’."),
        Setting("social_media.school_rules", "Eigen afspraken van de school over social media",
                DEFAULT_RULES, kind="textarea",
                help="Aanvullende afspraken van de school; staan op de pagina ‘Wat mag ik "
                "gebruiken?’."),
    ]


@hookimpl
def register_models():
    return list(MODELS)


@hookimpl
def register_migrations():
    return (SLUG, "plugins.social_media.migrations")


@hookimpl
def register_case_types():
    return [CASE_TYPE]


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def nav_items(user, school):
    return [NavItem("social_media.index", "Wat mag ik gebruiken?", "social_media.index",
                    "social_media.use", order=50)]


@hookimpl
def dashboard_panels(user, school):
    return reports.panels(user, school)


@hookimpl
def annual_report(school, year):
    return reports.figures(school, year)


@hookimpl
def demo_data(school):
    demo.add_demo(school)
