"""Tables of the organisatie plugin.

The register ("Wie doet wat"), the training register and the reminders sent belong to
the school (removed with it). The evaluation moments and the evacuation drills are
cases: their detail rows and their actions point to their ``Case`` with ON DELETE
CASCADE, so the retention purge of a case removes them too.
"""

import peewee

from portal import api


class Person(api.BaseModel):
    """Someone in the school's register: a portal user, or only a name (the external
    vertrouwenspersoon, a BHV'er without an account). The phone number and e-mail
    address are the ones the school makes known for the role (the parents' page shows
    those of the contactpersoon, the pestcoördinator and the vertrouwenspersoon)."""

    school = peewee.ForeignKeyField(api.School, on_delete="CASCADE", backref="+")
    user = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    name = peewee.CharField(max_length=200)
    phone = peewee.CharField(max_length=40, default="")
    email = peewee.CharField(max_length=254, default="")
    organisation = peewee.CharField(max_length=200, default="")
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "organisatie_person"
        indexes = ((("school", "name"), False),)


class Assignment(api.BaseModel):
    """A role a person holds in one school year (``school_year`` 2026: 2026-2027).

    At most one pestcoördinator per school and year: a partial unique index in the
    migration (the Wet veiligheid op school asks for one person)."""

    school = peewee.ForeignKeyField(api.School, on_delete="CASCADE", backref="+")
    school_year = peewee.IntegerField()
    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="assignments")
    role = peewee.CharField(max_length=40)  # key of api.CONTACT_ROLES
    created_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "organisatie_assignment"
        indexes = ((("school", "school_year", "role", "person"), True),)


class Training(api.BaseModel):
    """One course a person followed (safety plan 2.2.2): a BHV certificate is an entry of
    kind ``bhv`` with its expiry date."""

    school = peewee.ForeignKeyField(api.School, on_delete="CASCADE", backref="+")
    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="trainings")
    kind = peewee.CharField(max_length=20)  # key of choices.TRAINING_KINDS
    course = peewee.CharField(max_length=200)
    provider = peewee.CharField(max_length=200, default="")
    completed_on = peewee.DateField()
    expires_on = peewee.DateField(null=True, index=True)
    created_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "organisatie_training"
        # The courses of a school year, of every school or of one (the yearly figures, m0002).
        indexes = ((("completed_on", "school"), False),)


class Evaluation(api.BaseModel):
    """The details of one evaluation moment (case type ``organisatie.evaluatie``).

    ``agenda`` is empty while the moment is planned (the case page makes it from the
    register as it is now) and keeps, as JSON, the agenda as it was when the minutes were
    recorded."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    planned_on = peewee.DateField()
    held_on = peewee.DateField(null=True, index=True)
    attendees = peewee.TextField(default="")
    minutes = peewee.TextField(default="")
    decisions = peewee.TextField(default="")
    agenda = peewee.TextField(default="")

    class Meta:
        table_name = "organisatie_evaluation"


class Drill(api.BaseModel):
    """The details of one evacuation drill (case type ``organisatie.ontruiming``)."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    # Plan
    planned_on = peewee.DateField()
    scenario = peewee.CharField(max_length=300)
    announced = peewee.CharField(max_length=20)  # key of choices.ANNOUNCED
    notes = peewee.TextField(default="")
    # Carried out
    held_on = peewee.DateField(null=True, index=True)
    evacuation_seconds = peewee.IntegerField(null=True)
    headcount_ok = peewee.BooleanField(null=True)
    headcount_note = peewee.TextField(default="")
    problems = peewee.TextField(default="")
    # Evaluated
    evaluation = peewee.TextField(default="")
    plan_revised = peewee.BooleanField(default=False)
    plan_version = peewee.CharField(max_length=40, default="")
    plan_revised_on = peewee.DateField(null=True)
    staff_informed_on = peewee.DateField(null=True)
    cancel_reason = peewee.TextField(default="")

    class Meta:
        table_name = "organisatie_drill"


class Action(api.BaseModel):
    """An action agreed at an evaluation moment or after a drill: what, who, by when;
    followed until it is done (the next evaluation's agenda lists the open ones)."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")
    description = peewee.TextField()
    owner = peewee.CharField(max_length=200)
    due_on = peewee.DateField(index=True)
    done_on = peewee.DateField(null=True)
    done_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    created_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=api.utcnow, index=True)

    class Meta:
        table_name = "organisatie_action"


class Notice(api.BaseModel):
    """A reminder that was mailed (``key``: ``certificaat:<training id>``,
    ``ontruiming:<school year>``), so that each goes out once."""

    school = peewee.ForeignKeyField(api.School, on_delete="CASCADE", backref="+")
    key = peewee.CharField(max_length=80)
    sent_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "organisatie_notice"
        indexes = ((("school", "key"), True),)
