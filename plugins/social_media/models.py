"""The plugin's tables: the allowed list of a school, and the details of each request.

``social_media_app`` is school data, not case data: it belongs to the school
(deleted with it) and only remembers which request put it there, if any.
``social_media_request`` holds the details of one permission request and
points to its case, so the retention purge of the case removes it too.
"""

import peewee

from portal.dates import nl_date
from portal.db import BaseModel
from portal.models import Case
from portal.models import School
from portal.models import User
from portal.models import utcnow

# How long a request is for. "eenmalig": one day; "periode": start to end;
# "structureel": from the start on, without end (it then goes on the allowed list).
KINDS = {
    "eenmalig": "Eenmalig, op één dag",
    "periode": "Voor een periode",
    "structureel": "Structureel (blijvend)",
}

GROUPS = [(str(n), f"Groep {n}") for n in range(1, 9)]


class AllowedApp(BaseModel):
    """An app or site the school allows in class without asking first."""

    school = peewee.ForeignKeyField(School, on_delete="CASCADE")
    name = peewee.CharField(max_length=120)
    domain = peewee.CharField(max_length=253)
    address = peewee.CharField(max_length=500, default="")
    purpose = peewee.CharField(max_length=500, default="")
    since = peewee.DateField()
    approved_by = peewee.CharField(max_length=200, default="")
    # The request that put it on the list (None when the directie added it directly).
    source_case = peewee.ForeignKeyField(Case, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "social_media_app"
        indexes = ((("school", "domain"), True),)


class AppRequest(BaseModel):
    """One permission request: the details of its ``social_media.aanvraag`` case."""

    case = peewee.ForeignKeyField(Case, on_delete="CASCADE", unique=True, backref="+")
    # Kept beside the case so the JSON feed and the figures need one join less.
    school = peewee.ForeignKeyField(School, on_delete="CASCADE")
    requested_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
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

    class Meta:
        table_name = "social_media_request"
        indexes = ((("school", "decision", "end_date"), False),)

    @property
    def group_list(self):
        return [g for g in self.groups.split(",") if g]

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


def in_force_condition(day):
    """The peewee form of ``AppRequest.in_force``: for queries over many requests."""
    return (
        (AppRequest.decision == "goedgekeurd")
        & (AppRequest.start_date <= day)
        & (AppRequest.end_date.is_null() | (AppRequest.end_date >= day))
    )


def groups_text(groups):
    """"groep 6", "groep 4 en 5", "groep 1, 2 en 3"."""
    items = [g for g in (groups.split(",") if isinstance(groups, str) else groups) if g]
    if not items:
        return ""
    if len(items) == 1:
        return f"groep {items[0]}"
    return "groep " + ", ".join(items[:-1]) + " en " + items[-1]


def period_text(req):
    """The dates of a request in Dutch: "op 12 maart 2026", "van … tot en met …", "vanaf …"."""
    if req.kind == "eenmalig" or req.end_date == req.start_date:
        return f"op {nl_date(req.start_date)}"
    if req.end_date is None:
        return f"vanaf {nl_date(req.start_date)}"
    return f"van {nl_date(req.start_date)} tot en met {nl_date(req.end_date)}"


def status_text(req, day):
    """Where a request stands on ``day``, in Dutch; an approval past its end reads "afgelopen"."""
    if req.decision == "":
        return "wacht op besluit"
    if req.decision == "afgewezen":
        return "afgewezen"
    if req.decision == "ingetrokken":
        return "ingetrokken"
    if req.ended(day):
        return f"afgelopen op {nl_date(req.end_date)}"
    if req.start_date > day:
        return f"goedgekeurd, geldt vanaf {nl_date(req.start_date)}"
    return "goedgekeurd, geldt nu"


MODELS = [AllowedApp, AppRequest]
