"""Seed a benchmark database: the demo school with N cases of the test-only case type.

Bulk inserts (one ``insert_many`` statement, executed for every row in one
transaction), a fixed random seed, and a
spread that looks like a school's history: cases created over four years,
most old ones closed, recent ones open or in progress, a timeline of one to
four events, the checklist, deadlines (some overdue), 5 % confidential.
Every case is at one school: the worst case for that school's case list.
"""

import datetime
import random
import time
from urllib.parse import quote

from peewee import chunked

from portal import migrate
from portal.db import database
from portal.db import is_sqlite
from portal.demo import create_demo
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseCounter
from portal.models import CaseDeadline
from portal.models import CaseEvent
from portal.models import CasePupil
from portal.models import Pupil
from portal.models import PupilGroup
from portal.models import School
from portal.models import User
from portal.models import utcnow
from portal.pupils import grade_of
from portal.pupils import school_year
from portal.pupils import search_text
from portal.pupils.demo import _FIRST
from portal.pupils.demo import _LAST
from portal.pupils.demo import DEMO_PUPILS
from portal.registry import get_pm

CASE_TYPE = "testzaak.zaak"
PREFIX = "TZ"
SCHOOL = "klaverweide"
USER_EMAIL = "directie@klaverweide.demo"  # role directie at the demo school
YEARS = 4

TITLES = (
    "Melding ouder over pesten in groep {g}",
    "Incident op het schoolplein, groep {g}",
    "Vraag om gesprek over veiligheid, groep {g}",
    "Zorg over thuissituatie, groep {g}",
    "Schade aan spullen in groep {g}",
    "Ruzie bij het buitenspelen, groep {g}",
)
CHECKLIST = (
    ("testzaak.brief", "Brief verstuurd", True),
    ("testzaak.extra", "Extra melding gedaan", False),
    ("testzaak.optioneel", "Optioneel", False),
)


def _stamp(rng, dt):
    """Never a whole second: keeps the stored text and the cursor text alike."""
    return dt.replace(microsecond=rng.randrange(1, 1_000_000))


def _sql_value(value):
    """SQLite: the text peewee itself stores for dates and times; booleans as 0/1.
    PostgreSQL takes both as they are (its columns are typed)."""
    if not is_sqlite():
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _insert(model, fields, rows):
    """Bulk insert: one INSERT statement, executemany for all rows (in the caller's transaction).

    (peewee's ``insert_many(...).execute()`` spends ~70 µs a row in Python:
    800,000 rows would take over a minute; this takes a few seconds.)
    Fields left out get their peewee default (the tables have no SQL defaults).
    """
    given = {f.name for f in fields}
    extra = [
        f
        for f in model._meta.sorted_fields
        if f.name not in given and f.default is not None and not callable(f.default)
    ]
    fields = list(fields) + extra
    tail = tuple(f.default for f in extra)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join(database.param for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'  # noqa: S608 (names from the models)
    cursor = database.cursor()
    if not is_sqlite():
        # psycopg2's executemany sends one statement per row (a round trip each: minutes for
        # 100,000 cases); execute_values sends a thousand rows per statement.
        from psycopg2.extras import execute_values

        head = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES %s'  # noqa: S608 (names from the models)
        execute_values(cursor, head, [row + tail for row in rows], page_size=1000)
        return
    for batch in chunked(rows, 5000):
        cursor.executemany(sql, [tuple(_sql_value(v) for v in row + tail) for row in batch])


def seed_cases(n, rng_seed=2026, log=print):
    """Insert ``n`` cases at the demo school; call inside an app context with the db open."""
    t0 = time.perf_counter()
    rng = random.Random(rng_seed)
    school = School.get(School.slug == SCHOOL)
    directie = User.get(User.email == USER_EMAIL)
    ib = User.get(User.email == "ib@klaverweide.demo")
    now = utcnow()
    span = datetime.timedelta(days=365 * YEARS).total_seconds()

    created = sorted(now - datetime.timedelta(seconds=rng.random() * span) for _ in range(n))
    counters = {}
    cases, events, checklist, deadlines = [], [], [], []
    first_id = (Case.select(Case.id).order_by(Case.id.desc()).scalar() or 0) + 1  # after demo cases
    for case_id, created_at in enumerate(created, start=first_id):
        created_at = _stamp(rng, created_at)
        age = now - created_at
        counters[created_at.year] = counters.get(created_at.year, 0) + 1
        reference = f"{PREFIX}-{created_at.year}-{counters[created_at.year]:04d}"
        # How long the case stayed active: days to a few months.
        active = datetime.timedelta(days=min(rng.expovariate(1 / 25), 200))
        if age > datetime.timedelta(days=120):
            state = "klaar" if rng.random() < 0.97 else rng.choice(("nieuw", "bezig"))
        else:
            state = rng.choices(("nieuw", "bezig", "klaar"), (30, 45, 25))[0]
        if state == "nieuw":
            updated_at = created_at
        elif state == "bezig":  # last touched somewhere between creation and now
            updated_at = _stamp(rng, created_at + age * rng.random() ** 0.5)
        else:  # closed after a while, before now
            updated_at = _stamp(rng, created_at + min(active, age * rng.random()))
        started_at = created_at + (updated_at - created_at) * 0.2
        closed_at = updated_at if state == "klaar" else None
        assignee = None if state == "nieuw" and rng.random() < 0.8 else rng.choice((directie, ib))
        cases.append(
            (
                case_id,
                school.id,
                CASE_TYPE,
                reference,
                state,
                rng.choice(TITLES).format(g=rng.randint(1, 8)),
                assignee.id if assignee else None,
                directie.id,
                created_at,
                updated_at,
                closed_at,
                rng.random() < 0.05,
                (closed_at + datetime.timedelta(days=30)).date() if closed_at else None,
            )
        )
        events.append(
            (case_id, created_at, "created", directie.id, directie.name, "", "", "nieuw", "Zaak aangemaakt.")
        )
        if state != "nieuw":
            events.append(
                (
                    case_id,
                    started_at,
                    "transition",
                    directie.id,
                    directie.name,
                    "testzaak.start",
                    "nieuw",
                    "bezig",
                    "",
                )
            )
        if rng.random() < 0.3:
            note_at = created_at + (updated_at - created_at) * 0.5
            events.append(
                (
                    case_id,
                    note_at,
                    "note",
                    directie.id,
                    directie.name,
                    "",
                    "",
                    "",
                    "Gesprek gevoerd met de ouders; afspraken vastgelegd.",
                )
            )
        if state == "klaar":
            events.append(
                (
                    case_id,
                    updated_at,
                    "transition",
                    directie.id,
                    directie.name,
                    "testzaak.sluit",
                    "bezig",
                    "klaar",
                    "",
                )
            )
        for pos, (name, label, required) in enumerate(CHECKLIST):
            done = closed_at.date() if closed_at and (required or pos == 1) else None
            checklist.append((case_id, name, label, required, pos, done, directie.id if done else None))
        deadlines.append(
            (
                case_id,
                "testzaak.reactie",
                "Reactie binnen 5 schooldagen",
                (created_at + datetime.timedelta(days=7)).date(),
                started_at if state != "nieuw" else None,
            )
        )
        if state != "nieuw":
            deadlines.append(
                (
                    case_id,
                    "testzaak.kalender",
                    "Binnen 10 kalenderdagen",
                    (started_at + datetime.timedelta(days=10)).date(),
                    closed_at,
                )
            )

    with database.atomic():
        _insert(
            Case,
            [
                Case.id,
                Case.school,
                Case.case_type,
                Case.reference,
                Case.state,
                Case.title,
                Case.assignee,
                Case.created_by,
                Case.created_at,
                Case.updated_at,
                Case.closed_at,
                Case.confidential,
                Case.retention_until,
            ],
            cases,
        )
        _insert(
            CaseEvent,
            [
                CaseEvent.case,
                CaseEvent.at,
                CaseEvent.kind,
                CaseEvent.user,
                CaseEvent.actor,
                CaseEvent.transition,
                CaseEvent.from_state,
                CaseEvent.to_state,
                CaseEvent.text,
            ],
            events,
        )
        _insert(
            CaseChecklistItem,
            [
                CaseChecklistItem.case,
                CaseChecklistItem.name,
                CaseChecklistItem.label,
                CaseChecklistItem.required,
                CaseChecklistItem.position,
                CaseChecklistItem.done_at,
                CaseChecklistItem.done_by,
            ],
            checklist,
        )
        _insert(
            CaseDeadline,
            [
                CaseDeadline.case,
                CaseDeadline.name,
                CaseDeadline.label,
                CaseDeadline.due_date,
                CaseDeadline.met_at,
            ],
            deadlines,
        )
        _insert(
            CaseCounter,
            [CaseCounter.school, CaseCounter.prefix, CaseCounter.year, CaseCounter.last],
            [(school.id, PREFIX, year, last) for year, last in counters.items()],
        )
    log(
        f"  {n:,} cases, {len(events):,} events, {len(checklist):,} checklist items, "
        f"{len(deadlines):,} deadlines in {time.perf_counter() - t0:.1f} s"
    )
    return school


# The pupil figures of the benchmark: 30 schools of 2,000 pupils (the demo school's 200
# demo pupils topped up), and one pupil with 50 cases for the chronology.
SCHOOLS = 30
PUPILS_PER_SCHOOL = 2000
CHRONOLOGY_CASES = 50
CHRONOLOGY_PUPIL = DEMO_PUPILS["Daan Vos"]
GROUP_NAMES = ("1/2a", "1/2b", "3a", "3b", "4a", "4b", "5a", "5b", "6a", "6b", "7a", "7b", "8a", "8b")
# What people type into the picker: first names, last names, a prefix, a number, a group,
# two letters (many matches), and words that match nobody (every row of the school read).
PICKER_QUERIES = ("daan", "vos", "de", "van der", "1001", "6b", "emma v", "berg", "zzq", "celik")


def seed_pupils(school, rng_seed=11, log=print):
    """SCHOOLS schools of PUPILS_PER_SCHOOL pupils each (the demo school is one of them),
    with this school year's groups, 4 % of them left; CHRONOLOGY_CASES of the demo school's
    cases linked to one demo pupil. Returns that pupil's id."""
    t0 = time.perf_counter()
    rng = random.Random(rng_seed)
    now = utcnow()
    year = school_year()
    schools = [school] + [
        School.create(slug=f"bench-{n:02d}", name=f"Benchschool {n:02d}") for n in range(1, SCHOOLS)
    ]
    first_id = (Pupil.select(Pupil.id).order_by(Pupil.id.desc()).scalar() or 0) + 1
    pupils, groups = [], []
    for s in schools:
        have = Pupil.select().where(Pupil.school == s.id).count()
        for n in range(have, PUPILS_PER_SCHOOL):
            first = rng.choice(_FIRST)
            prefix, last = rng.choice(_LAST)
            number = str(500000 + n)
            left = (
                (now - datetime.timedelta(days=rng.randrange(1, 700))).date() if rng.random() < 0.04 else None
            )
            born = datetime.date(2013, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 8))
            pupil_id = first_id + len(pupils)
            pupils.append(
                (
                    pupil_id,
                    s.id,
                    number,
                    first,
                    prefix,
                    last,
                    born,
                    left,
                    search_text(first, prefix, last, number),
                    now,
                    now,
                )
            )
            name = rng.choice(GROUP_NAMES)
            groups.append((pupil_id, s.id, year, name, grade_of(name)))
    subject = Pupil.get((Pupil.school == school.id) & (Pupil.las_number == CHRONOLOGY_PUPIL))
    cases = [
        c.id
        for c in Case.select(Case.id)
        .where((Case.school == school.id) & (Case.case_type == CASE_TYPE))
        .order_by(Case.id)
    ]
    linked = rng.sample(cases, min(CHRONOLOGY_CASES, len(cases)))
    with database.atomic():
        _insert(
            Pupil,
            [
                Pupil.id,
                Pupil.school,
                Pupil.las_number,
                Pupil.first_name,
                Pupil.prefix,
                Pupil.last_name,
                Pupil.birth_date,
                Pupil.left_on,
                Pupil.search,
                Pupil.created_at,
                Pupil.updated_at,
            ],
            pupils,
        )
        _insert(
            PupilGroup,
            [PupilGroup.pupil, PupilGroup.school, PupilGroup.school_year, PupilGroup.name, PupilGroup.grade],
            groups,
        )
        _insert(
            CasePupil,
            [CasePupil.case, CasePupil.pupil, CasePupil.role, CasePupil.linked_at],
            [
                (case_id, subject.id, rng.choice(("betrokken", "slachtoffer", "getuige")), now)
                for case_id in linked
            ],
        )
    total = Pupil.select().count()
    log(
        f"  {total:,} pupils at {len(schools)} schools, {len(linked)} cases about one pupil "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return subject.id


def targets(school, rng_seed=7, how_many=20):
    """URLs the load generator requests: detail pages and a cursor halfway down the list."""
    rng = random.Random(rng_seed)
    open_cases = (
        Case.select(Case.id, Case.updated_at)
        .where((Case.school == school.id) & Case.closed_at.is_null())
        .order_by(Case.updated_at.desc(), Case.id.desc())
    )
    total_open = open_cases.count()
    # OFFSET at seed time only (and not .get(): peewee's .get() drops the offset).
    middle = list(open_cases.offset(total_open // 2).limit(1))[0]
    cursor = f"{middle.updated_at.isoformat()}_{middle.id}"
    busy = [
        c.reference
        for c in Case.select(Case.reference)
        .where(
            (Case.school == school.id) & (Case.state == "bezig") & (Case.confidential == False)  # noqa: E712
        )
        .order_by(Case.id)
    ]
    refs = rng.sample(busy, min(how_many, len(busy)))
    return {
        "open_cases": total_open,
        "deep_cursor": cursor,
        "deep_list": f"/{SCHOOL}/zaken/?na={quote(cursor)}",
        "list": f"/{SCHOOL}/zaken/",
        "dashboard": f"/{SCHOOL}/",
        "floor": f"/bench-floor/{SCHOOL}",
        "details": [f"/{SCHOOL}/zaken/{quote(r)}" for r in refs],
    }


def database_url(path_or_url):
    """A ``sqlite:///`` URL for a file path; a URL as it is."""
    return path_or_url if "://" in path_or_url else f"sqlite:///{path_or_url}"


def _postgres_after_seeding():
    """The bulk inserts gave ids themselves (cases, pupils): move every table's id sequence
    past its rows, or the portal's next case (a complaint) would take an id in use. Then
    ANALYZE, so that the planner knows the seeded rows (autovacuum would, later)."""
    tables = database.execute_sql(
        "SELECT c.table_name, pg_get_serial_sequence(quote_ident(c.table_name), 'id') "
        "FROM information_schema.columns AS c WHERE c.table_schema = 'public' AND c.column_name = 'id'"
    ).fetchall()
    for table, sequence in tables:
        if sequence:
            database.execute_sql(
                f'SELECT setval(%s, COALESCE((SELECT MAX("id") FROM "{table}"), 0) + 1, false)',  # noqa: S608 (names from the catalog)
                (sequence,),
            )
    database.execute_sql("ANALYZE")


def seed_database(path, n, log=print):
    """Seed the database at ``path`` (a SQLite file path, or a ``sqlite:///`` or
    ``postgresql://`` URL of an empty database) with the demo school and ``n`` cases."""
    import os

    os.environ["BENCH_DATABASE_URL"] = database_url(path)
    from bench.app import create_app

    app = create_app()
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            if is_sqlite():
                # A throwaway file: no fsync while seeding, and room to build the indexes.
                database.execute_sql("PRAGMA synchronous=OFF")
                database.execute_sql("PRAGMA cache_size=-400000")
            migrate.upgrade(get_pm(), log=lambda *_: None)
            create_demo(get_pm(), log=lambda *_: None)
            school = seed_cases(n, log=log)
            pupil_id = seed_pupils(school, log=log)
            info = targets(school)
            info["picker"] = [f"/{SCHOOL}/leerlingen/kiezen?q={quote(q)}" for q in PICKER_QUERIES]
            info["chronology"] = f"/{SCHOOL}/leerlingen/{pupil_id}"
            if is_sqlite():
                database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                _postgres_after_seeding()
        finally:
            database.close()
    return info
