"""Letters: the agenda of an evaluation moment (to send round beforehand) and its minutes."""

from portal import api

from .details import EVALUATION
from .details import evaluation_letter

DOCUMENTS = [
    api.DocumentTemplate(
        "organisatie.agenda",
        "Agenda van het evaluatiemoment",
        EVALUATION,
        "organisatie/letters/agenda.html",
        context=evaluation_letter,
        permission="organisatie.plan",
        filename="agenda-evaluatiemoment",
    ),
    api.DocumentTemplate(
        "organisatie.verslag",
        "Verslag van het evaluatiemoment",
        EVALUATION,
        "organisatie/letters/verslag.html",
        context=evaluation_letter,
        permission="organisatie.plan",
        states=("gehouden", "afgerond"),
        filename="verslag-evaluatiemoment",
    ),
]
