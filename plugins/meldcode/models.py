"""The meldcode plugin's own tables; every row points to its case.

``on_delete="CASCADE"`` on each case link: the retention purge of a case removes its
file with it. ``Dossier`` is the detail row of the case type (the core creates it with
the case, from the start form); the other tables get a row per recorded step, so a step
taken again after going back (new signals) keeps the earlier record beside the new one.
"""

import peewee

from portal import api

from .choices import BOARD_KINDS
from .choices import CONVERSATION_OUTCOMES
from .choices import DECISIONS
from .choices import NOT_HELD_REASONS
from .choices import QUESTIONS
from .choices import SOURCES


def _case():
    return peewee.ForeignKeyField(api.Case, on_delete="CASCADE", backref="+")


def _by():
    return peewee.ForeignKeyField(api.User, null=True, on_delete="SET NULL", backref="+")


class Dossier(api.BaseModel):
    """Step 1 (the signals, as the teacher recorded them) and the decision of step 5."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    pupil_name = peewee.CharField(max_length=200)
    signalled_on = peewee.DateField()
    signals = peewee.TextField()
    contra_signals = peewee.TextField()
    source = peewee.CharField(max_length=40)
    source_detail = peewee.CharField(max_length=200, default="")
    considerations = peewee.TextField()
    reported_by = _by()
    # Step 5: "melden", "hulp" or "weggenomen", when and by whom.
    decision = peewee.CharField(max_length=20, default="")
    decided_on = peewee.DateField(null=True, index=True)
    decided_by = _by()
    # The melding at Veilig Thuis (also "alsnog melden" after help without effect).
    reported_on = peewee.DateField(null=True, index=True)
    reported_to = peewee.CharField(max_length=200, default="")
    reported_what = peewee.TextField(default="")
    vt_reference = peewee.CharField(max_length=100, default="")
    # Help organised: the agreements, with whom, until when, and what it should bring.
    help_agreements = peewee.TextField(default="")
    help_with = peewee.TextField(default="")
    help_term = peewee.DateField(null=True)
    help_effect = peewee.TextField(default="")
    # "Zorg weggenomen".
    removed_reason = peewee.TextField(default="")
    # The answer to "heeft de hulp het gewenste effect?" at the end of the term.
    effect_on = peewee.DateField(null=True)
    effect_ok = peewee.BooleanField(null=True)
    effect_note = peewee.TextField(default="")

    class Meta:
        table_name = "meldcode_dossier"

    @property
    def source_label(self):
        text = api.label(SOURCES, self.source)
        return f"{text}: {self.source_detail}" if self.source_detail else text

    @property
    def decision_label(self):
        return api.label(DECISIONS, self.decision)


class Signal(api.BaseModel):
    """New signals recorded when the file goes back a step."""

    case = _case()
    noted_on = peewee.DateField()
    signals = peewee.TextField()
    contra_signals = peewee.TextField(default="")
    back_to = peewee.CharField(max_length=40, default="")  # the state the file went back to
    created_by = _by()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "meldcode_signaal"


class Consultation(api.BaseModel):
    """Step 2: collegiale consultatie with IB or the aandachtsfunctionaris."""

    case = _case()
    held_on = peewee.DateField()
    with_whom = peewee.CharField(max_length=200)
    summary = peewee.TextField()
    decisions = peewee.TextField()
    created_by = _by()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "meldcode_consultatie"


class VeiligThuisAdvice(api.BaseModel):
    """Veilig Thuis consulted anonymously (step 2, and again at step 4 when in doubt)."""

    case = _case()
    consulted_on = peewee.DateField(index=True)
    advice = peewee.TextField()
    created_by = _by()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "meldcode_veilig_thuis"


class Conversation(api.BaseModel):
    """Step 3: the conversation with the parents and the child, or why it was not held."""

    case = _case()
    held = peewee.BooleanField()
    held_on = peewee.DateField(null=True)
    with_parents = peewee.BooleanField(default=False)
    with_child = peewee.BooleanField(default=False)
    summary = peewee.TextField(default="")
    outcome = peewee.CharField(max_length=20, default="")
    not_held_reason = peewee.CharField(max_length=40, default="")
    not_held_explanation = peewee.TextField(default="")
    created_by = _by()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "meldcode_gesprek"

    @property
    def outcome_label(self):
        return api.label(CONVERSATION_OUTCOMES, self.outcome)

    @property
    def reason_label(self):
        return api.label(NOT_HELD_REASONS, self.not_held_reason)

    @property
    def parties(self):
        names = [
            n for on, n in ((self.with_parents, "de ouders/verzorgers"), (self.with_child, "het kind")) if on
        ]
        return " en ".join(names)


class Weighing(api.BaseModel):
    """Step 4: the afwegingskader's five questions, each answered ("ja"/"nee") and explained."""

    case = _case()
    weighed_on = peewee.DateField()
    q1 = peewee.CharField(max_length=3)
    q1_note = peewee.TextField()
    q2 = peewee.CharField(max_length=3)
    q2_note = peewee.TextField()
    q3 = peewee.CharField(max_length=3)
    q3_note = peewee.TextField()
    q4 = peewee.CharField(max_length=3)
    q4_note = peewee.TextField()
    q5 = peewee.CharField(max_length=3)
    q5_note = peewee.TextField()
    strong = peewee.CharField(max_length=3)  # a strong suspicion: the clusterdirecteur is told
    created_by = _by()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "meldcode_weging"

    def answers(self):
        """[(question, "Ja"/"Nee", explanation)] in the afwegingskader's order."""
        return [
            (text, "Ja" if getattr(self, key) == "ja" else "Nee", getattr(self, f"{key}_note"))
            for key, text in QUESTIONS
        ]


class BoardContact(api.BaseModel):
    """The clusterdirecteur informed of a strong suspicion, or the board consulted before
    the decision (``kind``, a key of BOARD_KINDS)."""

    case = _case()
    kind = peewee.CharField(max_length=20)
    held_on = peewee.DateField()
    with_whom = peewee.CharField(max_length=200)
    note = peewee.TextField(default="")
    created_by = _by()
    created_at = peewee.DateTimeField(default=api.utcnow)

    class Meta:
        table_name = "meldcode_bestuur"

    @property
    def kind_label(self):
        return api.label(BOARD_KINDS, self.kind)


MODELS = [Dossier, Signal, Consultation, VeiligThuisAdvice, Conversation, Weighing, BoardContact]
