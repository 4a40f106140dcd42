"""Reading a case's own rows: the small queries the workflow, the case page and the
letters share, and the summary and letter contexts built from them.

Every fact in a letter comes from these rows, so nothing is typed twice: change the
decision and the next version of the letter follows.
"""

import datetime

from portal import api

from .models import BoardConsultation
from .models import Evaluation
from .models import Hearing
from .models import Objection
from .models import SchoolApproach
from .models import Suspension

# Objection (bezwaar) against a suspension or expulsion: within six weeks, to the
# bevoegd gezag (the board), as the law (Awb) requires.
OBJECTION_WEEKS = 6


def objection(case):
    return Objection.get_or_none(Objection.case == case.id)


def objection_end(detail):
    """The last day of the objection period against the expulsion decision: six calendar
    weeks from the day after the decision (Awb art. 6:7, 6:8; Algemene termijnenwet)."""
    if detail is None or detail.decided_on is None:
        return None
    return api.term_end(detail.decided_on, OBJECTION_WEEKS)


def suspension(case):
    return Suspension.get_or_none(Suspension.case == case.id)


def consultations(case):
    return api.rows(case, BoardConsultation, BoardConsultation.held_on, BoardConsultation.id)


def hearings(case, party=None):
    return [h for h in api.rows(case, Hearing, Hearing.held_on, Hearing.id) if party in (None, h.party)]


def approaches(case):
    return api.rows(case, SchoolApproach, SchoolApproach.approached_on, SchoolApproach.id)


def accepting_school(case):
    """The latest approach that counts as an acceptance, or None."""
    accepted = [a for a in approaches(case) if a.counts_as_accepted]
    return accepted[-1] if accepted else None


# ------------------------------------------------------------- case page ----


def suspension_summary(case, detail):
    return {
        "incident": detail,
        "consultations": consultations(case),
        "hearings": hearings(case),
        "suspension": suspension(case),
        "evaluations": api.rows(case, Evaluation, Evaluation.held_on),
    }


def expulsion_summary(case, detail):
    incident_case = detail.incident_case if detail and detail.incident_case_id else None
    return {
        "expulsion": detail,
        "incident_case": incident_case,
        "hearings": hearings(case),
        "approaches": approaches(case),
        "objection_end": objection_end(detail),
        "objection": objection(case),
    }


# --------------------------------------------------------------- letters ----


def board_name(school):
    """The bevoegd gezag by name, from the school's data: a letter on its behalf is refused
    without it."""
    return api.letter_board(school)


def objection_address(school):
    """Where the parents send a bezwaarschrift (Awb art. 6:4): the letter is refused until
    the school has filled it in."""
    return api.require_setting(
        school,
        "schorsing.bezwaar_adres",
        "Adres voor bezwaar tegen schorsing of verwijdering",
        "het postadres van het bevoegd gezag waar ouders hun bezwaarschrift heen sturen "
        "(naam, straat en huisnummer, postcode en plaats).",
    )


def return_day(decision, school):
    """The school day the pupil is back: the first school day after the last day of the
    suspension, on the school's calendar."""
    if decision is None:
        return None
    cal = api.SchoolCalendar.for_school(school)
    return cal.next_school_day(decision.last_day + datetime.timedelta(days=1))


def _addresses(school):
    board = board_name(school)
    return {
        "board": board,
        "objection_weeks": OBJECTION_WEEKS,
        "objection_address": objection_address(school),
    }


def suspension_letter(case, detail, school):
    decision = suspension(case)
    signer = decision.decided_by if decision and decision.decided_by_id else None
    return {
        "incident": detail,
        "suspension": decision,
        "return_day": return_day(decision, school),
        "leerplicht_address": api.get_setting(school, "schorsing.leerplicht_adres"),
        "decided_by_name": signer.name if signer else "",
        "signer": api.signer(signer, school),
        "consultations": consultations(case),
        **_addresses(school),
        "inspectie_address": api.get_setting(school, "schorsing.inspectie_adres"),
    }


def expulsion_letter(case, detail, school):
    decision_by = api.step_user(case, "schorsing.v_besluit") or api.step_user(case, "schorsing.v_voornemen")
    objected = objection(case)
    return {
        "expulsion": detail,
        "hearings": hearings(case),
        "heard": {p: hearings(case, p) for p in ("leerkracht", "ouders", "ouders_bezwaar")},
        "accepting": accepting_school(case),
        "objection_end": objection_end(detail),
        "objection": objected,
        "signer": api.signer(decision_by, school),
        "objection_signer": api.signer(api.step_user(case, "schorsing.v_beslissing_bezwaar"), school),
        "leerplicht_address": api.get_setting(school, "schorsing.leerplicht_adres"),
        "inspectie_address": api.get_setting(school, "schorsing.inspectie_adres"),
        **_addresses(school),
    }
