"""The plugin's tables: the allowed list of a school, and the details of each request.

``social_media_app`` is school data, not case data: it belongs to the school
(deleted with it) and only remembers which request put it there, if any.
``social_media_request`` holds the details of one permission request and
points to its case, so the retention purge of the case removes it too.
"""

import peewee

from portal import api

from .choices import groups_text


class AllowedApp(api.BaseModel):
    """An app or site the school allows in class without asking first."""

    school = peewee.ForeignKeyField(api.School, on_delete="CASCADE")
    name = peewee.CharField(max_length=120)
    domain = peewee.CharField(max_length=253)
    address = peewee.CharField(max_length=500, default="")
    purpose = peewee.CharField(max_length=500, default="")
    since = peewee.DateField()
    approved_by = peewee.CharField(max_length=200, default="")
    # The request that put it on the list (None when the directie added it directly).
    source_case = peewee.ForeignKeyField(api.Case, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=api.utcnow)
    # The privacy questions (m0002): a key of AGREEMENTS ("" before they were asked), the
    # pupil data it uses (keys of PUPIL_DATA, comma-separated), its minimum age.
    privacy_agreement = peewee.CharField(max_length=30, default="")
    pupil_data = peewee.CharField(max_length=200, default="")
    min_age = peewee.IntegerField(null=True)

    class Meta:
        table_name = "social_media_app"
        indexes = ((("school", "domain"), True),)


class AppRequest(api.BaseModel):
    """One permission request: the details of its ``social_media.aanvraag`` case."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    # Kept beside the case so the JSON feed and the figures need one join less.
    school = peewee.ForeignKeyField(api.School, on_delete="CASCADE")
    requested_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    name = peewee.CharField(max_length=120, default="")
    address = peewee.CharField(max_length=500)
    domain = peewee.CharField(max_length=253, index=True)
    groups = peewee.CharField(max_length=40)  # "6" or "4,5"
    purpose = peewee.TextField()
    kind = peewee.CharField(max_length=20)
    start_date = peewee.DateField()
    end_date = peewee.DateField(null=True)  # None: structural
    # "" (pending), goedgekeurd, afgewezen, ingetrokken
    decision = peewee.CharField(max_length=20, default="")
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.CharField(max_length=200, default="")
    reason = peewee.TextField(default="")
    # The privacy answers of the approval (m0002), as on AllowedApp.
    privacy_agreement = peewee.CharField(max_length=30, default="")
    pupil_data = peewee.CharField(max_length=200, default="")
    min_age = peewee.IntegerField(null=True)

    class Meta:
        table_name = "social_media_request"
        indexes = (
            (("school", "decision", "end_date"), False),
            # The requests waiting for a decision, oldest first (the directie's panel, m0003).
            (("school", "decision", "id"), False),
        )

    @property
    def label(self):
        return self.name or self.domain

    def in_force(self, day):
        """Approved and ``day`` lies within its dates: computed when read, no cron job."""
        return (
            self.decision == "goedgekeurd"
            and self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
        )

    def ended(self, day):
        return self.decision == "goedgekeurd" and self.end_date is not None and self.end_date < day

    @property
    def groups_text(self):
        return groups_text(self.groups)

    @property
    def period_text(self):
        """The dates in Dutch: "op 12 maart 2026", "van … tot en met …", "vanaf …"."""
        start = api.nl_date(self.start_date)
        if self.kind == "eenmalig" or self.end_date == self.start_date:
            return f"op {start}"
        if self.end_date is None:
            return f"vanaf {start}"
        return f"van {start} tot en met {api.nl_date(self.end_date)}"

    def status_text(self, day):
        """Where it stands on ``day``, in Dutch; an approval past its end reads "afgelopen"."""
        if self.decision == "":
            return "wacht op besluit"
        if self.decision != "goedgekeurd":
            return self.decision  # afgewezen, ingetrokken
        if self.ended(day):
            return f"afgelopen op {api.nl_date(self.end_date)}"
        if self.start_date > day:
            return f"goedgekeurd, geldt vanaf {api.nl_date(self.start_date)}"
        return "goedgekeurd, geldt nu"


def in_force_condition(day):
    """The peewee form of ``AppRequest.in_force``: for queries over many requests."""
    return (
        (AppRequest.decision == "goedgekeurd")
        & (AppRequest.start_date <= day)
        & (AppRequest.end_date.is_null() | (AppRequest.end_date >= day))
    )
