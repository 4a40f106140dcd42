"""Plugin incidenten: the incident and accident register (veiligheidsplan 3.2), fysiek
ingrijpen (3.1.4), a toegangsverbod voor een ouder (3.1.5) and data breaches (2.2.1, AVG
art. 33).

Declarations: the core serves the start pages, the case pages, the checklist, the deadlines
(the 72 hours of a breach in clock hours), the letters and the figures. ``views`` has the
two registers the core has no page for: staff accidents (Arbowet art. 9) and the breach
register for the bestuur.
"""

from portal import api

from . import demo
from . import plan
from . import reports
from . import views
from . import workflow as wf
from .documents import DOCUMENTS
from .models import MODELS

# Everyone who works at a school; the bestuur and the beheerder are not at the school.
SCHOOL_STAFF = ("leerkracht", "ondersteunend", "ib", "contactpersoon", "aandachtsfunctionaris", "directie")

plugin = api.Plugin(
    "incidenten",
    __name__,
    title="Incidenten, ongevallen, fysiek ingrijpen, toegangsverbod en datalekken",
    case_types=wf.CASE_TYPES,
    documents=DOCUMENTS,
    models=MODELS,
    blueprint=views.bp,
    permissions=[
        api.Permission(wf.REPORT, "Een incident of ongeval registreren", SCHOOL_STAFF),
        api.Permission(
            wf.VIEW,
            "De incidentenregistratie zien (zonder namen) en het ongevallenregister",
            ("ib", "directie"),
        ),
        api.Permission(
            wf.HANDLE, "Incidenten afhandelen, melding Arbeidsinspectie vastleggen", ("directie",)
        ),
        api.Permission(wf.INTERVENE, "Fysiek ingrijpen vastleggen", SCHOOL_STAFF),
        api.Permission(wf.INTERVENTION_VIEW, "Vastleggingen van fysiek ingrijpen zien", ("ib", "directie")),
        api.Permission(wf.EVALUATE, "Fysiek ingrijpen evalueren en afsluiten", ("ib", "directie")),
        api.Permission(wf.BREACH_REPORT, "Een datalek melden", SCHOOL_STAFF),
        api.Permission(wf.BREACH_HANDLE, "Datalekken behandelen (AVG art. 33)", ("directie",)),
        api.Permission(wf.BREACH_REGISTER, "Het register van datalekken zien", ("directie", "bestuur")),
        api.Permission(wf.BAN_HANDLE, "Een toegangsverbod voor een ouder behandelen", ("directie",)),
    ],
    settings=[
        api.Setting(
            "incidenten.bevoegd_gezag",
            "Bevoegd gezag: naam en adres (voor bezwaar tegen een toegangsverbod)",
            "Het bestuur van de stichting, Postbus 100, 1000 AA Plaatsnaam",
            kind="textarea",
            help="Staat in het besluit over een toegangsverbod: bezwaar binnen zes weken bij het "
            "bevoegd gezag.",
        ),
    ],
    nav=[
        api.NavItem("incidenten.ongevallen", "Ongevallenregister", "incidenten.accidents", wf.VIEW, order=66),
        api.NavItem(
            "incidenten.datalekken", "Datalekregister", "incidenten.breaches", wf.BREACH_REGISTER, order=67
        ),
    ],
    panels=reports.panels,
    figures=reports.figures,
    demo=demo.add_demo,
    plan=plan.sections,
)
