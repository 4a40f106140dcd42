"""The plugin's vocabularies: (key, label) pairs (``api.label`` looks one up)."""

# Where it happened (veiligheidsplan 3.2: the registration says where, so the yearly
# evaluation sees the places that need attention).
PLACES = (
    ("lokaal", "Lokaal"),
    ("plein", "Schoolplein"),
    ("gym", "Gymzaal"),
    ("toiletten", "Toiletten"),
    ("buiten", "Buiten de school"),
    ("online", "Online"),
)

# The categories of the OCW incidentenregistratie (Monitor sociale veiligheid).
CATEGORIES = (
    ("fysiek_geweld", "Fysiek geweld met letsel"),
    ("wapengeweld", "Geweld met een wapen"),
    ("wapenbezit", "Wapenbezit"),
    ("seksueel", "Seksueel misbruik"),
    ("pesten", "Grove pesterij"),
    ("discriminatie", "Discriminatie"),
    ("bedreiging", "Bedreiging"),
    ("vandalisme", "Vandalisme of diefstal"),
    ("drugs", "Drugs"),
    ("ongeval", "Ongeval"),
    ("anders", "Anders"),
)

# The grounds of the Algemene wet gelijke behandeling and art. 1 Grondwet.
DISCRIMINATION_GROUNDS = (
    ("herkomst", "Afkomst, huidskleur of ras"),
    ("godsdienst", "Godsdienst of levensovertuiging"),
    ("geslacht", "Geslacht"),
    ("seksuele_gerichtheid", "Seksuele gerichtheid"),
    ("gender", "Genderidentiteit of -expressie"),
    ("handicap", "Handicap of chronische ziekte"),
    ("anders", "Anders"),
)

# Who was involved, by role only: the registration is a statistical record.
INVOLVED = (
    ("leerling", "Leerling"),
    ("personeel", "Personeel"),
    ("ouder", "Ouder"),
    ("derde", "Derde"),
)

# Whose accident it was.
VICTIMS = INVOLVED

INJURIES = (
    ("geen", "Geen letsel"),
    ("licht", "Licht letsel (EHBO op school)"),
    ("arts", "Behandeld door huisarts of op de spoedeisende hulp"),
    ("ziekenhuis", "Opname in het ziekenhuis"),
    ("blijvend", "Blijvend letsel"),
    ("overleden", "Overleden"),
)

# Arbowet art. 9 lid 1: an accident at work that leads to death, permanent injury or a
# hospital admission is reported to the Nederlandse Arbeidsinspectie at once.
SERIOUS_INJURIES = ("ziekenhuis", "blijvend", "overleden")

PARENTS_INFORMED = (
    ("ja", "Ja"),
    ("nee", "Nog niet"),
    ("nvt", "Niet van toepassing (geen leerling betrokken)"),
)

# Veiligheidsplan 3.1.4: the only two grounds for physical intervention. Physical measures
# as a punishment are never one (and not a choice here).
INTERVENTION_GROUNDS = (
    (
        "onbereikbaar",
        "De leerling is na herhaalde pogingen niet meer aanspreekbaar en de orde is structureel verstoord",
    ),
    ("gevaar", "Ernstig gevaar voor de leerling zelf of voor anderen"),
)

EVALUATION_VERDICTS = (
    ("ja", "Ja, we hebben goed gehandeld"),
    ("deels", "Deels: het kan beter"),
    ("nee", "Nee, we hadden anders moeten handelen"),
)

YES_NO = (("ja", "Ja"), ("nee", "Nee"))

# Veiligheidsplan 3.1.5: where an access ban applies.
BAN_SCOPES = (
    ("gebouw", "Het schoolgebouw"),
    ("plein", "Het schoolplein"),
    ("activiteiten", "Schoolactiviteiten (uitstapjes, vieringen, sportdag)"),
)
