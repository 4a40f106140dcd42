"""Tables of the trauma plugin.

Case-bound rows point to their ``Case`` with ON DELETE CASCADE, so the
retention purge of a case removes them too. The step plan belongs to the school,
not to one case; the school's external partners are the core's (``api.Partner``).
"""

import peewee

from portal import api


class TraumaEvent(api.BaseModel):
    """The details of one reported event (one row per case)."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    kind = peewee.CharField(max_length=40)  # key of choices.KINDS
    occurred_on = peewee.DateField(index=True)
    scope = peewee.CharField(max_length=20)  # key of choices.SCOPES
    group_name = peewee.CharField(max_length=200, default="")
    pupils = peewee.TextField(default="")
    reported_by = peewee.CharField(max_length=300)  # who brought the news to school
    description = peewee.TextField()
    # Set by the first assessment: "school" (the school handles it) or "extern".
    handled_by = peewee.CharField(max_length=20, default="")
    ib_involved = peewee.BooleanField(default=False)
    # What the parents of the group may know (agreed with the family); used in the letter.
    parent_info = peewee.TextField(default="")
    went_well = peewee.TextField(default="")
    to_improve = peewee.TextField(default="")

    class Meta:
        table_name = "trauma_event"


class TraumaEngagement(api.BaseModel):
    """External help engaged for one case: which partner, when, what was agreed."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")
    partner = peewee.ForeignKeyField(api.Partner, null=True, on_delete="SET NULL", backref="+")
    # A copy of the name, so the file still says who it was if the partner is removed.
    organisation = peewee.CharField(max_length=200)
    contacted_on = peewee.DateField()
    agreement = peewee.TextField()
    created_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "trauma_engagement"


class TraumaStep(api.BaseModel):
    """One step of a school's own step plan (the template copied into each new case).

    A school without rows uses ``choices.DEFAULT_STEPS``.
    """

    school = peewee.ForeignKeyField(api.School, on_delete="CASCADE", backref="+")
    key = peewee.CharField(max_length=40)  # stable: the checklist item is "trauma.<key>"
    label = peewee.CharField(max_length=300)
    # Due so many calendar days after the report; empty: no due date.
    due_days = peewee.IntegerField(null=True)
    required = peewee.BooleanField(default=False)
    position = peewee.IntegerField(default=0)

    class Meta:
        table_name = "trauma_step"
        indexes = ((("school", "key"), True),)
