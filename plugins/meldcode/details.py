"""Reading a case's own rows: the small queries the workflow, the case page and the letters
share, and the summary and letter contexts built from them.

Every fact in a letter comes from these rows, so nothing is typed twice.
"""

from portal import api

from .models import BoardContact
from .models import Consultation
from .models import Conversation
from .models import Signal
from .models import VeiligThuisAdvice
from .models import Weighing


def signals(case):
    return api.rows(case, Signal, Signal.noted_on, Signal.id)


def consultations(case):
    return api.rows(case, Consultation, Consultation.held_on, Consultation.id)


def advice(case):
    return api.rows(case, VeiligThuisAdvice, VeiligThuisAdvice.consulted_on, VeiligThuisAdvice.id)


def conversations(case):
    return api.rows(case, Conversation)


def last_conversation(case):
    rows = conversations(case)
    return rows[-1] if rows else None


def last_held_conversation(case):
    held = [c for c in conversations(case) if c.held]
    return held[-1] if held else None


def weighings(case):
    return api.rows(case, Weighing)


def last_weighing(case):
    """The weighing that counts: the latest (after going back, the step is weighed again)."""
    rows = weighings(case)
    return rows[-1] if rows else None


def board_contacts(case, kind=None):
    rows = api.rows(case, BoardContact, BoardContact.held_on, BoardContact.id)
    return [r for r in rows if kind in (None, r.kind)]


def _name(user_id):
    user = api.User.get_or_none(api.User.id == user_id) if user_id else None
    return user.name if user else ""


# ------------------------------------------------------------- case page ----


def _people(*groups):
    """{user id: name} of everyone who recorded one of the rows (one query)."""
    ids = {r.created_by_id for rows in groups for r in rows if r.created_by_id}
    if not ids:
        return {}
    return dict(api.User.select(api.User.id, api.User.name).where(api.User.id.in_(list(ids))).tuples())


def summary(case, detail, school):
    rows = {
        "signals": signals(case),
        "consultations": consultations(case),
        "advice": advice(case),
        "conversations": conversations(case),
        "weighings": weighings(case),
        "board": board_contacts(case),
    }
    return {
        **rows,
        "dossier": detail,
        "reported_by": _name(detail.reported_by_id) if detail else "",
        "decided_by": _name(detail.decided_by_id) if detail else "",
        "people": _people(*rows.values()),
        "veilig_thuis": api.get_setting(school, "meldcode.veilig_thuis"),
    }


# --------------------------------------------------------------- letters ----


def _pupil(case):
    rows = [r for r in api.case_pupils(case) if r.linked]
    return rows[0] if rows else None


def _signer(user_id, school):
    """Who signs, with their function (the letter kit)."""
    return api.signer(api.User.get_or_none(api.User.id == user_id) if user_id else None, school)


def conversation_letter(case, detail, school):
    pupil = _pupil(case)
    conversation = last_held_conversation(case)
    return {
        "dossier": detail,
        "group": pupil.group if pupil else "",
        "conversation": conversation,
        "held_by": _name(conversation.created_by_id) if conversation else "",
        "signer": _signer(conversation.created_by_id if conversation else None, school),
    }


def report_letter(case, detail, school):
    pupil = _pupil(case)
    return {
        "dossier": detail,
        "group": pupil.group if pupil else "",
        "decided_by": _name(detail.decided_by_id),
        "signer": _signer(detail.decided_by_id, school),
        "consultations": consultations(case),
        "advice": advice(case),
        "conversation": last_conversation(case),
        "weighing": last_weighing(case),
        "board": board_contacts(case),
        "veilig_thuis": api.get_setting(school, "meldcode.veilig_thuis"),
    }


def agreements_letter(case, detail, school):
    pupil = _pupil(case)
    return {
        "dossier": detail,
        "group": pupil.group if pupil else "",
        "decided_by": _name(detail.decided_by_id),
        "signer": _signer(detail.decided_by_id, school),
    }


def has_held_conversation(case):
    """The verslag needs a conversation that took place (not one left out for safety)."""
    return last_held_conversation(case) is not None
