"""Klachten's sections of the veiligheidsplan: the complaint route (3.2.3) and the
contactpersoon (3.5.3), live with the school's contactpersoon, the external
vertrouwenspersoon, the term for acknowledging a complaint and the parents' form."""

from portal import api

from .choices import CATEGORIES

ROUTE = (
    "Met ons beleid willen we dat leerlingen zich veilig voelen op school. Toch kan het gebeuren "
    "dat iets niet naar ieders tevredenheid is opgelost en dat ouders een klacht hebben.\n\n"
    "Een klacht bespreekt u eerst met de persoon die het betreft, vaak de leerkracht van uw kind. "
    "Leidt dat gesprek niet tot een oplossing, dan volgt een gesprek met de directie, in de regel "
    "met de betrokken medewerker erbij. Is het probleem daarna niet verholpen, dan kunt u een "
    "formele klacht indienen bij het college van bestuur; de klachtenregeling van het bestuur "
    "beschrijft de taken van het bestuur en de klachtencommissie en hoe een klacht wordt "
    "afgehandeld."
)

CONTACT = (
    "De contactpersoon is het aanspreekpunt voor medewerkers, leerlingen en ouders die ontevreden "
    "zijn over zaken op school, zoals agressie en geweld, seksuele intimidatie, pesten en "
    "discriminatie. Samen zoekt de contactpersoon met hen naar een oplossing. Voor advies, "
    "bemiddeling en ondersteuning kan een klager ook terecht bij de externe vertrouwenspersoon. "
    "De contactpersoon geeft gevraagd en ongevraagd advies over het veiligheidsbeleid en organiseert "
    "preventieve activiteiten."
)


def _names(users):
    return ", ".join(u.name for u in users) or "nog niet aangewezen"


def sections(school):
    contact = _names(api.holders_of(school, "contactpersoon"))
    confidant = (
        " ".join(api.get_setting(school, "klachten.vertrouwenspersoon").split()) or "nog niet ingevuld"
    )
    days = api.get_setting(school, "klachten.ack_school_days")
    route = [
        f"Contactpersoon van de school: {contact}.",
        f"Externe vertrouwenspersoon: {confidant}.",
        f"De school bevestigt de ontvangst van een klacht binnen {days} schooldagen.",
        "Ouders kunnen een klacht ook indienen met het klachtformulier van de school in het portaal; "
        "met het kenmerk en de code volgen zij de afhandeling.",
        "Soorten klachten: " + ", ".join(str(label) for _, label in CATEGORIES).lower() + ".",
    ]
    return [
        api.PlanSection(
            "klachten.route", "3.2.3", "Kwaliteitswet: klachtenregeling", ROUTE, live="\n".join(route)
        ),
        api.PlanSection(
            "klachten.contactpersoon",
            "3.5.3",
            "De contactpersoon",
            CONTACT,
            live=f"Contactpersoon: {contact}.\nExterne vertrouwenspersoon: {confidant}.",
        ),
    ]
