"""The vocabularies of the yearly report: monitor indicators, action owners, states, findings."""

# The key scores of a safety monitor (Hart en Handen of IEP reports both).
INDICATORS = (
    ("veiligheid", "Veiligheidsbeleving"),
    ("welbevinden", "Welbevinden"),
)

DEFAULT_INSTRUMENT = "Hart en Handen (IEP)"

# Who carries an action: a role or a team, never a person's name (the report goes to the MR
# and the bestuur).
OWNERS = (
    ("directie", "Directie"),
    ("ib", "Intern begeleider"),
    ("contactpersoon", "Contactpersoon"),
    ("aandachtsfunctionaris", "Aandachtsfunctionaris meldcode"),
    ("pbs", "PBS-team"),
    ("bhv", "BHV-team"),
    ("leerkrachten", "Leerkrachten"),
    ("team", "Het hele team"),
)

STATUSES = (
    ("gepland", "Gepland"),
    ("bezig", "Bezig"),
    ("afgerond", "Afgerond"),
    ("vervallen", "Vervallen"),
)
# An action in one of these states is done: it is no longer late.
FINISHED = ("afgerond", "vervallen")

FINDINGS = (
    ("monitor", "Een score van de veiligheidsmonitor"),
    ("incidenten", "Een trend in de incidenten"),
    ("evaluatie", "Een evaluatiemoment"),
    ("anders", "Anders"),
)
