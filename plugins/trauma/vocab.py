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

PARTNER_KINDS = (
    ("smw", "Schoolmaatschappelijk werk"),
    ("ggd", "GGD"),
    ("wijkagent", "Wijkagent"),
    ("jeugdopbouwwerker", "Jeugdopbouwwerker"),
    ("veilig_thuis", "Veilig Thuis"),
    ("slachtofferhulp", "Slachtofferhulp"),
    ("anders", "Anders"),
)

HANDLED = (("school", "Door de school zelf"), ("extern", "Met externe hulp"))


def label(choices, key):
    return dict(choices).get(key, key)
