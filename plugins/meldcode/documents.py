"""The letters of this plugin; their contexts (every fact read from the case rows) are in
``details``. All three are for the parents' file and go out on the school's letterhead."""

from portal import api

from .details import agreements_letter
from .details import conversation_letter
from .details import has_held_conversation
from .details import report_letter
from .workflow import HANDLE
from .workflow import TYPE_NAME

DOCUMENTS = [
    api.DocumentTemplate(
        "meldcode.verslag_gesprek",
        "Verslag van het gesprek met de ouders",
        TYPE_NAME,
        "meldcode/letters/verslag_gesprek.html",
        conversation_letter,
        HANDLE,
        filename="verslag-gesprek",
        available=has_held_conversation,
    ),
    api.DocumentTemplate(
        "meldcode.vastlegging_melding",
        "Vastlegging van de melding bij Veilig Thuis",
        TYPE_NAME,
        "meldcode/letters/vastlegging_melding.html",
        report_letter,
        HANDLE,
        states=("gemeld",),
        filename="vastlegging-melding",
    ),
    api.DocumentTemplate(
        "meldcode.afsprakendocument",
        "Afsprakendocument hulp",
        TYPE_NAME,
        "meldcode/letters/afsprakendocument.html",
        agreements_letter,
        HANDLE,
        states=("hulp", "alsnog_melden", "hulp_afgerond"),
        filename="afsprakendocument",
    ),
]
