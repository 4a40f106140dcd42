"""The letters of this plugin; their contexts (every fact read from the case rows)
are in ``details``."""

from portal import api

from .details import expulsion_letter
from .details import suspension_letter
from .workflow import EXPULSION
from .workflow import SUSPENSION

DOCUMENTS = [
    api.DocumentTemplate(
        "schorsing.brief_ouders",
        "Schorsingsbrief aan de ouders",
        SUSPENSION,
        "schorsing/letters/schorsingsbrief.html",
        suspension_letter,
        states=("geschorst", "geevalueerd", "afgesloten"),
        filename="schorsingsbrief",
    ),
    api.DocumentTemplate(
        "schorsing.melding_inspectie",
        "Melding aan de onderwijsinspectie",
        SUSPENSION,
        "schorsing/letters/melding_inspectie.html",
        suspension_letter,
        states=("geschorst", "geevalueerd", "afgesloten"),
        filename="melding-inspectie",
    ),
    api.DocumentTemplate(
        "schorsing.melding_leerplicht",
        "Melding aan de leerplichtambtenaar",
        SUSPENSION,
        "schorsing/letters/melding_leerplicht.html",
        suspension_letter,
        states=("geschorst", "geevalueerd", "afgesloten"),
        filename="melding-leerplicht",
    ),
    api.DocumentTemplate(
        "schorsing.voornemen_verwijdering",
        "Voornemen tot verwijdering",
        EXPULSION,
        "schorsing/letters/voornemen_verwijdering.html",
        expulsion_letter,
        states=("voornemen", "besloten", "afgesloten"),
        filename="voornemen-verwijdering",
    ),
    api.DocumentTemplate(
        "schorsing.besluit_verwijdering",
        "Besluit tot verwijdering",
        EXPULSION,
        "schorsing/letters/besluit_verwijdering.html",
        expulsion_letter,
        states=("besloten", "afgesloten"),
        filename="besluit-verwijdering",
    ),
]
