"""Plugin trauma: processing a traumatic event (safety plan 3.2.1 and 3.5.4).

A staff member reports an event; the teacher, with the IB, makes the first
assessment (can the school handle this itself?); the case follows the
school's own step plan, possibly with external partners; letters for the
parents and the file; closing with an evaluation; annual figures.

This module declares the plugin; the core implements its hooks from that.
"""

from portal import api

from . import demo
from . import plan
from . import reports
from .details import DEFAULT_LETTER
from .details import LETTER_SETTING
from .documents import DOCUMENTS
from .models import TraumaEngagement
from .models import TraumaStep
from .views import bp
from .workflow import TYPE

SLUG = "trauma"

# The roles that act on a case: the teacher who reported makes the first
# assessment (plan stap 2) together with the IB; the directie decides with them.
CASE_ROLES = ("leerkracht", "ib", "directie")

plugin = api.Plugin(
    SLUG,
    __name__,
    title="Traumatische gebeurtenissen",
    case_types=[TYPE],
    documents=DOCUMENTS,
    blueprint=bp,
    models=[TraumaEngagement, TraumaStep],
    permissions=[
        api.Permission("trauma.report", "Een traumatische gebeurtenis melden", api.STAFF_ROLES),
        api.Permission("trauma.view", "Alle traumazaken van de school zien", ("ib", "directie")),
        api.Permission("trauma.notified", "Bericht krijgen bij een nieuwe traumamelding", ("ib", "directie")),
        api.Permission("trauma.assess", "De eerste inschatting maken", CASE_ROLES),
        api.Permission(
            "trauma.handle", "Een traumazaak behandelen (stappen, externe hulp, brieven)", CASE_ROLES
        ),
        api.Permission("trauma.close", "Een traumazaak afsluiten met evaluatie", ("ib", "directie")),
        api.Permission(
            "trauma.plan", "Het stappenplan en de ouderbrief van de school beheren", ("directie", "beheerder")
        ),
    ],
    settings=[
        api.Setting(
            LETTER_SETTING,
            "Traumatische gebeurtenis: tekst van de informatiebrief aan de ouders",
            DEFAULT_LETTER,
            kind="textarea",
            help="Woorden tussen accolades worden ingevuld: {groep}, {datum}, {soort}, "
            "{bericht}, {contact}, {telefoon}, {school}.",
        ),
    ],
    panels=reports.panels,
    figures=reports.figures,
    demo=demo.add_demo,
    plan=plan.sections,
)
