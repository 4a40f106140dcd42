"""The school's own step plan: a template that each new case copies as its checklist.

The copy is made when the event is reported; from then on the case owns its
items, so editing the template never changes a running case.
"""

import datetime
import re

from portal.cases import engine
from portal.db import atomic
from portal.schoolcalendar import SchoolCalendar

from .models import TraumaStep

# (key, label, due days after the report or None, required before closing).
# The follow-ups carry due dates so they show up among the case's deadlines.
DEFAULT_STEPS = (
    ("directie", "Directie informeren", None, True),
    ("familie", "Contact opnemen met de familie", None, True),
    ("team", "Team informeren", None, True),
    ("ouders", "Ouders van de groep informeren", None, False),
    ("groep", "Aandacht besteden aan de gebeurtenis in de groep", None, False),
    ("extern", "Externe hulp inschakelen (indien nodig)", None, False),
    ("nazorg_week", "Nazorg: gesprek na één week", 7, True),
    ("nazorg_6wk", "Nazorg: gesprek na zes weken", 42, True),
    ("nazorg_3mnd", "Nazorg: gesprek na drie maanden", 91, True),
    ("evaluatie", "Evalueren", None, False),
)

# Steps the workflow ticks by itself when they exist in the case's copy.
KEY_EXTERNAL = "extern"
KEY_EVALUATION = "evaluatie"


class PlanStep:
    """One step as shown and copied, whether it comes from the table or the default."""

    def __init__(self, key, label, due_days, required):
        self.key, self.label, self.due_days, self.required = key, label, due_days, required


def plan_for(school):
    """The school's step plan in order (the default while the school has not saved one)."""
    rows = list(TraumaStep.select().where(TraumaStep.school == school.id)
                .order_by(TraumaStep.position, TraumaStep.id))
    if not rows:
        return [PlanStep(*s) for s in DEFAULT_STEPS]
    return [PlanStep(r.key, r.label, r.due_days, r.required) for r in rows]


def item_name(key):
    return f"trauma.{key}"


def new_key(label, taken):
    """A stable key for a step the school added: derived from the label, unique."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30] or "stap"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def save_plan(school, steps):
    """Replace the school's template by ``steps`` (a list of PlanStep)."""
    with atomic():
        TraumaStep.delete().where(TraumaStep.school == school.id).execute()
        for pos, s in enumerate(steps):
            TraumaStep.create(school=school.id, key=s.key, label=s.label, due_days=s.due_days,
                              required=s.required, position=pos)


def copy_plan_to_case(case, reported_on):
    """Give ``case`` its own checklist from the school's current plan (inside the transaction).

    A due date that falls in a weekend or vacation moves to the next school
    day: a follow-up talk needs the school to be open.
    """
    cal = None
    for step in plan_for(case.school):
        due = None
        if step.due_days is not None:
            cal = cal or SchoolCalendar.for_school(case.school)
            due = cal.next_school_day(reported_on + datetime.timedelta(days=step.due_days))
        engine.add_checklist_item(case, item_name(step.key), step.label,
                                  required=step.required, due_date=due)
