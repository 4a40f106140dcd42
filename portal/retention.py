"""Retention: closed cases are deleted once their type's retention period has passed, and
pupils once they left long enough ago and nothing keeps them.

Plugin tables point to their ``Case`` with ON DELETE CASCADE, so deleting the
case deletes its events, checklist, deadlines, documents, outbox rows (the mail,
with a parent's address in it), attachment rows and plugin data; the attachment files go
right after (``attachments.remove_orphans``). A case on legal hold stays. The purge itself is
audited, one row per purged case (without personal data).

A case about pupils has a second period: the school's setting
``<case type>.years_after_left`` (default ``CaseType.retention_years_after_left``, two
years: Kennisnet's term for the pupil file). Such a case is due only when its own period
has passed *and* every pupil linked to it left the school at least that many years ago;
0 switches the second period off for that type.

A pupil record goes when the pupil left more than ``portal.pupil_years_after_left`` years
ago, no case names the child any more and no inzage request is still open; one audit
row per pupil, with its number, never its name.

The list of due cases is read in batches of ids, and each batch is deleted in
one transaction whose DELETE repeats every condition: a case put on legal hold,
reopened or given a later retention date after its id was read stays (and so does
a case whose pupil came back to school), and a second purge running at the same
time deletes (and audits) nothing twice. Only the rows the DELETE returns are
audited. Pupils go the same way, after the cases.
"""

import datetime
from dataclasses import dataclass

import peewee

from . import attachments
from . import dates
from .audit import audit
from .audit import audit_rows
from .db import atomic
from .declarations import CaseType
from .declarations import Setting
from .models import Case
from .models import CasePupil
from .models import CasePurgeCount
from .models import InzageRequest
from .models import LoginAttempt
from .models import Pupil
from .models import School
from .models import SchoolSetting
from .models import UserSession
from .models import utcnow

# Cases per transaction: one fsync, one DELETE and a few INSERTs of audit rows per batch.
BATCH_SIZE = 1000

# Kennisnet's bewaartermijnen: the pupil file (leerlingdossier) two years after leaving. The
# default for case types the registry no longer knows (an uninstalled plugin), too.
YEARS_AFTER_LEFT = CaseType.__dataclass_fields__["retention_years_after_left"].default
PUPIL_SETTING = "portal.pupil_years_after_left"


@dataclass(frozen=True)
class Purged:
    """A case that was (or would be) purged: enough to report it, nothing about its content."""

    id: int
    reference: str
    retention_until: datetime.date
    school: School


@dataclass(frozen=True)
class PurgedPupil:
    """A pupil record that was (or would be) purged: its number and school, never its name."""

    id: int
    left_on: datetime.date
    school: School


# ----------------------------------------------------------------- settings ----


def setting_name(case_type_name):
    return f"{case_type_name}.years_after_left"


def years_after_left_settings(case_types, owners):
    """[(owner slug, Setting)]: per case type, the school's "years after the pupil left",
    declared for the plugin that owns the type (it shows among that plugin's settings)."""
    return [
        (
            owners[name],
            Setting(
                setting_name(name),
                f"{ct.title}: bewaren tot (jaren) na vertrek van de leerling",
                ct.retention_years_after_left,
                kind="int",
                help="Een afgesloten zaak over leerlingen wordt pas verwijderd als ook elke "
                "gekoppelde leerling zo lang geleden de school verliet (Kennisnet: "
                "leerlingdossier 2 jaar na vertrek). 0: alleen de bewaartermijn na afsluiten telt.",
            ),
        )
        for name, ct in case_types.items()
    ]


def years_before(day, years):
    """``day`` ``years`` years earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _school_values(name):
    """{school id: whole number} of the schools that set ``name`` (a value that is no number
    is left out: the default applies, as get_setting does)."""
    out = {}
    for school_id, value in (
        SchoolSetting.select(SchoolSetting.school, SchoolSetting.value)
        .where(SchoolSetting.name == name)
        .tuples()
    ):
        try:
            out[school_id] = int(value)
        except (TypeError, ValueError):
            continue
    return out


def _cutoff(years, today):
    """The day before which a pupil must have left; None: the period is not used."""
    return years_before(today, years) if years and years > 0 else None


def _case_cutoff(case, today):
    """A SQL expression over ``case`` (the model or an alias): the day before which every
    linked pupil must have left for the case to go, per school and case type; NULL where
    the school switched the period off (0)."""
    from .registry import get_registry

    whens = []
    for name, ct in get_registry().case_types.items():
        chosen = _school_values(setting_name(name))
        for school_id, years in sorted(chosen.items()):
            whens.append(((case.case_type == name) & (case.school == school_id), _cutoff(years, today)))
        whens.append((case.case_type == name, _cutoff(ct.retention_years_after_left, today)))
    return peewee.Case(None, whens, _cutoff(YEARS_AFTER_LEFT, today))


# -------------------------------------------------------------------- cases ----


def _kept_by_pupils(today):
    """The ids of closed cases that a linked pupil still keeps: one at school, or one who left
    less than the case type's years ago."""
    linked = Case.alias()
    cutoff = _case_cutoff(linked, today)
    return (
        CasePupil.select(CasePupil.case)
        .join(Pupil, on=(CasePupil.pupil == Pupil.id))
        .join_from(CasePupil, linked, on=(linked.id == CasePupil.case))
        .where(
            linked.closed_at.is_null(False)
            & cutoff.is_null(False)
            & (Pupil.left_on.is_null() | (Pupil.left_on >= cutoff))
        )
    )


def _due(today):
    # The legal-hold guard: a case on hold is never purged, whatever its dates.
    return (
        Case.closed_at.is_null(False)
        & Case.retention_until.is_null(False)
        & (Case.retention_until < today)
        & (Case.legal_hold == False)  # noqa: E712
        & Case.id.not_in(_kept_by_pupils(today))
    )


def _due_ids(today, after_id, limit):
    """The next ``limit`` ids of due cases after ``after_id`` (read outside the delete)."""
    return [
        row.id
        for row in Case.select(Case.id)
        .where(_due(today) & (Case.id > after_id))
        .order_by(Case.id)
        .limit(limit)
    ]


def _schools():
    return {s.id: s for s in School.select(School.id, School.slug, School.name)}


def purge(today=None, dry_run=True, batch_size=None):
    """Return the cases that (would) go, as ``Purged``; delete them unless ``dry_run``."""
    today = today or dates.today()  # the Dutch date, like retention_until
    batch_size = batch_size or BATCH_SIZE
    schools = _schools()
    out = []
    after = 0
    while True:
        ids = _due_ids(today, after, batch_size)
        if not ids:
            if not dry_run:
                attachments.remove_orphans()  # the purged cases' files (portal/attachments.py)
            return out
        after = ids[-1]
        if dry_run:
            rows = (
                Case.select(Case.id, Case.reference, Case.retention_until, Case.school)
                .where(Case.id.in_(ids))
                .order_by(Case.id)
                .tuples()
            )
        else:
            rows = _purge_batch(ids, today, schools)
        out.extend(Purged(i, ref, until, schools.get(sid)) for i, ref, until, sid in rows)


def _purge_batch(ids, today, schools):
    """Delete those of ``ids`` that are still due, auditing each; return what went."""
    with atomic():
        gone = list(
            Case.delete()
            .where(Case.id.in_(ids) & _due(today))
            .returning(Case.id, Case.reference, Case.retention_until, Case.school)
            .tuples()
            .execute()
        )
        gone.sort()
        _count_purged(gone)
        # In the delete's transaction: a purged case always has its audit row, one per case,
        # written together (one INSERT per few hundred rows).
        audit_rows(
            ("case.purge", _AuditedCase(case_id, reference), schools[school_id], f"retention_until={until}")
            for case_id, reference, until, school_id in gone
        )
    return gone


def _count_purged(gone):
    """Raise each school's number of purged cases, in the delete's transaction: the report
    cache (report/cache.py) sees by it that figures may have changed, without counting."""
    per_school = {}
    for _case_id, _reference, _until, school_id in gone:
        per_school[school_id] = per_school.get(school_id, 0) + 1
    for school_id, n in sorted(per_school.items()):
        CasePurgeCount.insert(school=school_id, purged=n).on_conflict(
            conflict_target=[CasePurgeCount.school],
            update={CasePurgeCount.purged: CasePurgeCount.purged + peewee.EXCLUDED.purged},
        ).execute()


@dataclass(frozen=True)
class _AuditedCase:
    id: int
    reference: str


# ------------------------------------------------------------------- pupils ----


def _pupil_due(today, cases_going=False):
    """Pupils whose record may go: left more than the school's years ago, no case names
    them, no inzage request about them is still open. ``cases_going`` (the dry run): a
    case that is itself due does not count, as the real run deletes it first."""
    chosen = _school_values(PUPIL_SETTING)
    default = _setting_default(PUPIL_SETTING)
    whens = [
        (Pupil.school == school_id, years_before(today, max(years, 0))) for school_id, years in chosen.items()
    ]
    cutoff = peewee.Case(None, whens, years_before(today, default)) if whens else years_before(today, default)
    cases = CasePupil.select(CasePupil.pupil).where(CasePupil.pupil.is_null(False))
    if cases_going:
        cases = cases.where(CasePupil.case.not_in(Case.select(Case.id).where(_due(today))))
    open_requests = InzageRequest.select(InzageRequest.pupil).where(InzageRequest.sent_on.is_null())
    return (
        Pupil.left_on.is_null(False)
        & (Pupil.left_on < cutoff)
        # Never NOT IN over a NULL: the subqueries select only non-NULL ids.
        & Pupil.id.not_in(cases)
        & Pupil.id.not_in(open_requests)
    )


def _setting_default(name):
    from .registry import get_registry

    return get_registry().settings[name].default


def purge_pupils(today=None, dry_run=True, batch_size=None):
    """Return the pupils that (would) go, as ``PurgedPupil``; delete them unless ``dry_run``.
    Run after ``purge``: a pupil is kept while any case names the child."""
    today = today or dates.today()
    batch_size = batch_size or BATCH_SIZE
    schools = _schools()
    out = []
    after = 0
    while True:
        ids = _due_pupil_ids(today, after, batch_size, dry_run)
        if not ids:
            return out
        after = ids[-1]
        if dry_run:
            rows = (
                Pupil.select(Pupil.id, Pupil.left_on, Pupil.school)
                .where(Pupil.id.in_(ids))
                .order_by(Pupil.id)
                .tuples()
            )
        else:
            rows = _purge_pupil_batch(ids, today)
        out.extend(PurgedPupil(i, left, schools.get(sid)) for i, left, sid in rows)


def _due_pupil_ids(today, after_id, limit, dry_run):
    """The next ``limit`` ids of pupils whose record may go (read outside the delete)."""
    return [
        i
        for (i,) in Pupil.select(Pupil.id)
        .where(_pupil_due(today, cases_going=dry_run) & (Pupil.id > after_id))
        .order_by(Pupil.id)
        .limit(limit)
        .tuples()
    ]


def _purge_pupil_batch(ids, today):
    with atomic():
        # Every condition again, in the delete: a pupil linked to a case or asked about
        # since the list was read stays (its links would otherwise go with it, CASCADE).
        gone = sorted(
            Pupil.delete()
            .where(Pupil.id.in_(ids) & _pupil_due(today))
            .returning(Pupil.id, Pupil.left_on, Pupil.school)
            .tuples()
            .execute()
        )
        schools = _schools()
        for pupil_id, left_on, school_id in gone:
            audit("pupil.purge", school=schools[school_id], pupil=pupil_id, detail=f"left_on={left_on}")
    return gone


def purge_housekeeping(now=None):
    """Throttling rows older than the longest window and ended or expired sessions
    (30 days) go too."""
    from .throttle import longest_window

    now = now or utcnow()
    LoginAttempt.delete().where(LoginAttempt.at < now - longest_window()).execute()
    UserSession.delete().where(UserSession.last_seen < now - datetime.timedelta(days=30)).execute()


# -------------------------------------------------------------- audit views ----

AUDIT_SETTING = "portal.audit_view_years"
AUDIT_BATCH = 5000


def _audit_cutoffs(now):
    """[(school slug, moment)]: per school (and "" for rows without one) the moment before
    which its view rows may go. A day later than the database's own trigger allows (m0017),
    so that the purge never asks for a row the trigger refuses."""
    chosen = _school_values(AUDIT_SETTING)
    default = _setting_default(AUDIT_SETTING)
    out = [("", default)]
    for school_id, slug in School.select(School.id, School.slug).tuples():
        out.append((slug, chosen.get(school_id, default)))
    margin = datetime.timedelta(days=1)
    # NEN 7513: an access log at least as long as the record; the trigger's floor is 1 year.
    return [(slug, _years_before_moment(now, max(years, 1)) - margin) for slug, years in out]


def _years_before_moment(moment, years):
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def purge_audit_views(now=None, dry_run=True, batch_size=None):
    """Delete the audit rows of views (``audit_view``) older than their school's retention,
    in batches of ``batch_size`` rows, one transaction each with an audit row of its own
    (how many, until when); return {school slug: rows (that would go)}. The rows of changes
    stay: the database's trigger refuses any other DELETE on the log (m0017)."""
    from .models import AuditLog

    now = now or utcnow()
    batch_size = batch_size or AUDIT_BATCH
    out = {}
    for slug, cutoff in _audit_cutoffs(now):
        due = (AuditLog.school == slug) & (AuditLog.is_view == True) & (AuditLog.at < cutoff)  # noqa: E712
        if dry_run:
            n = AuditLog.select().where(due).count()
        else:
            n = 0
            while True:
                with atomic():
                    ids = AuditLog.select(AuditLog.id).where(due).order_by(AuditLog.at).limit(batch_size)
                    gone = AuditLog.delete().where(AuditLog.id.in_(ids)).execute()
                    if gone:
                        audit(
                            "audit.purge",
                            school=_AuditSchool(slug),
                            detail=f"kijkregels={gone} voor={cutoff:%Y-%m-%d}",
                        )
                n += gone
                if gone < batch_size:
                    break
        if n:
            out[slug] = n
    return out


@dataclass(frozen=True)
class _AuditSchool:
    slug: str
