"""The three letters of the complaint route (PDF on the school's letterhead). The parent may
download the two addressed to them from the follow-up page (``for_submitter``)."""

from portal import api

from .choices import OPEN_STATES
from .choices import TYPE_NAME
from .details import letter_context

DOCUMENTS = [
    api.DocumentTemplate(
        "klachten.ontvangstbevestiging",
        "Ontvangstbevestiging",
        TYPE_NAME,
        "klachten/letters/ontvangstbevestiging.html",
        letter_context,
        states=OPEN_STATES,
        filename="ontvangstbevestiging",
        for_submitter=True,
    ),
    api.DocumentTemplate(
        "klachten.doorverwijzing",
        "Doorverwijzing naar het College van Bestuur",
        TYPE_NAME,
        "klachten/letters/doorverwijzing.html",
        letter_context,
        states=("doorverwezen",),
        filename="doorverwijzing-cvb",
    ),
    api.DocumentTemplate(
        "klachten.afsluitbrief",
        "Afsluitbrief",
        TYPE_NAME,
        "klachten/letters/afsluitbrief.html",
        letter_context,
        states=("afgerond",),
        filename="afsluitbrief",
        for_submitter=True,
    ),
]
