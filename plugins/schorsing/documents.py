"""The letters of this plugin; their contexts (every fact read from the case rows)
are in ``details``."""

from portal import api

from .details import expulsion_letter
from .details import objection
from .details import suspension_letter
from .workflow import EXPULSION
from .workflow import SUSPENSION


def objection_decided(case):
    found = objection(case)
    return found is not None and found.decided_on is not None


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
        states=("voornemen", "besloten", "bezwaar", "bezwaar_beslist", "afgesloten"),
        filename="voornemen-verwijdering",
    ),
    api.DocumentTemplate(
        "schorsing.besluit_verwijdering",
        "Besluit tot verwijdering",
        EXPULSION,
        "schorsing/letters/besluit_verwijdering.html",
        expulsion_letter,
        states=("besloten", "bezwaar", "bezwaar_beslist", "afgesloten"),
        filename="besluit-verwijdering",
    ),
    api.DocumentTemplate(
        "schorsing.v_melding_inspectie",
        "Melding verwijdering aan de onderwijsinspectie",
        EXPULSION,
        "schorsing/letters/v_melding_inspectie.html",
        expulsion_letter,
        states=("besloten", "bezwaar", "bezwaar_beslist", "afgesloten"),
        filename="melding-verwijdering-inspectie",
    ),
    api.DocumentTemplate(
        "schorsing.v_melding_leerplicht",
        "Melding verwijdering aan de leerplichtambtenaar",
        EXPULSION,
        "schorsing/letters/v_melding_leerplicht.html",
        expulsion_letter,
        states=("besloten", "bezwaar", "bezwaar_beslist", "afgesloten"),
        filename="melding-verwijdering-leerplicht",
    ),
    api.DocumentTemplate(
        "schorsing.beslissing_bezwaar",
        "Beslissing op bezwaar",
        EXPULSION,
        "schorsing/letters/beslissing_bezwaar.html",
        expulsion_letter,
        states=("bezwaar_beslist", "afgesloten"),
        filename="beslissing-op-bezwaar",
        available=lambda case: objection_decided(case),
    ),
]
