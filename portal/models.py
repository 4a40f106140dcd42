"""Core tables: schools, people, roles, settings, audit, and the case engine.

Table names start with ``portal_``; a plugin's tables start with its slug.
"""

import datetime
import json

import peewee

from .db import BaseModel


def utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class JSONField(peewee.TextField):
    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class School(BaseModel):
    slug = peewee.CharField(max_length=60, unique=True)
    name = peewee.CharField(max_length=200)
    address = peewee.CharField(max_length=300, default="")
    phone = peewee.CharField(max_length=40, default="")
    email = peewee.CharField(max_length=200, default="")
    board_name = peewee.CharField(max_length=200, default="")
    logo = peewee.BlobField(null=True)
    logo_type = peewee.CharField(max_length=40, default="")
    # Migration m0009: the letterhead's postcode and place, the website, and archiving (an
    # archived school opens to nobody; its data stays until the retention periods end).
    postcode = peewee.CharField(max_length=7, default="")
    city = peewee.CharField(max_length=100, default="")
    website = peewee.CharField(max_length=500, default="")
    archived_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "portal_school"


class SchoolPlugin(BaseModel):
    """A plugin a school has enabled."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="plugins")
    plugin = peewee.CharField(max_length=60)

    class Meta:
        table_name = "portal_school_plugin"
        indexes = ((("school", "plugin"), True),)


class SchoolSetting(BaseModel):
    school = peewee.ForeignKeyField(School, on_delete="CASCADE")
    name = peewee.CharField(max_length=120)
    value = peewee.TextField()

    class Meta:
        table_name = "portal_school_setting"
        indexes = ((("school", "name"), True),)


class RolePermission(BaseModel):
    """A school's change to the default role-permission mapping."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE")
    permission = peewee.CharField(max_length=120)
    role = peewee.CharField(max_length=40)
    granted = peewee.BooleanField()

    class Meta:
        table_name = "portal_role_permission"
        indexes = ((("school", "permission", "role"), True),)


class User(BaseModel):
    email = peewee.CharField(max_length=254, unique=True)
    name = peewee.CharField(max_length=200)
    password_hash = peewee.CharField(max_length=300)
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    password_changed_at = peewee.DateTimeField(default=utcnow)
    # TOTP second factor (migrations m0002, m0005): the secret sealed with a key derived from
    # SECRET_KEY (portal/secretbox.py); empty: not enrolled.
    totp_secret = peewee.CharField(max_length=255, default="")
    totp_last_step = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "portal_user"


class UserRole(BaseModel):
    """A role held at one school, or (school NULL) at every school of the board."""

    user = peewee.ForeignKeyField(User, on_delete="CASCADE", backref="roles")
    school = peewee.ForeignKeyField(School, null=True, on_delete="CASCADE")
    role = peewee.CharField(max_length=40)

    class Meta:
        table_name = "portal_user_role"
        indexes = ((("user", "school", "role"), True),)


class RecoveryCode(BaseModel):
    """A single-use code for logging in without the authenticator app (migration m0005).

    Stored as a salted SHA-256 hash: the codes carry 50 random bits and guessing is
    throttled, so a slow hash buys nothing."""

    user = peewee.ForeignKeyField(User, on_delete="CASCADE", backref="+")
    code_hash = peewee.CharField(max_length=64)
    salt = peewee.CharField(max_length=32)
    used_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_recovery_code"


class UserSession(BaseModel):
    """Server-side record of a login: a session ends for real when this row does."""

    token_hash = peewee.CharField(max_length=64, unique=True)
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)
    last_seen = peewee.DateTimeField(default=utcnow)
    ended_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "portal_user_session"


class LoginAttempt(BaseModel):
    """Failed logins and guesses, for throttling (per account, per address, per key)."""

    kind = peewee.CharField(max_length=40)  # "login", "klachten.volgen", ...
    key = peewee.CharField(max_length=300, index=True)  # "acct:<email>" or "ip:<addr>"
    at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "portal_attempt"


class AuditLog(BaseModel):
    """Append-only; the database refuses UPDATE and DELETE (see migrations)."""

    at = peewee.DateTimeField(default=utcnow)
    user_id = peewee.IntegerField(null=True)
    user_email = peewee.CharField(max_length=254, default="")
    role = peewee.CharField(max_length=200, default="")
    school = peewee.CharField(max_length=60, default="")
    case_ref = peewee.CharField(max_length=40, default="", index=True)
    action = peewee.CharField(max_length=80)
    outcome = peewee.CharField(max_length=40, default="ok")
    ip = peewee.CharField(max_length=64, default="")
    detail = peewee.TextField(default="")
    # The pupil whose record was seen or changed: a child's access log (AVG inzage) is
    # every row with the child's id. A number, not a reference: the log outlives the pupil.
    pupil_id = peewee.IntegerField(null=True, index=True)
    # A row that says someone saw something (audit_view): only such rows may go, once past
    # the school's retention (portal.audit_view_years; the database's trigger checks, m0017).
    # The database's default too: a row written by any other statement is a change's row.
    is_view = peewee.BooleanField(default=False, constraints=[peewee.SQL("DEFAULT FALSE")])

    class Meta:
        table_name = "portal_audit_log"
        # The audit page's filters, newest first by id (keyset), and the retention's purge
        # (m0017).
        indexes = (
            (("school", "id"), False),
            (("school", "case_ref", "id"), False),
            (("school", "user_email", "id"), False),
            (("school", "action", "id"), False),  # m0023
            (("school", "at"), False),
            (("school", "is_view", "at"), False),
        )


class Vacation(BaseModel):
    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="vacations")
    name = peewee.CharField(max_length=120)
    start = peewee.DateField()
    end = peewee.DateField()

    class Meta:
        table_name = "portal_vacation"


class CaseCounter(BaseModel):
    school = peewee.ForeignKeyField(School, on_delete="CASCADE")
    prefix = peewee.CharField(max_length=10)
    year = peewee.IntegerField()
    last = peewee.IntegerField(default=0)

    class Meta:
        table_name = "portal_case_counter"
        indexes = ((("school", "prefix", "year"), True),)


class Case(BaseModel):
    school = peewee.ForeignKeyField(School, on_delete="CASCADE")
    case_type = peewee.CharField(max_length=80)
    reference = peewee.CharField(max_length=40)
    state = peewee.CharField(max_length=60)
    title = peewee.CharField(max_length=300)
    assignee = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    closed_at = peewee.DateTimeField(null=True)
    confidential = peewee.BooleanField(default=False)
    retention_until = peewee.DateField(null=True)
    legal_hold = peewee.BooleanField(default=False)
    # Hash of the submitter's follow-up code (public cases such as complaints).
    access_code_hash = peewee.CharField(max_length=128, default="")
    submitter_email = peewee.CharField(max_length=254, default="")
    # The language a parent submitted in (portal/i18n.py; migration m0010): their receipt,
    # mail and follow-up page use it. NULL: Dutch (staff cases, older cases).
    language = peewee.CharField(max_length=8, null=True)

    class Meta:
        table_name = "portal_case"
        indexes = (
            (("school", "reference"), True),
            (("school", "updated_at", "id"), False),
            (("school", "case_type", "updated_at", "id"), False),
            # This school year's cases per school (the bestuur's overview; migration m0016).
            (("school", "created_at"), False),
            # The yearly figures: a school's cases of a type started in a school year, and
            # the same across all schools for the bestuur (m0015).
            (("school", "case_type", "created_at"), False),
            (("case_type", "created_at"), False),
            # Dashboard panels and figures (m0017): a type's cases in a state (a small range:
            # the open states), and those closed in a school year.
            (("school", "case_type", "state"), False),
            (("school", "case_type", "closed_at"), False),
        )


class Outbox(BaseModel):
    """One mail. Queued in the transaction of the change that causes it; sent by the
    worker (portal/mail.py), which claims rows before it sends them."""

    school = peewee.CharField(max_length=60, default="")
    to = peewee.CharField(max_length=254)
    subject = peewee.CharField(max_length=300)
    body = peewee.TextField()  # emptied once sent, like the attachment
    attachment = peewee.BlobField(null=True)
    attachment_name = peewee.CharField(max_length=200, default="")
    created_at = peewee.DateTimeField(default=utcnow)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(default=utcnow, index=True)
    sent_at = peewee.DateTimeField(null=True, index=True)
    last_error = peewee.CharField(max_length=500, default="")
    # A worker's claim: its random token and until when it holds the row.
    claim_token = peewee.CharField(max_length=64, null=True)
    claimed_until = peewee.DateTimeField(null=True)
    # Given up after OUTBOX_MAX_ATTEMPTS: shown to the beheerder, no longer tried.
    failed_at = peewee.DateTimeField(null=True)
    # The mail holds the parent's address: it goes when its case is purged.
    case = peewee.ForeignKeyField(Case, null=True, on_delete="CASCADE", backref="+")

    class Meta:
        table_name = "portal_outbox"


class CaseExclusion(BaseModel):
    """A user who must never see this case (e.g. the staff member a complaint is about)."""

    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="exclusions")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")

    class Meta:
        table_name = "portal_case_exclusion"
        indexes = ((("case", "user"), True),)


class CaseEvent(BaseModel):
    """Append-only timeline of a case."""

    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="events")
    at = peewee.DateTimeField(default=utcnow)
    kind = peewee.CharField(max_length=40)  # created, transition, note, message, document, ...
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    actor = peewee.CharField(max_length=200, default="")  # shown name, e.g. "Indiener"
    transition = peewee.CharField(max_length=80, default="")
    from_state = peewee.CharField(max_length=60, default="")
    to_state = peewee.CharField(max_length=60, default="")
    text = peewee.TextField(default="")
    visible_to_submitter = peewee.BooleanField(default=False)
    data = JSONField(null=True)
    # Hash of the one-time token of the form that posted this message (m0010): the same
    # form sent again (a reload, a double click) adds nothing and mails nobody twice.
    form_token_hash = peewee.CharField(max_length=64, null=True, unique=True)

    class Meta:
        table_name = "portal_case_event"
        # (kind, at): the new messages and assignments of "Te doen" (migration m0016).
        indexes = ((("case", "at"), False), (("kind", "at"), False))


class CaseChecklistItem(BaseModel):
    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="checklist")
    name = peewee.CharField(max_length=120)
    label = peewee.CharField(max_length=300)
    required = peewee.BooleanField(default=False)
    position = peewee.IntegerField(default=0)
    due_date = peewee.DateField(null=True)
    assignee = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    done_at = peewee.DateField(null=True)
    done_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    note = peewee.CharField(max_length=500, default="")

    class Meta:
        table_name = "portal_case_checklist"
        indexes = ((("case", "name"), True),)


class CaseDeadline(BaseModel):
    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="deadlines")
    name = peewee.CharField(max_length=120)
    label = peewee.CharField(max_length=300)
    due_date = peewee.DateField(index=True)
    met_at = peewee.DateTimeField(null=True)
    # A deadline in hours (``Deadline(hours=True)``): the due moment in UTC; ``due_date`` is
    # its Dutch day. None for a deadline in days, due at the end of ``due_date``.
    due_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "portal_case_deadline"
        indexes = ((("case", "name"), True),)


class CaseDocument(BaseModel):
    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="documents")
    name = peewee.CharField(max_length=120)
    label = peewee.CharField(max_length=300)
    version = peewee.IntegerField()
    filename = peewee.CharField(max_length=200)
    # Empty since m0017: the PDF is in CaseDocumentContent, so that reading a case's
    # documents never loads their bytes (portal/documents.py: stored_pdf, pdf_response).
    # ``content`` (below) reads them from there.
    stored_content = peewee.BlobField(column_name="content", default=b"")
    sha256 = peewee.CharField(max_length=64)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_case_document"
        indexes = ((("case", "name", "version"), True),)

    @property
    def content(self):
        """The PDF's bytes: one query in CaseDocumentContent (a row made without one, by a
        test or an import by hand, keeps them in its own column)."""
        found = (
            CaseDocumentContent.select(CaseDocumentContent.content)
            .where(CaseDocumentContent.document == self.id)
            .scalar()
        )
        return found if found is not None else self.stored_content

    @content.setter
    def content(self, value):
        self.stored_content = value


class CaseDocumentContent(BaseModel):
    """The bytes of an archived letter, one row per CaseDocument (m0017), with their sha256
    (the document's, checked when they are read); they go with the document (CASCADE)."""

    document = peewee.ForeignKeyField(CaseDocument, unique=True, on_delete="CASCADE", backref="+")
    sha256 = peewee.CharField(max_length=64)
    content = peewee.BlobField()

    class Meta:
        table_name = "portal_case_document_content"


class CasePurgeCount(BaseModel):
    """How many cases of a school the retention purge has deleted (m0022), raised in the
    purge's own transaction. The report cache (portal/report/cache.py) sees a purge by it
    without counting the school's cases."""

    school = peewee.ForeignKeyField(School, unique=True, on_delete="CASCADE", backref="+")
    purged = peewee.BigIntegerField(default=0)

    class Meta:
        table_name = "portal_case_purge_count"


CORE_MODELS = [
    School,
    SchoolPlugin,
    SchoolSetting,
    RolePermission,
    User,
    UserRole,
    RecoveryCode,
    UserSession,
    LoginAttempt,
    AuditLog,
    Vacation,
    Outbox,
    CaseCounter,
    Case,
    CaseExclusion,
    CaseEvent,
    CaseChecklistItem,
    CaseDeadline,
    CaseDocument,
    CaseDocumentContent,
    CasePurgeCount,
]


class Partner(BaseModel):
    """An external partner of a school: the safety plan's annex "Overzicht externe partners",
    the organisations every protocol may call in (schoolmaatschappelijk werk, GGD, ...).

    Removing a partner only hides it (``active``): cases that engaged it keep the link.
    """

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    organisation = peewee.CharField(max_length=200)
    kind = peewee.CharField(max_length=40)  # key of partners.PARTNER_KINDS
    contact_person = peewee.CharField(max_length=200, default="")
    phone = peewee.CharField(max_length=40, default="")
    email = peewee.CharField(max_length=254, default="")
    notes = peewee.TextField(default="")
    active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "portal_partner"


class NetworkMeeting(BaseModel):
    """One meeting of the school with its network: the monthly IB network or the
    samenwerkingsverband. Who was there and the topics, never the names of children."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    held_on = peewee.DateField()
    kind = peewee.CharField(max_length=40)  # key of partners.MEETING_KINDS
    attendees = peewee.TextField()
    topics = peewee.TextField()
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_network_meeting"


# Added after the list, next to their classes.
CORE_MODELS += [Partner, NetworkMeeting]


class Pupil(BaseModel):
    """A pupil of a school, as the school's administration (ParnasSys, ESIS) knows the child:
    the LAS number is the key an import matches on. A pupil who leaves is marked
    (``left_on``), never deleted while a case or a retention period keeps the record.

    ``search`` is the name and number in lower case without accents (``pupils.normalize``):
    what the picker and the register search in.
    """

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    las_number = peewee.CharField(max_length=40)
    first_name = peewee.CharField(max_length=100)
    prefix = peewee.CharField(max_length=40, default="")
    last_name = peewee.CharField(max_length=150)
    birth_date = peewee.DateField(null=True)
    enrolled_on = peewee.DateField(null=True)
    left_on = peewee.DateField(null=True)
    search = peewee.CharField(max_length=400, default="")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_pupil"
        indexes = (
            (("school", "las_number"), True),
            (("school", "last_name", "first_name"), False),
        )


class PupilGroup(BaseModel):
    """The group a pupil is in during one school year ("2026-2027"): the school's own name
    for it (``5b``) and the grade (groep 1-8) it stands for."""

    pupil = peewee.ForeignKeyField(Pupil, on_delete="CASCADE", backref="groups")
    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    school_year = peewee.CharField(max_length=9)
    name = peewee.CharField(max_length=20)
    grade = peewee.IntegerField(null=True)

    class Meta:
        table_name = "portal_pupil_group"
        indexes = (
            (("pupil", "school_year"), True),
            (("school", "school_year", "name"), False),
        )


class CasePupil(BaseModel):
    """A pupil a case is about, with the pupil's role in it (``betrokken``; for incidents
    ``slachtoffer``, ``veroorzaker``, ``getuige``).

    ``pupil`` is empty while the child is only known by the name someone typed (a parent's
    form, a case from before the register): ``name`` keeps that text, shown as "niet
    gekoppeld" until staff link the pupil of the register.
    """

    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="+")
    pupil = peewee.ForeignKeyField(Pupil, null=True, on_delete="CASCADE", backref="+")
    name = peewee.CharField(max_length=200, default="")
    role = peewee.CharField(max_length=30, default="betrokken")
    linked_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    linked_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_case_pupil"
        indexes = ((("case", "pupil"), True),)


CORE_MODELS += [Pupil, PupilGroup, CasePupil]


class InzageRequest(BaseModel):
    """A request to see what the school holds about a pupil (AVG art. 15): who asked, when,
    the deadline (one month, art. 12(3), extended by at most two months with a reason), the
    decision and when the answer went out (``sent_on``: the request is then done)."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    pupil = peewee.ForeignKeyField(Pupil, on_delete="CASCADE", backref="+")
    requester_name = peewee.CharField(max_length=200)
    relation = peewee.CharField(max_length=30)  # key of pupils.inzage.RELATIONS
    received_on = peewee.DateField()
    deadline = peewee.DateField()
    extended_months = peewee.IntegerField(default=0)
    extension_reason = peewee.TextField(default="")
    extended_on = peewee.DateField(null=True)
    decision = peewee.CharField(max_length=20, default="")  # key of pupils.inzage.DECISIONS
    decision_reason = peewee.TextField(default="")
    decided_on = peewee.DateField(null=True)
    decided_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    sent_on = peewee.DateField(null=True)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_inzage_request"


class InzageChoice(BaseModel):
    """What staff chose for one request's export, against the default: a case of a type left
    out by default that the directie included (``document`` empty), or a letter left out."""

    request = peewee.ForeignKeyField(InzageRequest, on_delete="CASCADE", backref="+")
    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="+")
    document = peewee.ForeignKeyField(CaseDocument, null=True, on_delete="CASCADE", backref="+")
    included = peewee.BooleanField()
    chosen_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    chosen_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_inzage_choice"


class InzageExport(BaseModel):
    """An export that was produced: the ZIP (the PDF and the letters), archived like a letter
    so that what was sent can be shown again unchanged; producing again makes a new version."""

    request = peewee.ForeignKeyField(InzageRequest, on_delete="CASCADE", backref="+")
    version = peewee.IntegerField()
    filename = peewee.CharField(max_length=200)
    content = peewee.BlobField()
    sha256 = peewee.CharField(max_length=64)
    pdf_sha256 = peewee.CharField(max_length=64)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_inzage_export"
        indexes = ((("request", "version"), True),)


CORE_MODELS += [InzageRequest, InzageChoice, InzageExport]


class Attachment(BaseModel):
    """A file sent with a case (migration m0010): a parent's photo or PDF, or one staff
    added to the case or to one of its timeline entries (``event``). The bytes are in the
    attachment folder under ``stored_name`` (random, never the sender's name), outside the
    static folder; ``filename`` is the sender's name, cleaned, for the download only
    (portal/attachments.py). Deleted with the case; the purge removes the file."""

    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="+")
    event = peewee.ForeignKeyField(CaseEvent, null=True, on_delete="CASCADE", backref="+")
    stored_name = peewee.CharField(max_length=64, unique=True)
    filename = peewee.CharField(max_length=200)
    mime_type = peewee.CharField(max_length=60)
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    from_submitter = peewee.BooleanField(default=False)
    uploaded_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_attachment"


CORE_MODELS += [Attachment]


class PasswordToken(BaseModel):
    """A link to set a password (migration m0009): a forgotten password ("reset"), a new
    account or one a beheerder sent ("set"). Only the SHA-256 hash of the token is stored;
    it is used once, expires, and a password change ends every open one
    (portal/password_links.py). ``outbox``: the mail that carries the link, emptied when the
    link is used or replaced."""

    user = peewee.ForeignKeyField(User, on_delete="CASCADE", backref="+")
    purpose = peewee.CharField(max_length=20)
    token_hash = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    used_at = peewee.DateTimeField(null=True)
    outbox = peewee.ForeignKeyField(Outbox, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "portal_password_token"


class SsoConfig(BaseModel):
    """Single sign-on with OpenID Connect for the whole board (migration m0009): one row,
    kept by the board-wide beheerder (portal/sso.py). The client secret is sealed
    (portal/secretbox.py). ``break_glass``: the one board-wide beheerder account that may
    still log in with a password when passwords are switched off."""

    enabled = peewee.BooleanField(default=False)
    issuer = peewee.CharField(max_length=500, default="")
    client_id = peewee.CharField(max_length=300, default="")
    client_secret = peewee.CharField(max_length=1000, default="")
    domains = peewee.TextField(default="")  # one per line
    passwords_off = peewee.BooleanField(default=False)
    mfa_acr_values = peewee.CharField(max_length=500, default="")  # one per line
    button_label = peewee.CharField(max_length=100, default="")
    break_glass = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = peewee.DateTimeField(default=utcnow)
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "portal_sso_config"


class SsoRequest(BaseModel):
    """One sign-in sent to the identity provider (migration m0009): the state (as a hash),
    the nonce and the PKCE verifier (sealed). Used once: a replayed answer finds it used."""

    state_hash = peewee.CharField(max_length=64, unique=True)
    nonce = peewee.CharField(max_length=100)
    verifier = peewee.CharField(max_length=300)
    next_url = peewee.CharField(max_length=500, default="")
    created_at = peewee.DateTimeField(default=utcnow, index=True)
    used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "portal_sso_request"


CORE_MODELS += [PasswordToken, SsoConfig, SsoRequest]


class CaseLink(BaseModel):
    """A case started from another one (``Start.follows``): a suspension from an incident, a
    reporting-duty route from a complaint. Each case's page lists the other, to whoever may
    see it (a confidential follow-up stays invisible on the first case's page)."""

    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="+")
    follow_up = peewee.ForeignKeyField(Case, on_delete="CASCADE", backref="+")
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_case_link"
        indexes = ((("case", "follow_up"), True),)


CORE_MODELS += [CaseLink]


class NotificationSeen(BaseModel):
    """When a user last opened their "Te doen" page at a school (migration m0016): what
    came in after it (a parent's message, a case assigned to them) counts as new
    (portal/notifications.py)."""

    user = peewee.ForeignKeyField(User, on_delete="CASCADE", backref="+")
    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    seen_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_notification_seen"
        indexes = ((("user", "school"), True),)


class DeadlineReminder(BaseModel):
    """A reminder mail that was queued for a deadline falling due on ``due_date`` (migration
    m0016): ``flask --app portal remind`` sends one per deadline and date, however often it
    runs (portal/reminders.py). A deadline moved to another date is reminded again."""

    deadline = peewee.ForeignKeyField(CaseDeadline, on_delete="CASCADE", backref="+")
    due_date = peewee.DateField()
    sent_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_deadline_reminder"
        indexes = ((("deadline", "due_date"), True),)


CORE_MODELS += [NotificationSeen, DeadlineReminder]


# ------------------------------------------------- yearly report and safety plan (m0015) ----


class MonitorResult(BaseModel):
    """The yearly measurement of how safe pupils feel (veiligheidsplan 3.3.4): the instrument,
    when, how many answered, a note, and when the results went to the inspectie (a legal
    duty). The scores are ``MonitorScore`` rows: for the school and per group."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    school_year = peewee.IntegerField()  # the year in which the school year starts (1 August)
    instrument = peewee.CharField(max_length=120)
    measured_on = peewee.DateField()
    invited = peewee.IntegerField(null=True)
    respondents = peewee.IntegerField(null=True)
    note = peewee.TextField(default="")
    inspectie_on = peewee.DateField(null=True)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_monitor_result"
        indexes = ((("school", "school_year"), False),)


class MonitorScore(BaseModel):
    """One key score of a measurement: for the school (``group_name`` empty) or one group."""

    monitor = peewee.ForeignKeyField(MonitorResult, on_delete="CASCADE", backref="scores")
    group_name = peewee.CharField(max_length=40, default="")
    indicator = peewee.CharField(max_length=40)  # key of report.monitor.INDICATORS
    score = peewee.FloatField()

    class Meta:
        table_name = "portal_monitor_score"


class SafetyAction(BaseModel):
    """An intervention of the safety part of the jaarplan (veiligheidsplan 3.3.5): its goal,
    who carries it (a role, never a name), the due date, the state, and the finding it
    answers (a monitor score, an incident trend, an evaluation moment)."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    school_year = peewee.IntegerField()
    goal = peewee.TextField()
    owner = peewee.CharField(max_length=40)  # key of report.actions.OWNERS
    due_on = peewee.DateField()
    status = peewee.CharField(max_length=20, default="gepland")  # key of report.actions.STATUSES
    finding_kind = peewee.CharField(max_length=20)  # key of report.actions.FINDINGS
    finding = peewee.TextField(default="")
    result = peewee.TextField(default="")
    done_on = peewee.DateField(null=True)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_safety_action"
        indexes = (
            (("school", "school_year"), False),
            (("school", "status", "due_on"), False),
            (("school", "due_on"), False),  # the dashboard's due actions, in order (m0017)
        )


class ReportReview(BaseModel):
    """When a school year's report was discussed: in the MR (3.3.4) and with the
    clusterdirecteur (2.2.4); printed in the report."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    school_year = peewee.IntegerField()
    mr_on = peewee.DateField(null=True)
    cluster_on = peewee.DateField(null=True)
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_report_review"
        indexes = ((("school", "school_year"), True),)


class ReportDocument(BaseModel):
    """A yearly report produced as PDF, archived like a letter (bytes, sha256, who, when);
    producing it again makes a new version. ``school`` NULL: the bestuur's version across
    all schools."""

    school = peewee.ForeignKeyField(School, null=True, on_delete="CASCADE", backref="+")
    school_year = peewee.IntegerField()
    version = peewee.IntegerField()
    filename = peewee.CharField(max_length=200)
    content = peewee.BlobField()
    sha256 = peewee.CharField(max_length=64)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_report_document"
        indexes = ((("school", "school_year", "version"), False),)


class PlanText(BaseModel):
    """The school's own fixed text of one section of its veiligheidsplan (by section number;
    without a row the section's default text counts)."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    number = peewee.CharField(max_length=20)
    text = peewee.TextField()
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_plan_text"
        indexes = ((("school", "number"), True),)


class PlanVersion(BaseModel):
    """A version of the generated veiligheidsplan: the PDF as it was made, the sections as
    they stood (``sections``: JSON, to show what changed since), and when the directie
    adopted it and the MR consented (empty: a concept)."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE", backref="+")
    version = peewee.IntegerField()
    adopted_on = peewee.DateField(null=True)
    mr_consent_on = peewee.DateField(null=True)
    sections = JSONField()
    filename = peewee.CharField(max_length=200)
    content = peewee.BlobField()
    sha256 = peewee.CharField(max_length=64)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "portal_plan_version"
        indexes = ((("school", "version"), True),)


CORE_MODELS += [
    MonitorResult,
    MonitorScore,
    SafetyAction,
    ReportReview,
    ReportDocument,
    PlanText,
    PlanVersion,
]
