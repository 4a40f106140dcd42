"""Plugin social_media: the apps allowed in class, and permission requests for the rest.

Safety plan 3.1.3 (Gebruik social media): only the apps on the school's list may
be started; for everything else a teacher asks the directie first. This module
declares the plugin; the request is a case type (workflow.py) whose start page
the core serves, and the pages the core does not have are in views.py. See
README.md for the pages and the public JSON feed.
"""

from portal import api

from . import demo
from . import plan
from . import reports
from .models import AllowedApp
from .views import bp
from .workflow import CASE_TYPE

SLUG = "social_media"

DEFAULT_RULES = (
    "Alleen Basispoort, Gynzy en Squla mogen in de klas worden opgestart.\n"
    "Voor alle andere media, zoals YouTube en spelen.nl, vraagt u eerst toestemming aan de "
    "directie."
)

plugin = api.Plugin(
    SLUG,
    __name__,
    title="Social media en apps",
    case_types=[CASE_TYPE],
    models=[AllowedApp],
    blueprint=bp,
    panels=reports.panels,
    figures=reports.figures,
    demo=demo.add_demo,
    plan=plan.sections,
    permissions=[
        api.Permission("social_media.use", "Zien welke apps en sites in de klas mogen", api.STAFF_ROLES),
        api.Permission(
            "social_media.request",
            "Toestemming vragen voor een app of site",
            ("leerkracht", "ondersteunend", "ib", "directie"),
        ),
        api.Permission(
            "social_media.view",
            "Aanvragen voor apps en sites inzien",
            ("leerkracht", "ondersteunend", "ib", "contactpersoon", "directie"),
        ),
        api.Permission(
            "social_media.decide", "Aanvragen voor apps en sites goedkeuren of afwijzen", ("directie",)
        ),
        api.Permission("social_media.manage", "De lijst met toegestane apps beheren", ("directie",)),
    ],
    settings=[
        api.Setting(
            "social_media.guidelines_url",
            "Adres van de ASG-richtlijnen social media",
            "",
            kind="url",
            help="Een webadres dat begint met https://. Staat op de pagina ‘Wat mag ik gebruiken?’.",
        ),
        api.Setting(
            "social_media.school_rules",
            "Eigen afspraken van de school over social media",
            DEFAULT_RULES,
            kind="textarea",
            help="Aanvullende afspraken van de school; staan op de pagina ‘Wat mag ik gebruiken?’.",
        ),
    ],
    nav=[
        api.NavItem(
            "social_media.index", "Wat mag ik gebruiken?", "social_media.index", "social_media.use", order=50
        )
    ],
)
