"""Fixed choices and their Dutch labels, shared by the forms, the letters and the figures.
The categories are on the parents' form: ``N_`` marks them for the catalogue (they stay
Dutch strings here; the parents' pages translate them where they show them)."""

from portal import api

TYPE_NAME = "klachten.klacht"
# The states of a complaint that is still being handled (the letters of the route).
OPEN_STATES = ("ontvangen", "in_behandeling", "bemiddeling", "doorverwezen")

CATEGORIES = [
    ("agressie", api.N_("Agressie en geweld")),
    ("seksueel", api.N_("Seksuele intimidatie of ongewenste intimiteiten")),
    ("pesten", api.N_("Pesten")),
    ("discriminatie", api.N_("Discriminatie")),
    ("medewerker", api.N_("Een medewerker")),
    ("organisatie", api.N_("De school of de organisatie")),
    ("anders", api.N_("Anders")),
]

OUTCOMES = [
    ("opgelost", "Opgelost"),
    ("ingetrokken", "Ingetrokken door de indiener"),
    ("doorverwezen", "Doorverwezen"),
]

# Two bodies, each with its own letter: the College van Bestuur (the bevoegd gezag) and the
# klachtencommissie (the regeling's independent commission; WPO art. 14). A formal complaint
# may go to either; the parent may also go to the klachtencommissie directly.
REFERRALS = [
    ("cvb", "Het College van Bestuur van de ASG (formele klacht bij het bevoegd gezag)"),
    ("klachtencommissie", "De klachtencommissie (formele klacht volgens de klachtenregeling)"),
    ("vertrouwenspersoon", "De externe vertrouwenspersoon"),
]

REFERRAL_SHORT = {
    "cvb": "het College van Bestuur van de ASG",
    "klachtencommissie": "de klachtencommissie",
    "vertrouwenspersoon": "de externe vertrouwenspersoon",
}

# The referrals that make a formal complaint: the bestuur takes it from there.
FORMAL = ("cvb", "klachtencommissie")

# After a formal referral: the bestuur's steps (received, hearing, decision, closing).
BOARD_STATES = ("bij_bestuur", "hoorzitting", "beslissing")

DECISIONS = [
    ("gegrond", "Gegrond"),
    ("deels", "Deels gegrond"),
    ("ongegrond", "Ongegrond"),
    ("niet_ontvankelijk", "Niet-ontvankelijk"),
]

DEFAULT_COMMISSION = (
    "Landelijke Klachtencommissie Onderwijs, Postbus 85191, 3508 AD Utrecht, 030 280 9590, "
    "info@onderwijsgeschillen.nl"
)

FIRST_CONTACT = [
    ("telefoon", "Telefonisch"),
    ("gesprek", "In een gesprek op school"),
    ("email", "Per e-mail"),
    ("volgpagina", "Via een bericht op de volgpagina (geen contactgegevens)"),
]

CONVERSATION_WITH = [
    ("betrokkene", "De betrokken medewerker (vaak de leerkracht)"),
    ("directie", "De directie"),
    ("beide", "De betrokken medewerker en de directie"),
    ("anders", "Iemand anders"),
]

GESPREK_KINDS = {"eerste_contact": "Eerste contact met de indiener", **dict(CONVERSATION_WITH)}
