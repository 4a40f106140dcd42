"""The letters of the toegangsverbod (veiligheidsplan 3.1.5): the intention, on which the
parent gives their view, and the decision with its reasons, scope, duration, the information
about the child the parent keeps receiving, and how to object."""

from portal import api

from .workflow import BAN
from .workflow import BAN_HANDLE


def letter_context(case, detail, school):
    return {
        "verbod": detail,
        "bevoegd_gezag": api.get_setting(school, "incidenten.bevoegd_gezag"),
    }


DOCUMENTS = [
    api.DocumentTemplate(
        "incidenten.voornemen",
        "Brief: voornemen tot een toegangsverbod",
        BAN,
        "incidenten/letters/voornemen.html",
        letter_context,
        BAN_HANDLE,
        states=("voornemen", "zienswijze"),
        filename="voornemen-toegangsverbod",
    ),
    api.DocumentTemplate(
        "incidenten.besluit",
        "Brief: besluit toegangsverbod",
        BAN,
        "incidenten/letters/besluit.html",
        letter_context,
        BAN_HANDLE,
        states=("besloten", "geevalueerd"),
        filename="besluit-toegangsverbod",
    ),
]
