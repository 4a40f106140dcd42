"""Trauma's section of the veiligheidsplan (3.2.1): the school's own step plan and its
external partners, live."""

from portal import api

from .choices import DEFAULT_STEPS
from .models import TraumaStep

TEXT = (
    "Leerlingen kunnen betrokken raken bij een emotioneel of traumatisch voorval, zoals het "
    "overlijden van een naaste of een klasgenoot. Zo'n voorval kan veel impact hebben op de groep "
    "of op de hele school.\n\n"
    "Stap 1: een melding van een traumatisch of emotioneel voorval komt binnen bij de leerkracht of "
    "een ander op school. Stap 2: de leerkracht maakt een eerste inschatting: kan de school dit zelf "
    "opvangen? Zo ja, dan gaan we verder, zo nodig met de intern begeleider. Zo nee, dan schakelen "
    "we in overleg met IB en directie de juiste externe hulp in. Daarna volgen we het stappenplan "
    "van de school."
)


def _steps(school):
    rows = list(TraumaStep.select().where(TraumaStep.school == school.id).order_by(TraumaStep.position))
    if rows:
        return [(r.label, r.due_days, r.required) for r in rows]
    return [(label, days, required) for _, label, days, required in DEFAULT_STEPS]


def sections(school):
    steps = _steps(school)
    table = (
        ("Stap", "Wanneer", "Verplicht voor afsluiten"),
        *(
            (label, f"binnen {days} dagen na de melding" if days else "", "ja" if required else "nee")
            for label, days, required in steps
        ),
    )
    partners = [label for _, label in api.partner_choices(school)]
    live = "Het stappenplan van de school, zoals het bij elke melding in het portaal wordt gevolgd."
    live += (
        "\nExterne partners die de school kan inschakelen: " + "; ".join(partners) + "."
        if partners
        else "\nEr staan nog geen externe partners in de lijst van de school."
    )
    return [
        api.PlanSection(
            "trauma.plan", "3.2.1", "Verwerking traumatische gebeurtenis", TEXT, live=live, table=table
        )
    ]
