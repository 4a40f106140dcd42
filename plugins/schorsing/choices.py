"""The plugin's vocabularies: (key, label) pairs (``api.label`` looks one up), and the
names of its two case types."""

SUSPENSION = "schorsing.schorsing"
EXPULSION = "schorsing.verwijdering"

# The plan's list of serious incidents (veiligheidsplan 3.2.2), plus "anders".
CATEGORIES = (
    ("storend_agressief_leerling", "Voortdurend storend en/of agressief gedrag van de leerling"),
    ("bedreigend_ouders", "Bedreigend of agressief gedrag van ouders/verzorgers"),
    ("wapens", "Het meenemen van wapens"),
    ("seksuele_intimidatie", "Seksuele intimidatie"),
    ("anders", "Anders"),
)

# Who was heard: the suspension route hears pupil and parents together, the
# expulsion route hears the teacher and the parents separately.
PARTIES = (
    ("leerling_ouders", "De leerling en de ouders/verzorgers"),
    ("leerkracht", "De leerkracht"),
    ("ouders", "De ouders/verzorgers"),
    # Awb art. 7:2: the board hears the parents on their objection before deciding on it.
    ("ouders_bezwaar", "De ouders/verzorgers over hun bezwaar"),
)

# The board's decision on an objection against an expulsion (Awb art. 7:11).
OBJECTION_OUTCOMES = (
    ("ongegrond", "Ongegrond: het besluit tot verwijdering blijft in stand"),
    ("gegrond", "Gegrond: het besluit tot verwijdering wordt herroepen"),
)

# Outcome of asking another school to take the pupil in (expulsion route).
OUTCOMES = (
    ("in_afwachting", "In afwachting"),
    ("geaccepteerd", "Geaccepteerd: de school neemt de leerling aan"),
    ("afgewezen", "Afgewezen"),
)
