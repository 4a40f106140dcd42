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
