"""The plugin's vocabularies: (key, label) pairs (``api.label`` looks one up)."""

# Where the teacher's signals come from (step 1).
SOURCES = (
    ("eigen_waarneming", "Eigen waarneming"),
    ("kind", "Verteld door het kind"),
    ("ouder", "Verteld door een ouder of verzorger"),
    ("collega", "Verteld door een collega"),
    ("anders", "Anders (licht toe)"),
)

# With whom the school spoke at step 3: the plan asks for both, the child and the parents.
PARTIES = (
    ("ouders", "De ouders/verzorgers"),
    ("kind", "Het kind"),
)

# What the conversation did to the suspicion (step 3). The plan: "Soms zal het vermoeden
# tijdens dit gesprek worden weggenomen. De volgende stappen van de meldcode worden dan
# niet gezet."
CONVERSATION_OUTCOMES = (
    ("blijft", "Het vermoeden blijft bestaan: verder met stap 4 en 5"),
    ("weggenomen", "Het vermoeden is weggenomen"),
)

# Why the conversation was not held: the meldcode allows it only for safety.
NOT_HELD_REASONS = (
    ("veiligheid_kind", "De veiligheid van het kind"),
    ("veiligheid_melder", "De veiligheid van de melder of van anderen"),
)

YES_NO = (("ja", "Ja"), ("nee", "Nee"))

# The Afwegingskader Meldcode Onderwijs en Leerplicht (2019): five questions, in order.
QUESTIONS = (
    ("q1", "1. Is er een vermoeden van huiselijk geweld of kindermishandeling?"),
    ("q2", "2. Is er sprake van acute onveiligheid of structurele onveiligheid?"),
    ("q3", "3. Kan de school, met haar ketenpartners, effectieve hulp bieden of organiseren?"),
    ("q4", "4. Aanvaarden de betrokkenen de hulp en zijn zij bereid zich daarvoor in te zetten?"),
    ("q5", "5. Leidt de hulp binnen de afgesproken termijn tot duurzame veiligheid?"),
)

# How a board contact counts: the clusterdirecteur informed of a strong suspicion (step 4),
# or the consultation before the decision (step 5).
BOARD_KINDS = (
    ("geinformeerd", "Clusterdirecteur geïnformeerd over een sterk vermoeden"),
    ("overleg", "Overleg met het bestuur over het besluit"),
)

# Step 5: the three decisions.
DECISIONS = (
    ("melden", "Melden bij Veilig Thuis"),
    ("hulp", "Hulp organiseren"),
    ("weggenomen", "Zorg weggenomen"),
)
