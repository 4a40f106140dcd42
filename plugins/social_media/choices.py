"""The plugin's vocabularies: how long a request is for, the groups, and their Dutch texts."""

# "eenmalig": one day; "periode": start to end; "structureel": from the start on, without
# end (it then goes on the allowed list).
KINDS = [
    ("eenmalig", "Eenmalig, op één dag"),
    ("periode", "Voor een periode"),
    ("structureel", "Structureel (blijvend)"),
]

GROUPS = [(str(n), f"Groep {n}") for n in range(1, 9)]


def groups_text(groups):
    """ "groep 6", "groep 4 en 5", "groep 1, 2 en 3" (from "4,5" or ["4", "5"])."""
    items = [g for g in (groups.split(",") if isinstance(groups, str) else groups) if g]
    if not items:
        return ""
    if len(items) == 1:
        return f"groep {items[0]}"
    return "groep " + ", ".join(items[:-1]) + " en " + items[-1]


# The privacy questions of an approval (AVG art. 28: a supplier that processes pupil data
# for the school needs a verwerkersovereenkomst; the Privacyconvenant Onderwijs gives one).
AGREEMENTS = [
    ("verwerkersovereenkomst", "Ja, er is een verwerkersovereenkomst met de leverancier"),
    ("privacyconvenant", "Ja, de leverancier heeft het Privacyconvenant Onderwijs ondertekend"),
    ("geen", "Nee, geen van beide"),
]
COVERED = ("verwerkersovereenkomst", "privacyconvenant")

PUPIL_DATA = [
    ("geen", "Geen: leerlingen gebruiken de app zonder account of gegevens"),
    ("naam", "Naam"),
    ("account", "Account of e-mailadres"),
    ("groep", "Groep of klas"),
    ("resultaten", "Resultaten en voortgang"),
    ("beeld_geluid", "Foto, video of stem"),
    ("locatie", "Locatie"),
]


def pupil_data_text(keys):
    """ "naam, groep of klas" from "naam,groep" (the labels, lowercase)."""
    labels = dict(PUPIL_DATA)
    items = [k for k in (keys.split(",") if isinstance(keys, str) else keys) if k]
    return ", ".join(labels.get(k, k).split(":")[0].lower() for k in items)
