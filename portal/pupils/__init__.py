"""The pupil register: the children of a school, their groups per school year, and the
pupils a case is about.

The register is the school's administration's (ParnasSys, ESIS), copied in by an import or
typed by the directie, IB or beheerder (``portal.pupils``); the LAS number is the key. Staff
choose a pupil in a form (``PupilField``, ``portal.pupil_pick``); a case then names the
pupil in ``portal_case_pupil`` with the child's role in it. What a parent types stays
text: an unlinked row ("niet gekoppeld") until staff link the pupil.

Modules: this one holds the register's rules (names, search, school years, linking);
``views`` the register's pages, the chronology and the import's pages, ``importer`` the
import of a ParnasSys or ESIS export, ``cli`` its nightly command, ``figures`` the
bestuur's counts, ``field`` the picker of the forms kit, ``demo`` the demo school's pupils;
``portal/cases/pupil_links.py`` the pupils section of a case page.
"""

import datetime
import re
import unicodedata

from peewee import IntegrityError

from ..audit import audit
from ..dates import today
from ..db import atomic
from ..db import constant_sql
from ..db import database
from ..models import CasePupil
from ..models import Pupil
from ..models import PupilGroup
from ..models import utcnow

# The pupil's part in a case. Incidents name who was hurt, who did it and who saw it.
CASE_ROLES = (
    ("betrokken", "Betrokken leerling"),
    ("slachtoffer", "Slachtoffer"),
    ("veroorzaker", "Veroorzaker"),
    ("getuige", "Getuige"),
)

SEARCH_LIMIT = 20


class PupilRefused(Exception):
    """A pupil that cannot be linked (left the school, of another school); ``reason`` is the
    Dutch sentence to show."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def role_label(key):
    return dict(CASE_ROLES).get(key, key)


def normalize(text):
    """``text`` as the register searches it: lower case, accents off (ë → e, ç → c), only
    letters, digits, spaces, hyphens and apostrophes (so never a LIKE wildcard)."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[^0-9a-z' -]+", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()


def full_name(pupil):
    """First name, prefix and last name as people say them: "Daan van der Berg"."""
    return " ".join(part for part in (pupil.first_name, pupil.prefix, pupil.last_name) if part)


def sort_key(pupil):
    """Lists are by last name (without the prefix, as a school list is), then first name."""
    return (pupil.last_name.lower(), pupil.first_name.lower(), pupil.id)


def search_text(first_name, prefix, last_name, las_number):
    return normalize(f"{first_name} {prefix} {last_name} {las_number}")


def school_year(day=None):
    """The school year a day falls in, "2026-2027": from 1 August to 31 July."""
    day = day or today()
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def grade_of(group_name):
    """The grade (groep 1-8) a school's own group name stands for: "5b" → 5, "groep 7" → 7,
    "1/2a" → 1 (a combination group counts as its first grade); None when it names none."""
    match = re.search(r"[1-8]", group_name or "")
    return int(match.group()) if match else None


def groups_now(school, pupil_ids, year=None):
    """{pupil id: group name} for this school year (a pupil without a group is left out)."""
    ids = list(pupil_ids)
    if not ids:
        return {}
    rows = (
        PupilGroup.select(PupilGroup.pupil, PupilGroup.name)
        .where(
            (PupilGroup.school == school.id)
            & (PupilGroup.school_year == (year or school_year()))
            & PupilGroup.pupil.in_(ids)
        )
        .tuples()
    )
    return dict(rows)


def in_school(school, pupil_id):
    """The pupil with ``pupil_id`` if it is one of ``school``'s, else None."""
    return Pupil.get_or_none((Pupil.id == pupil_id) & (Pupil.school == school.id))


PUPIL_SQL = (
    'SELECT p."id", p."las_number", p."first_name", p."prefix", p."last_name", p."birth_date", '
    'p."enrolled_on", p."left_on", g."name" '
    'FROM "portal_pupil" AS p LEFT OUTER JOIN "portal_pupil_group" AS g '
    'ON g."pupil_id" = p."id" AND g."school_year" = ? '
    'WHERE p."id" = ? AND p."school_id" = ?'
)


def with_group(school, pupil_id):
    """``in_school`` with ``group`` (this school year's) set, in one constant statement: for
    the pages that show one pupil and are opened most (the chronology)."""
    row = database.execute_sql(constant_sql(PUPIL_SQL), (school_year(), pupil_id, school.id)).fetchone()
    return _pupil(school, row) if row else None


def _pupil(school, row):
    ident, number, first, prefix, last, born, enrolled, left, group_name = row
    pupil = Pupil(
        id=ident,
        school=school.id,
        las_number=number,
        first_name=first,
        prefix=prefix,
        last_name=last,
        birth_date=_date(born),
        enrolled_on=_date(enrolled),
        left_on=_date(left),
    )
    pupil.group = group_name or ""
    return pupil


# The register's search, written out in SQL: the picker asks it at every pause in typing, and
# building it with peewee cost more than running it (bench/run.py, docs/performance.md).
# The text is made of these constant fragments and placeholders only; every value, the
# words typed included, is a parameter. The pupil's group of the year comes in the same
# statement; walking the index on (school, last name, first name), the database stops
# after ``limit`` matches.
SEARCH_SELECT = (
    'SELECT p."id", p."las_number", p."first_name", p."prefix", p."last_name", p."birth_date", '
    'p."enrolled_on", p."left_on", g."name" '
    'FROM "portal_pupil" AS p LEFT OUTER JOIN "portal_pupil_group" AS g '
    'ON g."pupil_id" = p."id" AND g."school_year" = ? '
    'WHERE p."school_id" = ? '
)
SEARCH_AT_SCHOOL = 'AND (p."left_on" IS NULL OR p."left_on" > ?) '
SEARCH_WORD = 'p."search" LIKE ?'
SEARCH_GROUP = 'LOWER(g."name") = ?'
SEARCH_ORDER = 'ORDER BY p."last_name", p."first_name", p."id" LIMIT ?'


def search(school, query, *, limit=SEARCH_LIMIT, include_left=False, group="", year=None):
    """The school's pupils matching every word of ``query`` (in the name or the LAS number,
    or the word is the pupil's group in ``year``), by name; each with ``group`` set to the
    group of ``year`` (this school year by default).

    A word is taken as typed, so that a group name such as "1/2a" is found as a group, and
    as the register searches names (``normalize``: accents and case do not matter). One
    statement: at 2,000 pupils a school and 30 schools well under the 50 ms a picker may
    take (bench/run.py measures it)."""
    parts, params = [SEARCH_SELECT], [year or school_year(), school.id]
    if not include_left:
        parts.append(SEARCH_AT_SCHOOL)
        params.append(today().isoformat())
    for token in (query or "").split()[:8]:
        words = normalize(token).split()[:8]
        name = " AND ".join([SEARCH_WORD] * len(words))
        parts.append(f"AND (({name}) OR {SEARCH_GROUP}) " if words else f"AND {SEARCH_GROUP} ")
        params += [f"%{word}%" for word in words] + [token[:20].lower()]
    if group:
        parts.append(f"AND {SEARCH_GROUP} ")
        params.append(group.lower())
    parts.append(SEARCH_ORDER)
    params.append(limit)
    return [_pupil(school, row) for row in database.execute_sql(constant_sql("".join(parts)), params)]


def _date(value):
    """A date column as a date (SQLite returns its text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def group_years(school):
    """The school years for which the school has groups, newest first (this one always)."""
    years = {
        y
        for (y,) in PupilGroup.select(PupilGroup.school_year)
        .where(PupilGroup.school == school.id)
        .distinct()
        .tuples()
    }
    years.add(school_year())
    return sorted(years, reverse=True)


def group_names(school, year=None):
    """The names of the school's groups in ``year``, as a school lists them (1/2a … 8b)."""
    names = {
        n
        for (n,) in PupilGroup.select(PupilGroup.name)
        .where((PupilGroup.school == school.id) & (PupilGroup.school_year == (year or school_year())))
        .distinct()
        .tuples()
    }
    return sorted(names, key=lambda n: (grade_of(n) or 9, n.lower()))


def group_history(pupil):
    """[(school year, group name)] of ``pupil``, newest first."""
    return list(
        PupilGroup.select(PupilGroup.school_year, PupilGroup.name)
        .where(PupilGroup.pupil == pupil.id)
        .order_by(PupilGroup.school_year.desc())
        .tuples()
    )


def has_left(pupil, day=None):
    return pupil.left_on is not None and pupil.left_on <= (day or today())


def save(school, values, group="", pupil=None, user=None):
    """Add a pupil (``pupil`` None) or change one, with this year's group; audited in the
    same transaction. ``values``: las_number, first_name, prefix, last_name, birth_date,
    enrolled_on. Returns the pupil; raises PupilRefused when another pupil of the school
    has the LAS number (two people saving at once: the unique index decides)."""
    values = dict(values)
    values["search"] = search_text(
        values["first_name"], values.get("prefix", ""), values["last_name"], values["las_number"]
    )
    try:
        with atomic():
            if pupil is None:
                pupil = Pupil.create(school=school.id, **values)
                action = "pupil.new"
            else:
                Pupil.update(updated_at=utcnow(), **values).where(Pupil.id == pupil.id).execute()
                action = "pupil.edit"
            set_group(school, pupil, group)
            audit(action, school=school, user=user, detail=f"leerling {pupil.id}", pupil=pupil)
    except IntegrityError:
        raise PupilRefused("Dit leerlingnummer heeft al een andere leerling van de school.") from None
    return in_school(school, pupil.id)


def set_group(school, pupil, group, year=None):
    """Put ``pupil`` in ``group`` for ``year`` (this school year); "" takes the pupil out."""
    year = year or school_year()
    PupilGroup.delete().where((PupilGroup.pupil == pupil.id) & (PupilGroup.school_year == year)).execute()
    if group:
        PupilGroup.create(
            pupil=pupil.id, school=school.id, school_year=year, name=group, grade=grade_of(group)
        )


def mark_left(school, pupil, left_on, user=None):
    """Mark ``pupil`` as left on ``left_on`` (None: back at school). Never a deletion: the
    cases about the child stay, and the retention periods decide when the record goes."""
    with atomic():
        Pupil.update(left_on=left_on, updated_at=utcnow()).where(Pupil.id == pupil.id).execute()
        audit(
            "pupil.left" if left_on else "pupil.back",
            school=school,
            user=user,
            detail=f"leerling {pupil.id}" + (f": {left_on.isoformat()}" if left_on else ""),
            pupil=pupil,
        )


# ------------------------------------------------------------------ cases ----


def case_pupils(case):
    """The rows of ``case``'s pupils, linked ones first (by name), each with ``pupil`` (None
    when not linked), ``display`` (the name) and ``group``."""
    rows = list(CasePupil.select().where(CasePupil.case == case.id).order_by(CasePupil.id))
    linked = {p.id: p for p in Pupil.select().where(Pupil.id.in_([r.pupil_id for r in rows if r.pupil_id]))}
    names = groups_now(case.school, linked)
    for row in rows:
        pupil = linked.get(row.pupil_id)
        row.linked = pupil
        row.display = full_name(pupil) if pupil else row.name
        row.group = names.get(row.pupil_id, "") if pupil else ""
    return sorted(
        rows, key=lambda r: (r.linked is None, sort_key(r.linked) if r.linked else (r.name.lower(), "", r.id))
    )


def check_linkable(case, pupil):
    """Refuse a pupil that another school's or who left: a new link only for a pupil at
    school (a left pupil's cases stay, but nothing new is added to the file)."""
    if pupil is None or pupil.school_id != case.school_id:
        raise PupilRefused("Deze leerling staat niet in de leerlingenlijst van de school.")
    if has_left(pupil):
        raise PupilRefused(
            f"{full_name(pupil)} heeft de school verlaten en kan niet aan een nieuwe zaak worden gekoppeld."
        )


def link(case, pupil, user, role="betrokken", unlinked=None):
    """Name ``pupil`` in ``case`` with ``role`` (the row ``unlinked``, a typed name, becomes
    this link). Raises PupilRefused; audited. Call inside the change's transaction or alone."""
    check_linkable(case, pupil)
    if CasePupil.select().where((CasePupil.case == case.id) & (CasePupil.pupil == pupil.id)).exists():
        raise PupilRefused(f"{full_name(pupil)} staat al bij deze zaak.")
    with atomic():
        if unlinked is not None:
            CasePupil.update(
                pupil=pupil.id, role=role, linked_by=user.id if user else None, linked_at=utcnow()
            ).where(CasePupil.id == unlinked.id).execute()
        else:
            CasePupil.create(case=case.id, pupil=pupil.id, role=role, linked_by=user.id if user else None)
        audit("case.pupil.link", case=case, user=user, detail=f"leerling {pupil.id}: {role}", pupil=pupil)


def note_name(case, name, role="betrokken"):
    """Keep a typed name (a parent's form) as an unlinked pupil of ``case``."""
    name = (name or "").strip()[:200]
    if name:
        CasePupil.create(case=case.id, name=name, role=role)


def unlink(case, row, user):
    """Take a pupil (or a typed name) off ``case``; the name typed is kept when the row held one
    (it is what was said), else the row goes."""
    with atomic():
        if row.pupil_id and row.name:
            CasePupil.update(pupil=None).where(CasePupil.id == row.id).execute()
        else:
            CasePupil.delete().where(CasePupil.id == row.id).execute()
        audit(
            "case.pupil.unlink",
            case=case,
            user=user,
            detail=f"leerling {row.pupil_id}" if row.pupil_id else "naam",
            pupil=row.pupil_id,
        )
