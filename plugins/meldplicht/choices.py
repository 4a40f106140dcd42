"""Fixed choices and the names the plugin shares between its modules."""

TYPE_NAME = "meldplicht.melding"
START = "meldplicht.report"
VIEW = "meldplicht.view"
HANDLE = "meldplicht.handle"
BOARD = "meldplicht.bestuur"

# The cases the route can follow from: a complaint, a serious incident (suspension), an
# expulsion, a registered incident or a physical intervention (plugin incidenten) and a
# traumatic event. Where a case type is not loaded nothing is offered.
FOLLOWS = (
    "klachten.klacht",
    "schorsing.schorsing",
    "schorsing.verwijdering",
    "incidenten.incident",
    "incidenten.ingrijpen",
    "trauma.gebeurtenis",
)

YES_NO = [("ja", "Ja"), ("nee", "Nee")]

OPEN_STATES = ("gemeld", "overlegd", "vermoeden", "geen_vermoeden", "aangifte")
