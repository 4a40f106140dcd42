"""Letters: the information letter to the parents of the group and the case summary."""

from portal import api

from .details import family_contacted
from .details import file_summary_context
from .details import parents_letter_context
from .workflow import TYPE_NAME

DOCUMENTS = [
    # Once the first assessment is done the school knows how it goes on; the
    # letter text itself comes from the school's own setting "trauma.ouderbrief".
    api.DocumentTemplate(
        "trauma.ouderbrief",
        "Informatiebrief aan de ouders van de groep",
        TYPE_NAME,
        "trauma/letters/ouderbrief.html",
        context=parents_letter_context,
        states=("zelf", "extern"),
        filename="informatiebrief-ouders",
        # Only after the contact with the family is recorded: the case page says why not yet.
        available=family_contacted,
    ),
    api.DocumentTemplate(
        "trauma.samenvatting",
        "Samenvatting voor het dossier",
        TYPE_NAME,
        "trauma/letters/samenvatting.html",
        context=file_summary_context,
        filename="samenvatting",
    ),
]
