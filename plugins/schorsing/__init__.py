"""Plugin schorsing: serious incidents, suspension and expulsion (veiligheidsplan 3.2.2).

A declaration only: the core serves the start pages (``/melden`` for a suspension case,
opened from an incident of the register of plugin incidenten, and ``/verwijdering/nieuw``
for an expulsion route), the case pages and the letters. The modules: models
(tables), choices, forms, workflow (the two case types), period (the school
calendar), details (a case's rows for the page and the letters), documents,
reports (panels, figures), demo.
"""

from portal import api

from . import demo
from . import plan
from . import reports
from . import workflow
from .documents import DOCUMENTS
from .models import MODELS

plugin = api.Plugin(
    "schorsing",
    __name__,
    title="Schorsen en verwijderen",
    case_types=workflow.CASE_TYPES,
    documents=DOCUMENTS,
    models=MODELS,
    permissions=[
        api.Permission(
            workflow.VIEW, "Incidenten, schorsingen en verwijderingen zien", ("directie", "bestuur")
        ),
        api.Permission(
            workflow.HANDLE, "Incidenten afhandelen: overleg, horen, checklist, brieven", ("directie",)
        ),
        api.Permission(workflow.DECIDE, "Besluiten tot schorsing", ("directie",)),
        # The bevoegd gezag (the board) decides on an expulsion, not the school.
        api.Permission(workflow.EXPEL, "Besluiten tot verwijdering", ("bestuur",)),
    ],
    settings=[
        api.Setting(
            "schorsing.inspectie_adres",
            "Adres van de onderwijsinspectie (voor de melding)",
            "",
            kind="textarea",
            help="Komt boven de melding van een schorsing aan de inspectie.",
        ),
        api.Setting(
            "schorsing.leerplicht_adres",
            "Adres van de leerplichtambtenaar (voor de melding)",
            "",
            kind="textarea",
            help="Komt boven de melding van een schorsing of verwijdering aan de leerplichtambtenaar.",
        ),
        api.Setting(
            "schorsing.bezwaar_adres",
            "Adres voor bezwaar tegen schorsing of verwijdering",
            "",
            kind="textarea",
            help="Staat in de brieven aan de ouders. Leeg: de naam van het bestuur.",
        ),
    ],
    panels=reports.panels,
    figures=reports.figures,
    demo=demo.add_demo,
    plan=plan.sections,
)
