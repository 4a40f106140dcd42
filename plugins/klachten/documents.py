"""The four letters of the complaint route (PDF on the school's letterhead). The parent may
download the two addressed to them from the follow-up page (``for_submitter``)."""

from portal import api

from .choices import BOARD_STATES
from .choices import OPEN_STATES
from .choices import TYPE_NAME
from .details import letter_context
from .forms import BY_SCHOOL

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
        # The school's own complaint: no letter from the school to itself.
        available=lambda detail: detail.complaint_source != BY_SCHOOL,
    ),
    # Two bodies, two letters: each is offered only for the referral that was made.
    api.DocumentTemplate(
        "klachten.doorverwijzing",
        "Doorverwijzing naar het College van Bestuur",
        TYPE_NAME,
        "klachten/letters/doorverwijzing.html",
        letter_context,
        states=("doorverwezen", *BOARD_STATES),
        filename="doorverwijzing-cvb",
        available=lambda detail: detail.referral_to == "cvb",
    ),
    api.DocumentTemplate(
        "klachten.klachtencommissie",
        "Doorverwijzing naar de klachtencommissie",
        TYPE_NAME,
        "klachten/letters/klachtencommissie.html",
        letter_context,
        states=("doorverwezen", *BOARD_STATES),
        filename="doorverwijzing-klachtencommissie",
        available=lambda detail: detail.referral_to == "klachtencommissie",
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
