"""Schorsing's section of the veiligheidsplan (3.2.2): what a serious incident is and the
rules for suspension and expulsion, live with who decides and where to object."""

from portal import api

from .choices import CATEGORIES

TEXT = (
    "Soms hebben we te maken met een ernstig incident; vaak is er dan sprake van "
    "grensoverschrijdend gedrag. Elk incident wordt geregistreerd in de incidentenregistratie; "
    "een schorsing begint bij zo'n geregistreerd incident. Bij een ernstig incident kan de "
    "school, na overleg met het bestuur, overgaan tot schorsing voor één tot vijf aaneengesloten "
    "schooldagen. De ouders worden schriftelijk op de hoogte gesteld. Duurt de schorsing langer "
    "dan één dag, dan stellen we ook de inspectie schriftelijk op de hoogte, met opgave van "
    "redenen.\n\n"
    "In het uiterste geval, bij ernstige verstoring van de orde en rust, kan het bestuur besluiten "
    "tot verwijdering, om het gedrag van de leerling of van de ouders. Dat kan alleen als het "
    "bestuur ervoor zorgt dat een andere school de leerling toelaat; voor het speciaal onderwijs is "
    "een toelaatbaarheidsverklaring van het samenwerkingsverband nodig."
)

RULES = (
    ("Schorsing", "1 tot 5 aaneengesloten schooldagen, na overleg met het bestuur"),
    ("Ouders", "schriftelijk op de hoogte, na het horen van leerling en ouders"),
    ("Inspectie", "schriftelijk bij een schorsing van meer dan één dag"),
    (
        "Verwijdering",
        "besluit van het bestuur, na het horen van leerkracht en ouders, "
        "als een andere school de leerling toelaat",
    ),
)


def _names(users):
    return ", ".join(u.name for u in users) or "de directie"


def sections(school):
    decide = _names(api.users_with_permission(school, "schorsing.decide"))
    objection = " ".join(api.get_setting(school, "schorsing.bezwaar_adres").split())
    objection = objection or school.board_name or "bij het bestuur"
    lines = [
        "Onder een ernstig incident verstaan we onder andere: "
        + "; ".join(label.lower() for key, label in CATEGORIES if key != "anders")
        + ".",
        "Een ernstig incident meldt elke medewerker in de incidentenregistratie; de directie "
        "start vanaf dat incident de schorsingszaak.",
        f"Over een schorsing beslist: {decide}. Over een verwijdering beslist het bestuur.",
        f"Bezwaar tegen een schorsing of verwijdering: {objection}.",
    ]
    return [
        api.PlanSection(
            "schorsing.plan",
            "3.2.2",
            "Grensoverschrijdend gedrag: schorsen en verwijderen",
            TEXT,
            live="\n".join(lines),
            table=(("Wat", "Regel"), *RULES),
        )
    ]
