"""Plugin organisatie: who does what, the twice-yearly evaluation, evacuation drills, training.

Safety plan 3.3.1 (roles and the evaluation moment "2x per jaar"), 3.5.1-3.5.3 (directie,
IB, BHV, contactpersoon), 3.5.2 (8 BHV'ers; "minimaal 1 maal per jaar" an evacuation drill)
and 2.2.2 (scholing). The register "Wie doet wat" per school year is what other plugins
read through the core's ``api.school_contacts`` (the complaint letters name the
vertrouwenspersoon from it); the parents' page names the contactpersoon, the
pestcoördinator and the vertrouwenspersoon. The external partners and the network
meetings (3.5.4) are the core's (portal/partners.py).

This module declares the plugin; the core implements its hooks from that.
"""

from portal import api

from . import demo
from . import reminders
from . import reports
from .documents import DOCUMENTS
from .models import Action
from .models import Assignment
from .models import Notice
from .models import Person
from .models import Training
from .register import BHV_SETTING
from .register import contacts
from .views import bp
from .workflow import DRILL_TYPE
from .workflow import EVALUATION_TYPE

SLUG = "organisatie"

plugin = api.Plugin(
    SLUG,
    __name__,
    title="Organisatie: wie doet wat, evaluatie en ontruiming",
    case_types=[EVALUATION_TYPE, DRILL_TYPE],
    documents=DOCUMENTS,
    models=[Person, Assignment, Training, Action, Notice],
    blueprint=bp,
    panels=reports.panels,
    figures=reports.figures,
    demo=demo.add_demo,
    commands=reminders.commands,
    contacts=contacts,
    permissions=[
        api.Permission(
            "organisatie.view", "Zien wie wat doet (rollen, BHV'ers en hun certificaten)", api.STAFF_ROLES
        ),
        api.Permission(
            "organisatie.manage", "Wie doet wat en de scholing bijhouden", ("directie", "beheerder")
        ),
        api.Permission(
            "organisatie.scholing",
            "De scholing van medewerkers inzien",
            ("ib", "directie", "bestuur", "beheerder"),
        ),
        api.Permission(
            "organisatie.evaluatie",
            "Evaluatiemomenten, ontruimingsoefeningen en hun acties inzien",
            ("ib", "contactpersoon", "aandachtsfunctionaris", "directie", "bestuur"),
        ),
        api.Permission(
            "organisatie.plan",
            "Evaluatiemomenten en ontruimingsoefeningen plannen en vastleggen, acties afvinken",
            ("ib", "directie"),
        ),
        api.Permission(
            "organisatie.herinnering",
            "Herinneringen krijgen: BHV-certificaten die verlopen, geen ontruimingsoefening",
            ("directie",),
        ),
    ],
    settings=[
        api.Setting(
            BHV_SETTING,
            "Organisatie: aantal BHV'ers dat de school nodig heeft",
            8,
            kind="int",
            help="Wie doet wat en de agenda van het evaluatiemoment melden het als er minder zijn.",
        ),
    ],
    nav=[api.NavItem("organisatie.index", "Wie doet wat", "organisatie.index", "organisatie.view", order=65)],
)
