"""The demo school's pupils: 200 fictional children in eight groups.

Names are drawn from fixed lists in a fixed order, so every demo database has the same
children with the same LAS numbers (``DEMO_FIRST_NUMBER`` on), and the plugins' demo data
can link its cases to them by number (``DEMO_PUPILS`` names the ones they use). None of
the names is a real pupil's or a name from the safety plan.
"""

import datetime

from ..db import atomic
from ..models import Pupil
from ..models import PupilGroup
from . import grade_of
from . import school_year
from . import search_text

GROUPS = ("1/2a", "1/2b", "3a", "4a", "5b", "6b", "7a", "8a")
PER_GROUP = 25
DEMO_FIRST_NUMBER = 100001

# The children the plugins' demo cases are about, with the LAS number each gets.
DEMO_PUPILS = {
    "Daan Vos": "100126",
    "Lotte Jansen": "100176",
    "Noah Bakker": "100127",
    "Amira Yilmaz": "100151",
    "Yara Kaya": "100140",
    "Levi Smit": "100160",
}

_FIRST = (
    "Emma Noah Julia Sem Mila Liam Tess Lucas Sara Finn Nora Levi Zoë Milan Yara Luuk Saar Adam "
    "Fenna Mohamed Lynn Bram Ilse Sami Roos Thijs Eva Jesse Amira Gijs Fleur Ravi Noor Mats Lieke "
    "Kenji Isa Stijn Hanna Ömer Maud Joep Elif Teun Ayla Siem Nina Yusuf Jade Owen"
).split()
_LAST = [
    ("", "Visser"),
    ("de", "Jong"),
    ("", "Smit"),
    ("van", "Dijk"),
    ("", "Mulder"),
    ("", "Bos"),
    ("van den", "Berg"),
    ("", "Dekker"),
    ("", "Kaya"),
    ("", "Brouwer"),
    ("de", "Graaf"),
    ("", "Meijer"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Koster"),
    ("", "Prins"),
    ("", "Çelik"),
    ("", "Huisman"),
    ("", "Peters"),
    ("", "Kok"),
    ("van der", "Meer"),
    ("", "Wijaya"),
    ("", "Schouten"),
    ("", "Boateng"),
    ("el", "Amrani"),
    ("", "Kowalski"),
    ("", "Martens"),
    ("de", "Wit"),
    ("", "Sedney"),
    ("", "Vos"),
    ("", "Kramer"),
    ("", "Nowak"),
]


def _people():
    """200 (first name, prefix, last name) in a fixed order, the DEMO_PUPILS in their places."""
    fixed = {}
    for name, number in DEMO_PUPILS.items():
        first, last = name.split(" ", 1)
        fixed[int(number) - DEMO_FIRST_NUMBER] = (first, "", last)
    people = []
    for n in range(len(GROUPS) * PER_GROUP):
        if n in fixed:
            people.append(fixed[n])
            continue
        prefix, last = _LAST[(n * 7) % len(_LAST)]
        people.append((_FIRST[(n * 11) % len(_FIRST)], prefix, last))
    return people


def _birth_date(n, grade, year_start):
    """A plausible birthday: a child in groep g turns 4 + g in the school year."""
    born = year_start - (4 + grade)
    return datetime.date(born, 1, 1) + datetime.timedelta(days=(n * 37) % 365)


def add_demo_pupils(school):
    """Put the 200 demo pupils in ``school``'s register with this school year's groups.
    A second run changes nothing."""
    if Pupil.select().where(Pupil.school == school.id).exists():
        return
    year = school_year()
    year_start = int(year[:4])
    with atomic():
        for n, (first, prefix, last) in enumerate(_people()):
            group = GROUPS[n // PER_GROUP]
            grade = grade_of(group)
            number = str(DEMO_FIRST_NUMBER + n)
            pupil = Pupil.create(
                school=school.id,
                las_number=number,
                first_name=first,
                prefix=prefix,
                last_name=last,
                birth_date=_birth_date(n, grade, year_start),
                enrolled_on=datetime.date(year_start - grade + 1, 8, 20),
                search=search_text(first, prefix, last, number),
            )
            PupilGroup.create(pupil=pupil.id, school=school.id, school_year=year, name=group, grade=grade)


def demo_pupil(school, name):
    """The demo pupil called ``name`` (a key of DEMO_PUPILS) at ``school``, or None."""
    number = DEMO_PUPILS.get(name)
    if number is None:
        return None
    return Pupil.get_or_none((Pupil.school == school.id) & (Pupil.las_number == number))
