"""No child's or staff member's name in the yearly report: texts typed for it (a monitor's
note, an action's goal or finding) are checked against the school's pupils and staff.

A whole name ("Daan van der Berg", "Floor Vermeulen") is looked for, and a first name
followed by the last name without the prefix ("Daan Berg"), in the text as the register
searches it (lower case, accents off); a first name alone is too common a word to refuse.
"""

from ..access import staff_of
from ..models import Pupil
from ..pupils import full_name
from ..pupils import normalize


def _variants(first, prefix, last):
    whole = normalize(" ".join(p for p in (first, prefix, last) if p))
    short = normalize(f"{first} {last}")
    return {v for v in (whole, short) if " " in v}


def school_names(school):
    """{normalised name variant: the name as shown} of the school's pupils and staff."""
    names = {}
    pupils = Pupil.select(Pupil.first_name, Pupil.prefix, Pupil.last_name).where(Pupil.school == school.id)
    for p in pupils:
        for v in _variants(p.first_name, p.prefix, p.last_name):
            names[v] = full_name(p)
    for user in staff_of(school):
        parts = user.name.split()
        if len(parts) >= 2:
            for v in _variants(parts[0], " ".join(parts[1:-1]), parts[-1]):
                names[v] = user.name
    return names


def named_in(school, text, names=None):
    """The first name of a pupil or staff member that ``text`` contains, or None."""
    plain = f" {normalize(text)} "
    if plain.strip() == "":
        return None
    for variant, shown in (names if names is not None else school_names(school)).items():
        if f" {variant} " in plain:
            return shown
    return None
