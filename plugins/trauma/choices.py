"""The fixed lists of the plugin (Dutch labels as the safety plan uses them)."""

KINDS = (
    ("overlijden_leerling", "Overlijden van een leerling"),
    ("overlijden_ouder", "Overlijden van een ouder"),
    ("overlijden_medewerker", "Overlijden van een medewerker"),
    ("ongeval", "Ernstig ongeval"),
    ("geweld", "Geweld"),
    ("anders", "Ander ingrijpend voorval"),
)

SCOPES = (
    ("leerlingen", "Eén of meer leerlingen"),
    ("groep", "Een groep"),
    ("school", "De hele school"),
)

# The default step plan, for a school that has not saved its own: (key, label, due days
# after the report or None, required before closing). The follow-ups carry due dates so
# they show up among the case's deadlines.
DEFAULT_STEPS = (
    ("directie", "Directie informeren", None, True),
    ("familie", "Contact opnemen met de familie", None, True),
    ("team", "Team informeren", None, True),
    ("ouders", "Ouders van de groep informeren", None, False),
    ("groep", "Aandacht besteden aan de gebeurtenis in de groep", None, False),
    ("extern", "Externe hulp inschakelen (indien nodig)", None, False),
    ("nazorg_week", "Nazorg: gesprek na één week", 7, True),
    ("nazorg_6wk", "Nazorg: gesprek na zes weken", 42, True),
    ("nazorg_3mnd", "Nazorg: gesprek na drie maanden", 91, True),
    ("evaluatie", "Evalueren", None, False),
)

HANDLED = (("school", "Door de school zelf"), ("extern", "Met externe hulp"))
