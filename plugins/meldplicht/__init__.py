"""Plugin meldplicht: the meld- en aangifteplicht for a possible sexual offence by someone who
works at the school (WPO art. 4a), as a confidential duty route of its own.

Why a plugin of its own and not a case type of klachten: the duty is the bevoegd gezag's,
whatever brought it to light. It follows from a complaint, a serious incident, an expulsion
or a traumatic event (``Start.follows``), and any staff member reports it directly to the
bestuur from their own menu; a school that switches off the complaint plugin keeps the
route. Its readers differ too: the bestuur and the directie see every report at once, which
a complaint (the contactpersoon's, confidential) does not allow. The klachten plugin starts
this route itself where it used to set its own checklist item (plugins/klachten/sensitive.py).

The modules: models, choices, forms, workflow (the case type: steps and rules), details
(the case page and the letters' facts), documents (the two letters before the
aangifte), reports (the panel and the yearly figures), demo.
"""

from portal import api

from . import demo
from . import reports
from .choices import BOARD
from .choices import HANDLE
from .choices import START
from .choices import VIEW
from .documents import DOCUMENTS
from .models import MODELS
from .workflow import TYPE

plugin = api.Plugin(
    "meldplicht",
    __name__,
    title="Meldplicht zedendelicten",
    case_types=[TYPE],
    models=MODELS,
    panels=reports.panels,
    figures=reports.figures,
    documents=DOCUMENTS,
    demo=demo.add_demo,
    permissions=[
        # Every staff member may (and must) report directly to the bestuur.
        api.Permission(START, "Een mogelijk zedendelict melden aan het bestuur", api.STAFF_ROLES),
        api.Permission(VIEW, "Meldingen van mogelijke zedendelicten zien", ("bestuur", "directie")),
        api.Permission(
            HANDLE,
            "De meldroute afhandelen: overleg vertrouwensinspecteur, besluit, aangifte",
            ("bestuur", "directie"),
        ),
        api.Permission(BOARD, "Direct bericht krijgen bij een melding (het bevoegd gezag)", ("bestuur",)),
    ],
)
