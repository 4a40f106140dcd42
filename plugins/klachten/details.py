"""Reading a complaint's own rows for the case page (klachten/summary.html), the letters and
the parent's pages."""

from portal import api

from .choices import CATEGORIES
from .choices import DECISIONS
from .choices import DEFAULT_COMMISSION
from .choices import FORMAL
from .choices import GESPREK_KINDS
from .choices import OUTCOMES
from .choices import REFERRAL_SHORT
from .models import Gesprek


def _complaint(case, detail):
    return {
        "klacht": detail,
        "category": api.label(CATEGORIES, detail.category),
        "outcome": api.label(OUTCOMES, detail.outcome),
        "referral": REFERRAL_SHORT.get(detail.referral_to, ""),
        "formal": detail.referral_to in FORMAL,
        "decision": api.label(DECISIONS, detail.decision) if detail.decision else "",
        "conversations": list(
            Gesprek.select().where(Gesprek.case == case.id).order_by(Gesprek.held_on, Gesprek.id)
        ),
        "kinds": GESPREK_KINDS,
    }


def context(case, detail, school):
    # ``staff``: whom the complaint may be about, for the form that links and excludes them;
    # ``shut_out``: who is excluded (by the name the parent gave, or linked).
    return {**_complaint(case, detail), "staff": api.staff_of(school), "shut_out": api.excluded(case)}


def letter_context(case, detail, school):
    return {
        **_complaint(case, detail),
        "vertrouwenspersoon": api.get_setting(school, "klachten.vertrouwenspersoon"),
        "handler_name": case.assignee.name if case.assignee_id else "De contactpersoon",
    }


def commission(school):
    """The klachtencommissie the board is affiliated with, as the parents' form names it: the
    core's setting (the letters use it too, and are refused while it is empty), else the
    commission most boards are affiliated with."""
    return " ".join(api.get_setting(school, "portal.klachtencommissie").split()) or DEFAULT_COMMISSION


def form_context(school):
    """The parents' form: whom they may also turn to, within how many school days the
    contactpersoon answers, and what happens to their data (AVG art. 13)."""
    return {
        "vertrouwenspersoon": api.get_setting(school, "klachten.vertrouwenspersoon"),
        "ack_days": api.get_setting(school, "klachten.ack_school_days"),
        "privacy": privacy(school),
        "klachtencommissie": commission(school),
    }


def privacy(school):
    """AVG art. 13 for the parents' form, from the school's settings with defaults: who is
    responsible (the board), the functionaris gegevensbescherming, and how long a complaint
    is kept (the type's retention and the years after a pupil left)."""
    from .workflow import TYPE

    controller = " ".join(api.get_setting(school, "klachten.privacy_verantwoordelijke").split())
    fg = " ".join(api.get_setting(school, "klachten.privacy_fg").split())
    reach = school.email or school.phone or school.name
    return {
        "controller": controller or school.board_name,
        "fg": fg,
        "reach": reach,
        "years": max(1, round(TYPE.retention_days / 365)),
        "years_after_left": int(api.get_setting(school, f"{TYPE.name}.years_after_left") or 0),
    }


def public_context(detail):
    """The parent's follow-up page and PDF receipt: their complaint and its subject."""
    return {"klacht": detail, "category": api.label(CATEGORIES, detail.category)}
