"""The klachten tables. Each row points to its Case with ON DELETE CASCADE, so the
retention purge of a case also removes the complaint's details."""

import peewee

from portal import api


class Klacht(api.BaseModel):
    """What the parent wrote, plus what the contactpersoon recorded along the route (the
    case type's detail row: the core creates it with the case)."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    category = peewee.CharField(max_length=40)
    pupil_name = peewee.CharField(max_length=200, default="")
    pupil_group = peewee.CharField(max_length=40, default="")
    what_happened = peewee.TextField()
    happened_when = peewee.CharField(max_length=200, default="")
    tried_teacher = peewee.BooleanField(default=False)
    tried_directie = peewee.BooleanField(default=False)
    tried_other = peewee.TextField(default="")
    hoped_for = peewee.TextField(default="")
    contact_name = peewee.CharField(max_length=200, default="")
    contact_email = peewee.CharField(max_length=254, default="")
    contact_phone = peewee.CharField(max_length=40, default="")
    # The staff member as the parent named them (free text) and, once the
    # contactpersoon has linked it, the account; that account is then excluded.
    staff_named = peewee.CharField(max_length=200, default="")
    staff_user = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    # Possible sexual abuse or intimidation by a staff member: legal reporting duty.
    sexual_by_staff = peewee.BooleanField(default=False)
    # When the complaint was acknowledged (taken into handling): for the annual figures.
    acknowledged_at = peewee.DateTimeField(null=True)
    referral_to = peewee.CharField(max_length=40, default="")  # cvb, vertrouwenspersoon
    referral_consent_on = peewee.DateField(null=True)
    referral_summary = peewee.TextField(default="")
    outcome = peewee.CharField(max_length=40, default="")  # opgelost, ingetrokken, doorverwezen
    closing_summary = peewee.TextField(default="")
    # Hash of the one-time token of the form that created this complaint: a
    # resubmitted (refreshed) form does not create a second complaint.
    form_token_hash = peewee.CharField(max_length=64, null=True, unique=True)
    # The bestuur's steps after a formal referral (migration m0003; nullable, so old rows
    # need nothing): received, the hearing, the decision.
    board_received_on = peewee.DateField(null=True)
    hearing_on = peewee.DateField(null=True)
    hearing_notes = peewee.TextField(null=True)
    decision = peewee.CharField(max_length=40, null=True)  # gegrond, deels, ongegrond, ...
    decision_on = peewee.DateField(null=True)
    decision_summary = peewee.TextField(null=True)
    # The salutation of the letters to the parent ("Geachte mevrouw Çelik,"): the form of
    # address ("mevrouw", "heer" or empty) and the surname, both as the parent gave them
    # (klachten m0004 added them to old databases, with a default for the rows there).
    # The database gives the empty default (no Python default: a row written by code that
    # knows nothing of these columns gets it too).
    contact_title = peewee.CharField(max_length=10, constraints=[peewee.SQL("DEFAULT ''")])
    contact_surname = peewee.CharField(max_length=100, constraints=[peewee.SQL("DEFAULT ''")])
    # Recorded by the school (m0005): "school" (its own complaint) or "mondeling" (a parent or
    # someone else, orally or by phone); empty for the parents' form. The school's own
    # complaint gets no receipt letter (it would be addressed to the school itself) and its
    # summary asks nothing about earlier conversations.
    complaint_source = peewee.CharField(max_length=20, constraints=[peewee.SQL("DEFAULT ''")])

    class Meta:
        table_name = "klachten_klacht"


class Gesprek(api.BaseModel):
    """A conversation on the route: first contact, with the person concerned, with the directie."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")
    kind = peewee.CharField(max_length=40)  # eerste_contact, betrokkene, directie, ...
    held_on = peewee.DateField()
    with_whom = peewee.CharField(max_length=200, default="")
    outcome = peewee.TextField(default="")
    created_by = peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "klachten_gesprek"
