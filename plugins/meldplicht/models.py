"""The table of the meldplicht plugin: one row per duty route (the case type's detail row).
It points to its Case with ON DELETE CASCADE, so the retention purge removes it too."""

import peewee

from portal import api


class Melding(api.BaseModel):
    """A possible sexual offence by someone who works at the school (WPO art. 4a): who reported
    it, about whom, and what the bevoegd gezag recorded along the route. Every step is either a
    date (and what it brought) or an explicit "nee" with the reason."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    # Who reported it, as a name (a parent through the complaint form has no account).
    reported_by = peewee.CharField(max_length=200, default="")
    # The person concerned: need not have an account (a volunteer, a lunch parent, an intern).
    person_name = peewee.CharField(max_length=200)
    person_function = peewee.CharField(max_length=200)
    what = peewee.TextField()
    # WPO art. 4a lid 1: the bevoegd gezag is informed at once (the mail of the start).
    board_informed_on = peewee.DateField(null=True)
    # Lid 2: consultation with the vertrouwensinspecteur.
    consulted = peewee.CharField(max_length=4, default="")  # ja, nee
    consulted_on = peewee.DateField(null=True)
    consult_advice = peewee.TextField(default="")
    consult_reason = peewee.TextField(default="")
    # The decision: is there a "redelijk vermoeden" of a sexual offence?
    suspicion = peewee.CharField(max_length=4, default="")  # ja, nee
    decided_on = peewee.DateField(null=True)
    decision_reason = peewee.TextField(default="")
    # Lid 4: before the aangifte the parents and the person concerned are informed.
    parents_informed = peewee.CharField(max_length=4, default="")
    parents_informed_on = peewee.DateField(null=True)
    parents_reason = peewee.TextField(default="")
    person_informed = peewee.CharField(max_length=4, default="")
    person_informed_on = peewee.DateField(null=True)
    person_reason = peewee.TextField(default="")
    # Lid 2: the aangifte with the police.
    aangifte = peewee.CharField(max_length=4, default="")
    aangifte_on = peewee.DateField(null=True)
    police_reference = peewee.CharField(max_length=100, default="")
    aangifte_reason = peewee.TextField(default="")
    closing_summary = peewee.TextField(default="")

    class Meta:
        table_name = "meldplicht_melding"


MODELS = [Melding]
