"""Issue 15, item 1: two dashboard panels that read small ranges count what they counted
when they read everything.

- schorsing: "nu geschorst" reads the suspensions that end today or later (index on the last
  day), "inspectie nog te informeren" the open inspectie items (index of open checklist
  items); both compared here with the rows counted in Python.
- social_media: the number of requests waiting for a decision is counted in the index, and
  the panel lists the oldest five.
"""

import datetime

from plugins.schorsing.models import Suspension
from plugins.schorsing.reports import _panel_counts
from plugins.schorsing.workflow import SUSPENSION
from plugins.social_media import details as social_details
from plugins.social_media.models import AppRequest
from portal.cases import engine
from portal.dates import today
from portal.models import Case
from portal.models import CaseChecklistItem

from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import school

DAY = datetime.timedelta(days=1)


def _suspension(first, last, days, notice):
    """A suspension case with its decision; ``notice``: None (no inspectie item), False
    (item open) or True (ticked)."""
    case = engine.create_case(school(), SUSPENSION, "Schorsing", actor("directie"))
    Suspension.create(
        case=case.id,
        decided_on=first - DAY,
        first_day=first,
        last_day=last,
        days=days,
        reason="Reden",
        schoolwork="Werk",
    )
    CaseChecklistItem.delete().where(
        (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == "schorsing.inspectie")
    ).execute()
    if notice is not None:
        CaseChecklistItem.create(
            case=case.id, name="schorsing.inspectie", label="Inspectie", done_at=today() if notice else None
        )
    return case


def _expected(at):
    rows = list(
        Suspension.select(Suspension, Case)
        .join(Case, on=(Suspension.case == Case.id))
        .where((Case.school == at.id) & (Case.case_type == SUSPENSION))
    )
    open_items = {
        i.case_id
        for i in CaseChecklistItem.select().where(
            (CaseChecklistItem.name == "schorsing.inspectie") & CaseChecklistItem.done_at.is_null()
        )
    }
    now = sum(1 for s in rows if s.first_day <= today() <= s.last_day)
    missing = sum(1 for s in rows if s.days > 1 and s.case_id in open_items)
    return now, missing


def test_schorsing_panel_counts_match_the_rows(app):
    t = today()
    with db_ctx(app):
        before = _panel_counts(school(), t)  # the demo's own
        _suspension(t - 10 * DAY, t - 8 * DAY, 3, False)  # over, notice still open: counts
        _suspension(t - 10 * DAY, t - 8 * DAY, 3, True)  # over, reported
        _suspension(t - DAY, t + DAY, 3, False)  # now, open
        _suspension(t, t, 1, False)  # now, one day: no notice needed
        _suspension(t + 2 * DAY, t + 4 * DAY, 3, None)  # to come: not now
        _suspension(t - 3 * DAY, t + 3 * DAY, 5, True)  # now, reported
        counted = _panel_counts(school(), t)
        assert counted == _expected(school())
        assert counted == (before[0] + 3, before[1] + 2)


def test_social_media_pending_count_and_first_rows(app):
    with db_ctx(app):
        at = school()
        before = social_details.pending_count(at)
        for n in range(6):
            case = engine.create_case(at, "social_media.aanvraag", f"Aanvraag {n}", actor("leerkracht"))
            AppRequest.create(
                case=case.id,
                school=at.id,
                address=f"https://site{n}.example",
                domain=f"site{n}.example",
                groups="5",
                purpose="Les",
                kind="eenmalig",
                start_date=today(),
            )
        waiting = social_details.pending(at)
        assert social_details.pending_count(at) == len(waiting) == before + 6
        first = social_details.pending_first(at, 5)
        assert [r.id for r in first] == sorted(r.id for r in waiting)[:5]
        assert all(r.decision == "" and r.case.reference for r in first)
