"""Importing the register from the school's administration: a CSV export of ParnasSys or ESIS.

The steps, the same for the upload pages (``views``) and the nightly command (``cli``):

1. ``read_table``: the bytes become rows. UTF-8 (with or without a byte order mark),
   Windows-1252 (what Excel writes on a Dutch Windows PC) or UTF-16 with a byte order mark
   (Excel's "Unicode-tekst"); the separator is the one the header row uses most (``;``,
   ``,`` or a tab). A file that is no CSV at all (an Excel workbook, an empty file, one
   column) is refused as a whole with a Dutch reason (``FileRefused``).
2. ``guess_mapping``: which column holds what, from the header's names (ParnasSys, ESIS and
   EDEX names; case, spaces and accents do not matter). A layout with other names gets a
   column-mapping step (the pages) first.
3. ``read_rows``: every row checked; a row that cannot be taken gets a Dutch reason with its
   line number in the file, and the others go on.
4. ``make_plan``: compared with the register: new pupils, changed ones (what changes), pupils
   back at school, pupils who left (in a full export: every pupil at school whose number is
   missing; never deleted), unchanged ones. Nothing is written: this is the preview.
5. ``apply``: the plan made again inside one transaction and written, with an audit row per
   pupil and one for the import; a plan that differs from the one previewed is refused
   (someone changed the register in between), so what was confirmed is what happens.

Matching is on the LAS number only, so importing the same file twice changes nothing the
second time. An empty cell never erases what the register knows (a date, a group), except
the prefix, which is part of the name.

Between the preview and the confirmation the upload is kept in ``<instance>/pupil-imports/``
(``Pending``): encrypted with a key derived from SECRET_KEY, mode 0600, with the user and
school that uploaded it; only they can confirm it, and it is removed after the confirmation
or within the hour.
"""

import codecs
import csv
import datetime
import hashlib
import io
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from dataclasses import field

from ..audit import audit
from ..dates import today
from ..db import atomic
from ..models import Pupil
from ..models import PupilGroup
from ..models import utcnow
from ..secretbox import open_sealed
from ..secretbox import seal
from . import full_name
from . import grade_of
from . import has_left
from . import school_year
from . import search_text

MAX_BYTES = 2 * 1024 * 1024  # a school of 2,000 pupils exports about 200 kB
MAX_ROWS = 10_000
# A full export that would mark more than this share of the pupils at school as left is
# probably cut short (an export that stopped halfway): the nightly command refuses it and
# the preview warns. Groep 8 leaving in the summer is about an eighth.
MANY_LEFT_SHARE = 0.25
MANY_LEFT_MIN = 5

# (key, label, required): what a column can hold, in the order the mapping step asks.
FIELDS = (
    ("las_number", "Leerlingnummer", True),
    ("first_name", "Roepnaam of voornaam", True),
    ("prefix", "Tussenvoegsel", False),
    ("last_name", "Achternaam", True),
    ("birth_date", "Geboortedatum", False),
    ("group", "Groep", False),
    ("enrolled_on", "Ingeschreven op", False),
    ("left_on", "Uitgeschreven op", False),
)
LABELS = {key: label for key, label, _ in FIELDS}
REQUIRED = tuple(key for key, _, required in FIELDS if required)

# The header names each field is recognised by (lower case, only letters and digits), the
# best first: a file with Roepnaam and Voornamen gives the name the child is called by.
HEADERS = {
    "las_number": (
        "leerlingnummer",
        "leerlingnr",
        "llnr",
        "leerlingnummerlas",
        "lasnummer",
        "stamnummer",
        "leerlingid",
    ),
    "first_name": ("roepnaam", "voornaam", "voornamen", "roepnaamleerling"),
    "prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels", "tussenv", "voorv"),
    "last_name": ("achternaam", "geslachtsnaam", "familienaam", "achternaamleerling"),
    "birth_date": ("geboortedatum", "gebdatum", "geboortedat", "geboren"),
    "group": ("groep", "groepsnaam", "stamgroep", "basisgroep", "groepscode", "klas", "jaargroep"),
    "enrolled_on": (
        "datuminschrijving",
        "inschrijfdatum",
        "inschrijvingsdatum",
        "datumvaninschrijving",
        "ingeschrevenop",
        "instroomdatum",
        "datuminschool",
    ),
    "left_on": (
        "datumuitschrijving",
        "uitschrijfdatum",
        "uitschrijvingsdatum",
        "datumvanuitschrijving",
        "uitgeschrevenop",
        "uitstroomdatum",
        "vertrekdatum",
    ),
}

MAX_LENGTH = {"las_number": 40, "first_name": 100, "prefix": 40, "last_name": 150, "group": 20}
LAS_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z./-]*")
DATE_RE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class FileRefused(Exception):
    """The file as a whole cannot be imported; ``reason`` says why, in Dutch."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Table:
    headers: list
    rows: list  # [(line number in the file, [cell, ...])]
    encoding: str
    separator: str

    @property
    def description(self):
        sep = {";": "puntkomma", ",": "komma", "\t": "tab"}[self.separator]
        return f"{self.encoding}, gescheiden door {sep}, {len(self.rows)} rijen"


@dataclass
class Record:
    """One row that can be imported. An optional field the file has no column for (or
    whose cell is empty) is None: the register keeps what it knows."""

    line: int
    las_number: str
    first_name: str
    prefix: str | None
    last_name: str
    birth_date: datetime.date | None = None
    group: str | None = None
    enrolled_on: datetime.date | None = None
    left_on: datetime.date | None = None

    @property
    def name(self):
        return " ".join(p for p in (self.first_name, self.prefix, self.last_name) if p)


@dataclass
class RowError:
    line: int
    reason: str
    # The row has no readable LAS number: whose row it is cannot be told.
    number_unknown: bool = False

    @property
    def text(self):
        return f"Rij {self.line}: {self.reason}"


@dataclass
class Plan:
    new: list = field(default_factory=list)  # [Record]
    changed: list = field(default_factory=list)  # [(Pupil, Record, [change text])]
    back: list = field(default_factory=list)  # [(Pupil, Record)]: at school again
    left: list = field(default_factory=list)  # [Pupil]: missing from a full export
    unchanged: int = 0
    errors: list = field(default_factory=list)  # [RowError]
    full: bool = True
    # A full export in which some rows had no readable number marks nobody as left: the
    # pupil on such a row would be marked by mistake.
    left_skipped: bool = False
    at_school: int = 0  # pupils at school before the import

    def counts(self):
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "back": len(self.back),
            "left": len(self.left),
            "unchanged": self.unchanged,
            "refused": len(self.errors),
        }

    def summary(self):
        c = self.counts()
        return (
            f"nieuw {c['new']}, gewijzigd {c['changed']}, terug {c['back']}, "
            f"vertrokken {c['left']}, ongewijzigd {c['unchanged']}, geweigerde rijen {c['refused']}"
        )

    @property
    def many_left(self):
        """More pupils would be marked as left than a normal export explains."""
        return len(self.left) > MANY_LEFT_MIN and len(self.left) > MANY_LEFT_SHARE * self.at_school

    def fingerprint(self):
        """What the plan would do, as a short hash: the confirmation must match the preview."""
        parts = [f"n{r.las_number}" for r in self.new]
        parts += [f"c{p.id}:{'|'.join(ch)}" for p, _r, ch in self.changed]
        parts += [f"b{p.id}" for p, _r in self.back]
        parts += [f"l{p.id}" for p in self.left]
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:32]


# ------------------------------------------------------------ the file ----


def _decode(data):
    """(text, encoding name) of the file's bytes, or FileRefused."""
    if not data.strip():
        raise FileRefused("Het bestand is leeg.")
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(
            "Dit is een Excel-bestand, geen CSV-bestand. Kies in Excel ‘Opslaan als’ en dan "
            "‘CSV UTF-8 (door komma’s gescheiden)’ of ‘CSV (gescheiden door lijstscheidingsteken)’."
        )
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise FileRefused(_ENCODING_MESSAGE) from None
    if b"\x00" in data:
        raise FileRefused("Dit is geen tekstbestand. Kies de CSV-export van de leerlingenadministratie.")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            raise FileRefused(_ENCODING_MESSAGE) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FileRefused(_ENCODING_MESSAGE) from None


_ENCODING_MESSAGE = (
    "De tekens in het bestand zijn niet te lezen: het is geen UTF-8 en geen Windows-1252. "
    "Sla het bestand opnieuw op als ‘CSV UTF-8’."
)


def _separator(line):
    """The separator the header row uses most, outside quotes."""
    counts, quoted = {";": 0, ",": 0, "\t": 0}, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else None


def read_table(data):
    """The file's bytes as a Table, or FileRefused (in Dutch)."""
    if len(data) > MAX_BYTES:
        raise FileRefused(
            f"Het bestand is te groot (meer dan {MAX_BYTES // (1024 * 1024)} MB). Een export van "
            "alleen de leerlinggegevens is veel kleiner."
        )
    text, encoding = _decode(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    # Excel may write its separator on a line of its own before the header: "sep=;".
    told = re.fullmatch(r"\s*sep=([;,\t])\s*", header_line)
    separator = told.group(1) if told else _separator(header_line)
    if separator is None:
        raise FileRefused(
            "Het bestand heeft maar één kolom. Gebruik een CSV-bestand waarin de kolommen "
            "gescheiden zijn door een puntkomma (;) of een komma (,)."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    headers, rows = None, []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # an empty line (also the ;;;; Excel leaves)
            if told:
                told = None  # the "sep=" line, not the header
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused(f"Het bestand heeft meer dan {MAX_ROWS:,} rijen.".replace(",", "."))
            rows.append((reader.line_num, cells))
    except csv.Error:
        raise FileRefused(
            f"Het bestand is geen geldige CSV: rij {reader.line_num} is niet te lezen "
            "(een aanhalingsteken dat niet gesloten wordt?)."
        ) from None
    if not rows:
        raise FileRefused("Het bestand heeft geen leerlingen: alleen een kopregel of niets.")
    if _looks_like_data(headers):
        raise FileRefused(
            "Het bestand heeft geen kopregel: de eerste regel moet de namen van de kolommen "
            "geven (Leerlingnummer, Roepnaam, Achternaam …)."
        )
    return Table(headers=headers, rows=rows, encoding=encoding, separator=separator)


def _key(header):
    plain = unicodedata.normalize("NFKD", header)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", plain)


def _looks_like_data(headers):
    """A first row with none of the known names and a date or a number in it is a pupil,
    not a header."""
    known = {name for names in HEADERS.values() for name in names}
    if any(_key(h) in known for h in headers):
        return False
    return any(DATE_RE.fullmatch(h) or ISO_RE.fullmatch(h) or h.isdigit() for h in headers if h)


def guess_mapping(headers):
    """{field: column index} for the columns whose names are known."""
    keys = [_key(h) for h in headers]
    mapping = {}
    for name, names in HEADERS.items():
        for candidate in names:
            if candidate in keys:
                mapping[name] = keys.index(candidate)
                break
    return mapping


def missing(mapping):
    """The labels of the required fields ``mapping`` has no column for."""
    return [LABELS[key] for key in REQUIRED if mapping.get(key) is None]


# ------------------------------------------------------------- the rows ----


def _date(text, label, *, past=False):
    """A date written dd-mm-jjjj (or d-m-jjjj, with / or .; or jjjj-mm-dd); None when empty."""
    text = text.strip()
    if not text:
        return None
    m = DATE_RE.fullmatch(text)
    if m:
        day, month, year = (int(x) for x in m.groups())
    elif m := ISO_RE.fullmatch(text):
        year, month, day = (int(x) for x in m.groups())
    else:
        raise ValueError(f"{label} “{text[:20]}” is geen datum in de vorm dd-mm-jjjj.")
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"{label} “{text[:20]}” bestaat niet.") from None
    if not 1900 <= year <= 2100:
        raise ValueError(f"{label} “{text[:20]}” ligt niet in een mogelijk jaar.")
    if past and value > today():
        raise ValueError(f"{label} “{text[:20]}” ligt in de toekomst.")
    return value


def read_rows(table, mapping):
    """([Record], [RowError], numbers seen): every row checked. A number that appears on
    more than one row is refused on each of them: which one is right cannot be told."""
    records, errors, seen_lines = [], [], {}
    for line, cells in table.rows:
        values = {key: _cell(cells, mapping.get(key)) for key, _label, _req in FIELDS}
        problems = []
        for key, value in values.items():
            if value and CONTROL_RE.search(value):
                problems.append(f"{LABELS[key]} bevat ongeldige tekens.")
                values[key] = ""
            elif value and key in MAX_LENGTH and len(value) > MAX_LENGTH[key]:
                problems.append(f"{LABELS[key]} is langer dan {MAX_LENGTH[key]} tekens.")
        number = values["las_number"] or ""
        if not number:
            problems.insert(0, "het leerlingnummer ontbreekt.")
        elif not LAS_RE.fullmatch(number) or len(number) > MAX_LENGTH["las_number"]:
            problems.insert(0, f"het leerlingnummer “{number[:40]}” kan niet (alleen cijfers en letters).")
            number = ""
        else:
            seen_lines.setdefault(number, []).append(line)
        if not values["first_name"]:
            problems.append("de roepnaam of voornaam ontbreekt.")
        if not values["last_name"]:
            problems.append("de achternaam ontbreekt.")
        dates = {}
        for key, past in (("birth_date", True), ("enrolled_on", False), ("left_on", False)):
            try:
                dates[key] = _date(values[key] or "", LABELS[key], past=past)
            except ValueError as exc:
                problems.append(str(exc))
        if dates.get("enrolled_on") and dates.get("left_on") and dates["left_on"] < dates["enrolled_on"]:
            problems.append("de datum van uitschrijving ligt voor de datum van inschrijving.")
        if problems:
            errors.append(RowError(line, _sentence(problems), number_unknown=not number))
            continue
        records.append(
            Record(
                line=line,
                las_number=number,
                first_name=values["first_name"],
                prefix=values["prefix"] if mapping.get("prefix") is not None else None,
                last_name=values["last_name"],
                birth_date=dates["birth_date"],
                group=values["group"] or None,
                enrolled_on=dates["enrolled_on"],
                left_on=dates["left_on"],
            )
        )
    twice = {n: lines for n, lines in seen_lines.items() if len(lines) > 1}
    if twice:
        kept = []
        for record in records:
            lines = twice.get(record.las_number)
            if lines is None:
                kept.append(record)
                continue
            others = " en ".join(str(x) for x in lines)
            errors.append(
                RowError(
                    record.line,
                    f"leerlingnummer {record.las_number} staat meer dan eens in het bestand "
                    f"(rijen {others}); geen van die rijen is ingelezen.",
                )
            )
        records = kept
        errors.sort(key=lambda e: e.line)
    return records, errors, set(seen_lines)


def _cell(cells, index):
    """The cell in column ``index``, stripped; None without such a column (a short row)."""
    if index is None or index >= len(cells):
        return None
    return cells[index].strip()


def _sentence(problems):
    text = " ".join(problems)
    return text[0].upper() + text[1:]


# ------------------------------------------------------------- the plan ----


def make_plan(school, records, errors, numbers_seen, *, full=True, readable=True):
    """What importing ``records`` would do to ``school``'s register (nothing is written).

    ``numbers_seen``: every readable number in the file, also on refused rows (a pupil
    whose row had a bad date is still at school). ``readable``: False when some row had no
    readable number: then a full export marks nobody as left."""
    year = school_year()
    pupils = {p.las_number: p for p in Pupil.select().where(Pupil.school == school.id)}
    groups = dict(
        PupilGroup.select(PupilGroup.pupil, PupilGroup.name)
        .where((PupilGroup.school == school.id) & (PupilGroup.school_year == year))
        .tuples()
    )
    plan = Plan(errors=list(errors), full=full)
    plan.at_school = sum(1 for p in pupils.values() if not has_left(p))
    for record in records:
        pupil = pupils.get(record.las_number)
        if pupil is None:
            plan.new.append(record)
            continue
        pupil.group = groups.get(pupil.id, "")
        changes = _changes(pupil, record)
        if has_left(pupil) and (record.left_on is None or record.left_on > today()):
            plan.back.append((pupil, record))
        elif changes:
            plan.changed.append((pupil, record, changes))
        else:
            plan.unchanged += 1
    if full:
        if readable:
            plan.left = sorted(
                (p for n, p in pupils.items() if n not in numbers_seen and not has_left(p)),
                key=lambda p: (p.last_name.lower(), p.first_name.lower(), p.id),
            )
        else:
            plan.left_skipped = True
    return plan


def _changes(pupil, record):
    """What importing ``record`` changes in ``pupil``, as Dutch lines ("Groep: 4a → 5a")."""
    from ..dates import nl_date

    out = []

    def differs(label, old, new, show=str):
        if new is not None and new != old:
            out.append(f"{label}: {show(old) if old else '–'} → {show(new) if new else '–'}")

    differs("Voornaam", pupil.first_name, record.first_name)
    differs("Tussenvoegsel", pupil.prefix, record.prefix)
    differs("Achternaam", pupil.last_name, record.last_name)
    differs("Geboortedatum", pupil.birth_date, record.birth_date, nl_date)
    differs("Groep", pupil.group, record.group)
    differs("Ingeschreven op", pupil.enrolled_on, record.enrolled_on, nl_date)
    differs("Uitgeschreven op", pupil.left_on, record.left_on, nl_date)
    return out


class PlanChanged(Exception):
    """The register changed between the preview and the confirmation."""


def plan_file(school, table, mapping, *, full=True):
    """The plan for ``table`` read with ``mapping`` (see ``make_plan``)."""
    records, errors, seen = read_rows(table, mapping)
    readable = not any(e.number_unknown for e in errors)
    return make_plan(school, records, errors, seen, full=full, readable=readable)


def apply(school, table, mapping, *, full=True, user=None, expected=None, source="upload"):
    """Write the plan in one transaction (everything or nothing); returns the plan.

    ``expected``: the fingerprint of the plan that was previewed; a different plan now
    raises PlanChanged and nothing is written."""
    with atomic():
        plan = plan_file(school, table, mapping, full=full)
        if expected is not None and plan.fingerprint() != expected:
            raise PlanChanged()
        year = school_year()
        now = utcnow()
        for record in plan.new:
            pupil = Pupil.create(
                school=school.id,
                las_number=record.las_number,
                first_name=record.first_name,
                prefix=record.prefix or "",
                last_name=record.last_name,
                birth_date=record.birth_date,
                enrolled_on=record.enrolled_on,
                left_on=record.left_on,
                search=search_text(
                    record.first_name, record.prefix or "", record.last_name, record.las_number
                ),
            )
            if record.group:
                _set_group(school, pupil, record.group, year)
            audit("pupil.import.new", school=school, user=user, detail=f"leerling {pupil.id}", pupil=pupil)
        for pupil, record, _changes_made in plan.changed:
            _update(school, pupil, record, year, now, left_on=record.left_on or pupil.left_on)
            audit("pupil.import.edit", school=school, user=user, detail=f"leerling {pupil.id}", pupil=pupil)
        for pupil, record in plan.back:
            _update(school, pupil, record, year, now, left_on=record.left_on)
            audit("pupil.import.back", school=school, user=user, detail=f"leerling {pupil.id}", pupil=pupil)
        day = today()
        for pupil in plan.left:
            Pupil.update(left_on=day, updated_at=now).where(Pupil.id == pupil.id).execute()
            audit(
                "pupil.import.left",
                school=school,
                user=user,
                detail=f"leerling {pupil.id}: {day.isoformat()}",
                pupil=pupil,
            )
        audit(
            "pupil.import",
            school=school,
            user=user,
            detail=f"{source}: {plan.summary()}{' (volledige export)' if full else ''}",
        )
    return plan


def _update(school, pupil, record, year, now, left_on):
    first = record.first_name
    prefix = pupil.prefix if record.prefix is None else record.prefix
    last = record.last_name
    Pupil.update(
        first_name=first,
        prefix=prefix,
        last_name=last,
        birth_date=record.birth_date or pupil.birth_date,
        enrolled_on=record.enrolled_on or pupil.enrolled_on,
        left_on=left_on,
        search=search_text(first, prefix, last, pupil.las_number),
        updated_at=now,
    ).where(Pupil.id == pupil.id).execute()
    if record.group and record.group != pupil.group:
        _set_group(school, pupil, record.group, year)


def _set_group(school, pupil, name, year):
    PupilGroup.delete().where((PupilGroup.pupil == pupil.id) & (PupilGroup.school_year == year)).execute()
    PupilGroup.create(pupil=pupil.id, school=school.id, school_year=year, name=name, grade=grade_of(name))


def describe(pupil):
    """ "Daan Vos (100126)" for the preview and the command's output."""
    return f"{full_name(pupil)} ({pupil.las_number})"


# --------------------------------------------------- between the two steps ----


class Pending:
    """An uploaded file waiting for its confirmation, in ``<instance>/pupil-imports/``.

    ``<token>.csv`` holds the bytes encrypted (secretbox, a key derived from SECRET_KEY),
    ``<token>.json`` who uploaded it for which school, when, and the choices made since
    (column mapping, full export). Both are mode 0600 in a folder of mode 0700. A token is
    random; the pages also check the user and the school, so a token alone opens nothing."""

    MAX_AGE = 3600  # seconds
    TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32}")
    PURPOSE = "pupil import"

    def __init__(self, instance_path):
        self.folder = os.path.join(instance_path, "pupil-imports")

    def _path(self, token, ext):
        if not self.TOKEN_RE.fullmatch(token or ""):
            raise KeyError(token)
        return os.path.join(self.folder, f"{token}.{ext}")

    def _write(self, path, text):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)

    def store(self, data, user_id, school_id, full=True):
        """Keep ``data``; returns its token. Old uploads are cleared away first."""
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        os.chmod(self.folder, 0o700)
        self.sweep()
        token = secrets.token_urlsafe(24)
        # latin-1 maps every byte to one character: the sealed text gives the bytes back.
        self._write(self._path(token, "csv"), seal(data.decode("latin-1"), self.PURPOSE))
        self._write(
            self._path(token, "json"),
            json.dumps(
                {"user": user_id, "school": school_id, "at": time.time(), "full": bool(full), "mapping": None}
            ),
        )
        return token

    def load(self, token, user_id, school_id):
        """(bytes, meta) of the upload ``token`` if ``user_id`` made it for ``school_id``
        and it is not stale; else KeyError."""
        try:
            with open(self._path(token, "json"), encoding="utf-8") as f:
                meta = json.load(f)
            if meta["user"] != user_id or meta["school"] != school_id:
                raise KeyError(token)
            if time.time() - meta["at"] > self.MAX_AGE:
                self.discard(token)
                raise KeyError(token)
            with open(self._path(token, "csv"), encoding="utf-8") as f:
                sealed = f.read()
        except (OSError, ValueError, TypeError):
            raise KeyError(token) from None
        text = open_sealed(sealed, self.PURPOSE)
        if not text:  # another SECRET_KEY: as good as gone
            raise KeyError(token)
        return text.encode("latin-1"), meta

    def update(self, token, **changes):
        path = self._path(token, "json")
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
        meta.update(changes)
        self._write(path, json.dumps(meta))

    def claim(self, token):
        """Take the upload for its confirmation: True for exactly one of two requests that
        confirm at the same moment (a rename is atomic)."""
        try:
            os.rename(self._path(token, "json"), self._path(token, "json") + ".busy")
        except OSError:
            return False
        return True

    def release(self, token):
        """Give a claimed upload back (the confirmation was refused)."""
        try:
            os.rename(self._path(token, "json") + ".busy", self._path(token, "json"))
        except OSError:
            pass

    def discard(self, token):
        if not self.TOKEN_RE.fullmatch(token or ""):
            return
        for name in (f"{token}.csv", f"{token}.json", f"{token}.json.busy"):
            try:
                os.remove(os.path.join(self.folder, name))
            except OSError:
                pass

    def sweep(self):
        """Remove uploads older than MAX_AGE (also ones whose confirmation broke off)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        limit = time.time() - self.MAX_AGE
        for name in names:
            path = os.path.join(self.folder, name)
            try:
                if os.stat(path).st_mtime < limit:
                    os.remove(path)
            except OSError:
                pass
