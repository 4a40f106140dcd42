"""Plugin meldcode: the five steps of the meldcode huiselijk geweld en kindermishandeling,
with the afwegingskader, as a confidential case file (veiligheidsplan 3.1.7).

A declaration only: the core serves the start page (``/zorg``, "Zorg over de
thuissituatie"), the case pages, the letters and the figures. The modules: models
(tables), choices, forms, workflow (the case type: the steps and their rules), details (a
case's rows for the page and the letters), documents, reports (panels, figures), demo.
"""

from portal import api

from . import demo
from . import plan
from . import reports
from . import workflow
from .documents import DOCUMENTS
from .models import MODELS

# Every staff member of a school may raise a concern; the bestuur and the beheerder are not
# at the school and never see a file.
SCHOOL_STAFF = ("leerkracht", "ondersteunend", "ib", "contactpersoon", "aandachtsfunctionaris", "directie")
CARE = ("aandachtsfunctionaris", "ib", "directie")

plugin = api.Plugin(
    "meldcode",
    __name__,
    title="Meldcode huiselijk geweld en kindermishandeling",
    case_types=workflow.CASE_TYPES,
    documents=DOCUMENTS,
    models=MODELS,
    permissions=[
        api.Permission(
            workflow.START, "Een zorg over de thuissituatie van een leerling vastleggen", SCHOOL_STAFF
        ),
        api.Permission(workflow.VIEW, "Meldcodedossiers zien", CARE),
        api.Permission(
            workflow.HANDLE, "Meldcodedossiers behandelen: consultatie, weging, notities, brieven", CARE
        ),
        # The plan: the conversation with parents and child is held by directie or IB.
        api.Permission(
            workflow.CONVERSE, "Het gesprek met ouders en kind vastleggen (stap 3)", ("ib", "directie")
        ),
        api.Permission(
            workflow.DECIDE,
            "Besluiten in de meldcode: bestuur, gesprek niet voeren, melden of hulp (stap 5)",
            ("directie",),
        ),
    ],
    settings=[
        api.Setting(
            workflow.RETENTION,
            "Bewaartermijn van een afgesloten meldcodedossier (jaren)",
            2,
            kind="int",
            help="Geteld vanaf het afsluiten van het dossier; tussen 1 en 20 jaar. Standaard 2 jaar: "
            "de richtlijn voor het leerlingdossier in het Bewaartermijnenoverzicht van Kennisnet "
            "(Aanpak IBP). Een dossier onder bewaarplicht blijft bewaard.",
        ),
        api.Setting(
            "meldcode.veilig_thuis",
            "Veilig Thuis in de regio",
            "Veilig Thuis, 0800-2000 (gratis, dag en nacht)",
            help="Staat in het dossier en in de vastlegging van een melding.",
        ),
    ],
    panels=reports.panels,
    figures=reports.figures,
    demo=demo.add_demo,
    plan=plan.sections,
)
