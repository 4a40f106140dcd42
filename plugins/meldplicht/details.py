"""Reading a report's row for the case page (meldplicht/summary.html)."""

from portal import api

from .choices import YES_NO


def _name(user_id):
    person = api.User.get_or_none(api.User.id == user_id) if user_id else None
    return person.name if person else ""


def summary_context(case, detail):
    from .workflow import missing_steps

    return {
        "melding": detail,
        "yes_no": dict(YES_NO),
        "reporter": detail.reported_by or _name(case.created_by_id),
        "reported_at": case.created_at,
        "shut_out": api.excluded(case),
        "missing": missing_steps(detail) if case.closed_at is None else [],
    }


def letter_context(case, detail, school):
    """The facts of both letters: the bevoegd gezag by name (the duty is the board's; the
    letter refuses to be made without it), who decided, the pupils of the case for the
    parents' letter, and the consultation with the vertrouwensinspecteur."""
    decided_by = api.step_user(case, "meldplicht.vermoeden")
    return {
        "melding": detail,
        "board": api.letter_board(school),
        "signer": api.signer(decided_by, school),
        "pupils": [row.display for row in api.case_pupils(case)],
    }
