"""The plugin's sections of the veiligheidsplan: 3.1.4 (fysiek contact), 3.1.5 (fysiek geweld
tussen ouders en personeel) and 3.2 (afhandelen van incidenten), in the school's words, with
what the portal knows live: who may do what, and this school year's counts (never names)."""

from portal import api

from . import workflow as wf
from .choices import INTERVENTION_GROUNDS
from .models import Incident
from .models import Intervention

INCIDENTS = (
    "Ongevallen en andere incidenten worden geregistreerd: elke medewerker registreert in het "
    "portaal wanneer, waar en wat er gebeurde, in de categorieën van de incidentenregistratie van "
    "OCW, wie erbij betrokken waren (naar rol, zonder namen), het letsel en de genomen maatregel. "
    "Een incident handelen we af in nauw overleg met de ouders; of en wanneer zij zijn "
    "geïnformeerd, staat in de registratie. Volgt er meer (een schorsing, de meldcode, opvang na "
    "een traumatische gebeurtenis, een klacht van de school), dan begint dat als een gekoppelde "
    "zaak.\n\n"
    "Een ongeval van een medewerker met de dood, blijvend letsel of een ziekenhuisopname tot gevolg "
    "melden we direct bij de Nederlandse Arbeidsinspectie (Arbowet art. 9); ongevallen met meer dan "
    "drie dagen verzuim staan in het ongevallenregister. Jaarlijks evalueren we aan de hand van de "
    "registratie of er opvallende zaken zijn die om aanpassing van ons beleid vragen."
)

CONTACT = (
    "We zijn uiterst terughoudend met fysiek contact. Fysiek ingrijpen mag alleen als een leerling "
    "na herhaalde pogingen niet meer aanspreekbaar is en de orde structureel verstoord is, of als er "
    "ernstig gevaar is voor de leerling zelf of voor anderen, en nooit verder dan nodig. Fysieke "
    "maatregelen als straf zijn nooit toegestaan. Wie ingreep, legt dezelfde dag vast wat eraan "
    "voorafging en welke alternatieven zijn geprobeerd; de ouders horen het dezelfde dag. Binnen vijf "
    "schooldagen evalueren we: hebben we goed gehandeld, en wat leren we ervan?"
)

PARENTS = (
    "Bij (dreiging met) fysiek geweld van een ouder tegen een medewerker de-escaleren we en keren we "
    "terug naar het gesprek. Lukt dat niet, dan kan de directie, na overleg met het bestuur, de ouder "
    "(tijdelijk) de toegang tot het gebouw, het plein of schoolactiviteiten ontzeggen. Eerst krijgt "
    "de ouder het voornemen op schrift en de gelegenheid zijn zienswijze te geven; het besluit noemt "
    "de redenen, de reikwijdte, de duur, hoe de ouder informatie over zijn kind blijft krijgen en hoe "
    "hij bezwaar kan maken. Vóór de einddatum evalueren we het verbod. Bij grote dreiging schakelen "
    "we de politie in."
)


def _names(users):
    return ", ".join(u.name for u in users) or "nog niemand"


def _this_year(model, column, school):
    return api.year_rows(model, column, school, api.school_year_of(api.today())).count()


def sections(school):
    year = api.school_year_of(api.today())
    incidents = _this_year(Incident, Incident.occurred_on, school)
    interventions = _this_year(Intervention, Intervention.occurred_on, school)
    deciders = _names(api.users_with_permission(school, wf.BAN_HANDLE))
    return [
        api.PlanSection(
            "incidenten.ingrijpen",
            "3.1.4",
            "Fysiek contact tussen leerkrachten en leerlingen",
            CONTACT,
            live="\n".join(
                [
                    f"Evalueren het ingrijpen: {_names(api.users_with_permission(school, wf.EVALUATE))}.",
                    f"Fysiek ingrijpen vastgelegd in schooljaar {year}-{year + 1}: {interventions}.",
                ]
            ),
            table=(
                ("Nr.", "Toegestane grond"),
                *((str(n), text) for n, (_key, text) in enumerate(INTERVENTION_GROUNDS, 1)),
            ),
        ),
        api.PlanSection(
            "incidenten.toegangsverbod",
            "3.1.5",
            "Fysiek geweld tussen ouders en personeelsleden",
            PARENTS,
            live=f"Over een toegangsverbod besluit: {deciders}.",
        ),
        api.PlanSection(
            "incidenten.registratie",
            "3.2",
            "Afhandelen van incidenten",
            INCIDENTS,
            live="\n".join(
                [
                    f"Incidenten geregistreerd in schooljaar {year}-{year + 1}: {incidents}.",
                    f"Incidenten afhandelen en de melding aan de Arbeidsinspectie: "
                    f"{_names(api.users_with_permission(school, wf.HANDLE))}.",
                    "Termijnen in de protocollen tellen in schooldagen op de schoolkalender; de 72 "
                    "uur voor een datalek tellen in klokuren, ook 's nachts en in het weekend.",
                ]
            ),
        ),
    ]
