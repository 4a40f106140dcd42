"""What the case page shows about a complaint (the core renders klachten/summary.html)."""

from flask import g

from portal.models import User
from portal.models import UserRole

from .choices import CATEGORIES
from .choices import GESPREK_KINDS
from .choices import OUTCOMES
from .choices import REFERRAL_SHORT
from .choices import label
from .models import Gesprek
from .models import Klacht


def staff_of(school):
    """People with a role at this school (not board-wide): whom a complaint may be about."""
    return list(
        User.select().distinct().join(UserRole)
        .where((UserRole.school == school.id) & (User.active == True))  # noqa: E712
        .order_by(User.name)
    )


def context(case):
    klacht = Klacht.get_or_none(Klacht.case == case.id)
    conversations = list(
        Gesprek.select().where(Gesprek.case == case.id).order_by(Gesprek.held_on, Gesprek.id))
    return {
        "klacht": klacht,
        "category": label(CATEGORIES, klacht.category) if klacht else "",
        "outcome": label(OUTCOMES, klacht.outcome) if klacht else "",
        "referral": REFERRAL_SHORT.get(klacht.referral_to, "") if klacht else "",
        "conversations": conversations,
        "kinds": GESPREK_KINDS,
        "staff": staff_of(g.school) if g.get("school") else [],
    }
