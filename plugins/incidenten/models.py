"""The plugin's tables; each is the detail row of one case type (``unique=True`` on the
case, ``on_delete="CASCADE"``: the retention purge takes the row with its case).

``Incident`` is a statistical record: when, where, what, the OCW category and who was
involved *by role*. Names live only in a linked case (a suspension, a meldcode file), and
pupils chosen from the register are linked by the core, seen only by whoever may see it.
"""

import peewee

from portal import api

from .choices import BAN_SCOPES
from .choices import CATEGORIES
from .choices import DISCRIMINATION_GROUNDS
from .choices import EVALUATION_VERDICTS
from .choices import INJURIES
from .choices import INTERVENTION_GROUNDS
from .choices import INVOLVED
from .choices import PLACES
from .choices import SERIOUS_INJURIES


def _case():
    return peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")


def _by():
    return peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")


def _labels(choices, keys):
    return ", ".join(api.label(choices, k) for k in (keys or "").split(",") if k)


class Incident(api.BaseModel):
    case = _case()
    occurred_on = peewee.DateField(index=True)
    occurred_time = peewee.TimeField(null=True)
    place = peewee.CharField(max_length=20)
    what = peewee.TextField()
    category = peewee.CharField(max_length=30)
    discrimination_ground = peewee.CharField(max_length=30, default="")
    # Comma-separated keys of INVOLVED.
    involved = peewee.CharField(max_length=100, default="")
    # An accident: whose, the injury, and (staff) the days of absence.
    victim = peewee.CharField(max_length=20, default="")
    injury = peewee.CharField(max_length=20, default="geen")
    absence_days = peewee.IntegerField(null=True)
    measure = peewee.TextField(default="")
    parents_informed = peewee.CharField(max_length=5, default="")
    parents_informed_on = peewee.DateField(null=True)
    parents_informed_by = peewee.CharField(max_length=200, default="")
    reported_by = _by()
    # Arbowet art. 9 lid 1: the report to the Nederlandse Arbeidsinspectie.
    ai_required = peewee.BooleanField(default=False)
    ai_reported_on = peewee.DateField(null=True)
    ai_reference = peewee.CharField(max_length=100, default="")
    closing_note = peewee.TextField(default="")

    class Meta:
        table_name = "incidenten_incident"

    @property
    def place_label(self):
        return api.label(PLACES, self.place)

    @property
    def category_label(self):
        text = api.label(CATEGORIES, self.category)
        if self.discrimination_ground:
            return f"{text} ({api.label(DISCRIMINATION_GROUNDS, self.discrimination_ground).lower()})"
        return text

    @property
    def involved_label(self):
        return _labels(INVOLVED, self.involved)

    @property
    def victim_label(self):
        return api.label(INVOLVED, self.victim) if self.victim else ""

    @property
    def injury_label(self):
        return api.label(INJURIES, self.injury)

    @property
    def staff_accident(self):
        return self.category == "ongeval" and self.victim == "personeel"

    @property
    def serious(self):
        return self.injury in SERIOUS_INJURIES


class Intervention(api.BaseModel):
    """Fysiek ingrijpen (veiligheidsplan 3.1.4) and its evaluation."""

    case = _case()
    occurred_on = peewee.DateField(index=True)
    occurred_time = peewee.TimeField()
    intervened_by = peewee.CharField(max_length=200)
    pupil_name = peewee.CharField(max_length=200)
    preceded = peewee.TextField()
    alternatives = peewee.TextField()
    ground = peewee.CharField(max_length=20)
    duration_minutes = peewee.IntegerField()
    injuries = peewee.TextField(default="")
    parents_informed = peewee.CharField(max_length=5, default="")
    parents_informed_time = peewee.TimeField(null=True)
    reported_by = _by()
    evaluated_on = peewee.DateField(null=True)
    evaluated_with = peewee.CharField(max_length=200, default="")
    verdict = peewee.CharField(max_length=10, default="")
    lessons = peewee.TextField(default="")

    class Meta:
        table_name = "incidenten_ingrijpen"

    @property
    def ground_label(self):
        return api.label(INTERVENTION_GROUNDS, self.ground)

    @property
    def verdict_label(self):
        return api.label(EVALUATION_VERDICTS, self.verdict) if self.verdict else ""


class Breach(api.BaseModel):
    """A data breach (AVG art. 33 and 34) and the decisions on it."""

    case = _case()
    discovered_on = peewee.DateField(index=True)
    discovered_time = peewee.TimeField()
    what = peewee.TextField()
    data_kinds = peewee.TextField(default="")
    affected_count = peewee.IntegerField(null=True)
    sensitive = peewee.BooleanField(default=False)
    reported_by = _by()
    fg_informed_on = peewee.DateField(null=True)
    fg_name = peewee.CharField(max_length=200, default="")
    report_ap = peewee.CharField(max_length=3, default="")
    ap_reason = peewee.TextField(default="")
    ap_reported_on = peewee.DateField(null=True)
    ap_reference = peewee.CharField(max_length=100, default="")
    inform_affected = peewee.CharField(max_length=3, default="")
    affected_reason = peewee.TextField(default="")
    measures = peewee.TextField(default="")

    class Meta:
        table_name = "incidenten_datalek"


class Ban(api.BaseModel):
    """A toegangsverbod voor een ouder (veiligheidsplan 3.1.5), from intention to lifting."""

    case = _case()
    parent_name = peewee.CharField(max_length=200)
    parent_address = peewee.TextField(default="")
    occurred_on = peewee.DateField()
    what = peewee.TextField()
    police = peewee.BooleanField(default=False)
    police_note = peewee.TextField(default="")
    # The de-escalation conversation.
    talk_on = peewee.DateField(null=True)
    talk_summary = peewee.TextField(default="")
    # The intention (voornemen) and the parent's view (zienswijze).
    intention_on = peewee.DateField(null=True)
    intention_reasons = peewee.TextField(default="")
    view_until = peewee.DateField(null=True)
    view_on = peewee.DateField(null=True)
    view_summary = peewee.TextField(default="")
    # The decision by the directie, after consulting the board.
    board_on = peewee.DateField(null=True)
    board_with = peewee.CharField(max_length=200, default="")
    decided_on = peewee.DateField(null=True)
    reasons = peewee.TextField(default="")
    scope = peewee.CharField(max_length=100, default="")
    ban_from = peewee.DateField(null=True)
    ban_until = peewee.DateField(null=True)
    information = peewee.TextField(default="")
    evaluated_on = peewee.DateField(null=True)
    evaluation = peewee.TextField(default="")
    lifted_on = peewee.DateField(null=True)
    lifted_note = peewee.TextField(default="")

    class Meta:
        table_name = "incidenten_toegangsverbod"

    @property
    def scope_label(self):
        return _labels(BAN_SCOPES, self.scope)


MODELS = [Incident, Intervention, Breach, Ban]
