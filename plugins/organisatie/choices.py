"""The plugin's vocabularies: `(key, label)` pairs with the safety plan's Dutch terms."""

from portal import api

# The roles of "Wie doet wat" are the core's (api.CONTACT_ROLES), so that every plugin
# that reads the register knows the same keys.
ROLES = api.CONTACT_ROLES

# The Wet veiligheid op school (WPO art. 4c) asks for one person who coordinates the
# anti-bullying policy and is the point of contact for bullying: exactly one per school.
SINGLE_ROLES = ("pestcoordinator",)

# The school must make these known to parents (the public page).
PARENT_ROLES = ("contactpersoon", "pestcoordinator", "vertrouwenspersoon")

# A school without one of these sees a red panel: parents and pupils have nobody to turn to.
REQUIRED_ROLES = ("pestcoordinator", "contactpersoon")

TRAINING_KINDS = (
    ("bhv", "BHV (bedrijfshulpverlening)"),
    ("ehbo", "EHBO of kinder-EHBO"),
    ("meldcode", "Meldcode huiselijk geweld en kindermishandeling"),
    ("pbs", "PBS (Positive Behavior Support)"),
    ("pesten", "Pesten en veilig leerklimaat"),
    ("gedrag", "Grensoverschrijdend leerlinggedrag"),
    ("anders", "Anders"),
)

ANNOUNCED = (
    ("aangekondigd", "Aangekondigd"),
    ("onaangekondigd", "Onaangekondigd"),
)

YES_NO = (("ja", "Ja"), ("nee", "Nee"))
