"""The letters of this plugin. Every fact comes from the case rows, so nothing
is typed twice: change the decision and the next version of the letter follows."""

from portal.declarations import DocumentTemplate
from portal.settings import get_setting

from . import data
from .workflow import EXPULSION
from .workflow import HANDLE
from .workflow import SUSPENSION

# Objection (bezwaar) against a suspension or expulsion: within six weeks, to the
# bevoegd gezag (the board), as the issue and the law (Awb) require.
OBJECTION_WEEKS = 6


def _board(case):
    return case.school.board_name or "het bevoegd gezag"


def _objection_address(case):
    return get_setting(case.school, "schorsing.bezwaar_adres") or _board(case)


def suspension_context(case):
    suspension = data.suspension(case)
    signer = suspension.decided_by if suspension and suspension.decided_by_id else None
    return {
        "incident": data.incident(case),
        "suspension": suspension,
        "decided_by_name": signer.name if signer else "",
        "consultations": data.consultations(case),
        "board": _board(case),
        "objection_address": _objection_address(case),
        "objection_weeks": OBJECTION_WEEKS,
        "inspectie_address": get_setting(case.school, "schorsing.inspectie_adres"),
    }


def expulsion_context(case):
    return {
        "expulsion": data.expulsion(case),
        "hearings": data.hearings(case),
        "accepting": data.accepting_school(case),
        "board": _board(case),
        "objection_address": _objection_address(case),
        "objection_weeks": OBJECTION_WEEKS,
    }


DOCUMENTS = [
    DocumentTemplate(
        "schorsing.brief_ouders", "Schorsingsbrief aan de ouders", SUSPENSION,
        "schorsing/letters/schorsingsbrief.html", suspension_context, HANDLE,
        states=("geschorst", "geevalueerd", "afgesloten"), filename="schorsingsbrief",
    ),
    DocumentTemplate(
        "schorsing.melding_inspectie", "Melding aan de onderwijsinspectie", SUSPENSION,
        "schorsing/letters/melding_inspectie.html", suspension_context, HANDLE,
        states=("geschorst", "geevalueerd", "afgesloten"), filename="melding-inspectie",
    ),
    DocumentTemplate(
        "schorsing.voornemen_verwijdering", "Voornemen tot verwijdering", EXPULSION,
        "schorsing/letters/voornemen_verwijdering.html", expulsion_context, HANDLE,
        states=("voornemen", "besloten", "afgesloten"), filename="voornemen-verwijdering",
    ),
    DocumentTemplate(
        "schorsing.besluit_verwijdering", "Besluit tot verwijdering", EXPULSION,
        "schorsing/letters/besluit_verwijdering.html", expulsion_context, HANDLE,
        states=("besloten", "afgesloten"), filename="besluit-verwijdering",
    ),
]
