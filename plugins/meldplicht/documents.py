"""The two letters of the route: WPO art. 4a lid 3 has the bevoegd gezag inform the parents
and the person concerned before it reports to the police. The conversation comes first; the
letter confirms it in writing and says what happens next. Their facts come from the case
(``details.letter_context``); both are offered only after the decision that there is a
redelijk vermoeden."""

from portal import api

from .choices import TYPE_NAME
from .details import letter_context

AFTER_DECISION = ("vermoeden", "aangifte", "afgesloten")


def suspected(detail):
    return detail.suspicion == "ja"


DOCUMENTS = [
    api.DocumentTemplate(
        "meldplicht.ouders",
        "Kennisgeving aan de ouders vóór de aangifte",
        TYPE_NAME,
        "meldplicht/letters/ouders.html",
        letter_context,
        states=AFTER_DECISION,
        filename="kennisgeving-ouders",
        available=suspected,
    ),
    api.DocumentTemplate(
        "meldplicht.betrokkene",
        "Kennisgeving aan de betrokken persoon vóór de aangifte",
        TYPE_NAME,
        "meldplicht/letters/betrokkene.html",
        letter_context,
        states=AFTER_DECISION,
        filename="kennisgeving-betrokkene",
        available=suspected,
    ),
]
