"""The meldcode's section of the veiligheidsplan (3.1.7): the five steps in the school's
words, and live who carries them at this school, Veilig Thuis of the region and how long a
file is kept."""

from portal import api

from .workflow import CONVERSE
from .workflow import DECIDE
from .workflow import RETENTION

TEXT = (
    "Als wij ons zorgen maken over de thuissituatie van een leerling omdat we huiselijk geweld of "
    "kindermishandeling vermoeden, volgen wij de meldcode. Kindermishandeling is elke vorm van "
    "lichamelijk, psychisch of emotioneel geweld, verwaarlozing of seksueel misbruik; ook getuige "
    "zijn van huiselijk geweld hoort daarbij. De meldcode heeft vijf stappen, die wij zorgvuldig "
    "zetten voordat we beslissen over een melding bij Veilig Thuis. Elke stap, elk gesprek en elk "
    "besluit leggen we vast in het dossier.\n\n"
    "Bij twijfel raadplegen we Veilig Thuis anoniem. We gebruiken het Afwegingskader Meldcode "
    "Onderwijs en Leerplicht. Bij een sterk vermoeden stellen we de clusterdirecteur op de hoogte; "
    "het besluit in stap 5 neemt de school in overleg met het bestuur. Een melding volgt bij acute "
    "of structurele onveiligheid, of als we met onze ketenpartners geen passende hulp kunnen "
    "organiseren. Heeft georganiseerde hulp niet het gewenste effect, dan melden we alsnog."
)

STEPS = (
    ("1", "Signaleren: signalen en tegensprekende signalen vastleggen", "De leerkracht"),
    (
        "2",
        "Collegiale consultatie, zo nodig Veilig Thuis anoniem raadplegen",
        "Met de aandachtsfunctionaris of IB",
    ),
    ("3", "Gesprek met ouders en kind", "Directie of IB"),
    ("4", "Wegen met het afwegingskader", "Leerkracht, IB en directie"),
    ("5", "Beslissen: melden bij Veilig Thuis of hulp organiseren", "Directie, in overleg met het bestuur"),
)


def _names(users):
    return ", ".join(u.name for u in users) or "nog niemand"


def sections(school):
    talk = _names(api.users_with_permission(school, CONVERSE))
    lines = [
        f"Aandachtsfunctionaris meldcode: {_names(api.holders_of(school, 'aandachtsfunctionaris'))}.",
        f"Het gesprek met ouders en kind (stap 3) voeren: {talk}.",
        f"Besluiten in stap 5: {_names(api.users_with_permission(school, DECIDE))}.",
        f"Veilig Thuis: {api.get_setting(school, 'meldcode.veilig_thuis')}.",
        f"Een afgesloten dossier bewaren we {api.get_setting(school, RETENTION)} jaar.",
    ]
    return [
        api.PlanSection(
            "meldcode.plan",
            "3.1.7",
            "Vermoeden kindermishandeling: meldcode",
            TEXT,
            live="\n".join(lines),
            table=(("Stap", "Wat", "Wie"), *STEPS),
        )
    ]
