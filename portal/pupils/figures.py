"""The bestuur's view of the pupils: counts per school, never a name.

Per school and school year: the pupils at school now, the pupils with at least one case
started that year, those with three or more (a pattern the directie should see), the
cases about a pupil per case type, and the cases whose child is only a typed name, not
yet linked to the register. Every count is one grouped statement over all schools.
"""

from dataclasses import dataclass
from dataclasses import field

import peewee

from ..dates import today
from ..figures import count
from ..figures import in_school_year
from ..models import Case
from ..models import CasePupil
from ..models import Pupil
from ..registry import get_registry

PATTERN = 3  # cases in a year about one child that make a pattern worth a look


@dataclass
class SchoolFigures:
    name: str
    pupils: int = 0
    with_cases: int = 0
    pattern: int = 0
    unlinked: int = 0
    per_type: dict = field(default_factory=dict)  # {case type title: cases}


@dataclass
class BoardFigures:
    schools: list
    types: list  # case type titles with any count, in the registry's order
    pattern: int = PATTERN

    @property
    def totals(self):
        out = SchoolFigures("Alle scholen")
        for s in self.schools:
            out.pupils += s.pupils
            out.with_cases += s.with_cases
            out.pattern += s.pattern
            out.unlinked += s.unlinked
            for title, n in s.per_type.items():
                out.per_type[title] = out.per_type.get(title, 0) + n
        return out


def board_figures(schools, year):
    """BoardFigures for ``schools`` in the school year starting 1 August ``year``."""
    ids = [s.id for s in schools]
    rows = {s.id: SchoolFigures(s.name) for s in schools}
    if not ids:
        return BoardFigures([], [])
    day = today()
    at_school = (
        Pupil.select(Pupil.school, count())
        .where(Pupil.school.in_(ids) & (Pupil.left_on.is_null() | (Pupil.left_on > day)))
        .group_by(Pupil.school)
        .tuples()
    )
    for school_id, n in at_school:
        rows[school_id].pupils = n
    in_year = Case.school.in_(ids) & in_school_year(Case.created_at, year)
    # From the links to their cases (CROSS JOIN keeps SQLite in that order): far fewer links
    # than cases, where a plain join walked every case of the schools first.
    linked = CasePupil.case == Case.id
    per_pupil = (
        CasePupil.select(Case.school, CasePupil.pupil, peewee.fn.COUNT(peewee.fn.DISTINCT(Case.id)))
        .join(Case, peewee.JOIN.CROSS)
        .where(linked & in_year & CasePupil.pupil.is_null(False))
        .group_by(Case.school, CasePupil.pupil)
        .tuples()
    )
    for school_id, _pupil, n in per_pupil:
        rows[school_id].with_cases += 1
        if n >= PATTERN:
            rows[school_id].pattern += 1
    reg = get_registry()
    per_type = (
        CasePupil.select(Case.school, Case.case_type, peewee.fn.COUNT(peewee.fn.DISTINCT(Case.id)))
        .join(Case, peewee.JOIN.CROSS)
        .where(linked & in_year & CasePupil.pupil.is_null(False))
        .group_by(Case.school, Case.case_type)
        .tuples()
    )
    seen = set()
    for school_id, type_name, n in per_type:
        ct = reg.case_types.get(type_name)
        title = ct.title if ct else type_name
        seen.add(title)
        rows[school_id].per_type[title] = n
    unlinked = (
        CasePupil.select(Case.school, peewee.fn.COUNT(peewee.fn.DISTINCT(Case.id)))
        .join(Case, peewee.JOIN.CROSS)
        .where(linked & in_year & CasePupil.pupil.is_null())
        .group_by(Case.school)
        .tuples()
    )
    for school_id, n in unlinked:
        rows[school_id].unlinked = n
    order = [ct.title for ct in reg.case_types.values() if ct.title in seen]
    order += sorted(seen - set(order))
    return BoardFigures(sorted(rows.values(), key=lambda s: s.name.lower()), order)
