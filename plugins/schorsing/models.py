"""The schorsing plugin's own tables; every row points to its case.

``on_delete="CASCADE"`` on each case link means the retention purge of a case
also removes these rows: a suspension file never outlives its case. ``Incident``
and ``Expulsion`` are the detail rows of the two case types: the core creates
them with the case.
"""

import peewee

from portal import api

from .choices import CATEGORIES
from .choices import OBJECTION_OUTCOMES
from .choices import OUTCOMES
from .choices import PARTIES


class Incident(api.BaseModel):
    """A serious incident as reported by staff; the details of a suspension case."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    pupil_name = peewee.CharField(max_length=200)
    pupil_group = peewee.CharField(max_length=40)
    occurred_on = peewee.DateField(index=True)
    occurred_time = peewee.CharField(max_length=5, default="")  # "HH:MM"
    place = peewee.CharField(max_length=200)
    category = peewee.CharField(max_length=40)
    category_other = peewee.CharField(max_length=200, default="")
    description = peewee.TextField()
    involved = peewee.TextField(default="")
    immediate_action = peewee.TextField()
    reported_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "schorsing_incident"

    @property
    def category_label(self):
        if self.category == "anders" and self.category_other:
            return f"Anders: {self.category_other}"
        return api.label(CATEGORIES, self.category)


class BoardConsultation(api.BaseModel):
    """Overleg met het bestuur: required before a suspension may be decided."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")
    held_on = peewee.DateField()
    with_whom = peewee.CharField(max_length=200)
    outcome = peewee.TextField()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "schorsing_overleg"


class Hearing(api.BaseModel):
    """A hearing (horen) of pupil and parents, the teacher, or the parents."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")
    party = peewee.CharField(max_length=40)  # a key of PARTIES
    held_on = peewee.DateField()
    summary = peewee.TextField()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "schorsing_horen"

    @property
    def party_label(self):
        return api.label(PARTIES, self.party)


class Suspension(api.BaseModel):
    """The decision to suspend: one per case. ``last_day`` comes from the school calendar."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    decided_on = peewee.DateField()
    first_day = peewee.DateField()
    last_day = peewee.DateField()
    days = peewee.IntegerField()
    reason = peewee.TextField()
    schoolwork = peewee.TextField()
    meeting_on = peewee.DateField(null=True)  # conversation with the parents, for the letter
    decided_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "schorsing_besluit"
        indexes = (
            # The suspensions still running or to come (the dashboard's "nu geschorst", m0004).
            (("last_day", "first_day"), False),
            # The year's suspensions (the yearly figures count them by their first day).
            (("first_day",), False),
        )


class Evaluation(api.BaseModel):
    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")
    held_on = peewee.DateField()
    summary = peewee.TextField()

    class Meta:
        table_name = "schorsing_evaluatie"


class Expulsion(api.BaseModel):
    """The details of an expulsion (verwijdering) case."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    pupil_name = peewee.CharField(max_length=200)
    pupil_group = peewee.CharField(max_length=40)
    grounds = peewee.TextField()
    # The suspension case this route grew out of, if any. SET NULL: purging the
    # incident must not take the expulsion file with it.
    incident_case = peewee.ForeignKeyField(api.Case, null=True, on_delete="SET NULL", backref="+")
    intent_on = peewee.DateField(null=True)
    intent_text = peewee.TextField(default="")
    decided_on = peewee.DateField(null=True, index=True)
    effective_on = peewee.DateField(null=True)
    new_school = peewee.CharField(max_length=200, default="")

    class Meta:
        table_name = "schorsing_verwijdering"


class SchoolApproach(api.BaseModel):
    """One contact with another school about taking the pupil in."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")
    school_name = peewee.CharField(max_length=200)
    approached_on = peewee.DateField()
    outcome = peewee.CharField(max_length=20)  # a key of OUTCOMES
    special_education = peewee.BooleanField(default=False)
    # Toelaatbaarheidsverklaring of the samenwerkingsverband (special education only).
    tlv_on = peewee.DateField(null=True)
    tlv_reference = peewee.CharField(max_length=100, default="")
    note = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "schorsing_school_contact"

    @property
    def outcome_label(self):
        return api.label(OUTCOMES, self.outcome)

    @property
    def counts_as_accepted(self):
        """Accepted, and for special education backed by a toelaatbaarheidsverklaring."""
        if self.outcome != "geaccepteerd":
            return False
        return not self.special_education or self.tlv_on is not None


class Objection(api.BaseModel):
    """The parents' objection (bezwaar) against an expulsion, and the board's decision on it
    (Awb chapter 6 and 7, WPO art. 63): one per case."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    received_on = peewee.DateField()
    grounds = peewee.TextField()
    decided_on = peewee.DateField(null=True)
    outcome = peewee.CharField(max_length=20, default="")  # a key of OBJECTION_OUTCOMES
    motivation = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "schorsing_bezwaar"

    @property
    def outcome_label(self):
        return api.label(OBJECTION_OUTCOMES, self.outcome)


MODELS = [
    Incident,
    BoardConsultation,
    Hearing,
    Suspension,
    Evaluation,
    Expulsion,
    SchoolApproach,
    Objection,
]
