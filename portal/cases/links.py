"""Cases that follow from other cases: a suspension from an incident, the reporting duty
for a sexual offence from a complaint, a meldcode file from a trauma case.

A case type's start names the types it may follow (``Start.follows``; ``"*"``: any). The
page of a case of such a type then offers that start as a next step ("Vervolg"), to whoever
may start it; the start page, opened with ``?vanuit=<reference>``, fills in what the first
case knows (its pupil, and the start's own ``prefill`` with ``origin``), and the new case is
linked to the first one in the transaction that creates it. Both pages list the other case
to whoever may see it, so a confidential follow-up does not show on the first case's page
for someone who may not open it. Nothing of one case is copied into the other's timeline
for the same reason.
"""

from ..access import enabled_plugins
from ..access import has_permission
from ..audit import audit
from ..models import Case
from ..models import CaseLink
from ..registry import get_registry
from .visibility import get_visible
from .visibility import visible_condition

ORIGIN_ARG = "vanuit"


def follows(ct, type_name, start=None):
    """May a case of ``ct`` be started from a case of ``type_name`` (through ``start``, else
    through any of its staff starts)?"""
    return any(
        not s.public and ("*" in s.follows or type_name in s.follows)
        for s in ((start,) if start is not None else ct.starts)
    )


def follow_up_types(case, user, school):
    """[(case type, start)] that ``user`` may start from ``case``'s page (enabled here,
    permitted), by the start's label."""
    enabled = enabled_plugins(school)
    out = []
    for ct in get_registry().case_types.values():
        if ct.name.partition(".")[0] not in enabled:
            continue
        for start in ct.starts:
            if not follows(ct, case.case_type, start):
                continue
            if start.permission and not has_permission(user, school, start.permission):
                continue
            out.append((ct, start))
    return sorted(out, key=lambda pair: pair[1].label)


def startable_types(type_names, user, school):
    """The case types of ``type_names`` whose (staff) start ``user`` may open here: where a
    start that only follows them sends someone who opened it on its own."""
    reg = get_registry()
    enabled = enabled_plugins(school)
    out = []
    for name in type_names:
        ct = reg.case_types.get(name)
        if ct is None or ct.start is None or ct.start.public or name.partition(".")[0] not in enabled:
            continue
        if ct.start.permission and has_permission(user, school, ct.start.permission):
            out.append(ct)
    return out


def origin_case(ct, reference, user, school, start=None):
    """The case a start page was opened from (``?vanuit=``): one of ``school`` that ``user``
    may see and that ``ct`` (its ``start``) may follow, else None (the same answer for a
    missing one)."""
    reference = (reference or "").strip().upper()[:40]
    if not reference:
        return None
    case = get_visible(school, reference, user)
    if case is None or not follows(ct, case.case_type, start):
        return None
    return case


def link(origin, follow_up, user):
    """Record that ``follow_up`` was started from ``origin`` (in the caller's transaction)."""
    CaseLink.create(case=origin.id, follow_up=follow_up.id, created_by=getattr(user, "id", None))
    audit(
        "case.link",
        case=follow_up,
        user=user,
        school=follow_up.school,
        detail=f"vervolg van {origin.reference}",
    )


def linked(case, user, school):
    """The cases linked to ``case`` that ``user`` may see: [(case, "van" | "vervolg")],
    oldest first ("van": ``case`` was started from it; "vervolg": it was started from
    ``case``)."""
    rows = list(
        CaseLink.select(CaseLink.case, CaseLink.follow_up).where(
            (CaseLink.case == case.id) | (CaseLink.follow_up == case.id)
        )
    )
    if not rows:
        return []
    direction = {}
    for row in rows:
        if row.follow_up_id == case.id:
            direction[row.case_id] = "van"
        else:
            direction[row.follow_up_id] = "vervolg"
    visible = (
        Case.select(Case.id, Case.reference, Case.case_type, Case.state, Case.title, Case.created_at)
        .where(Case.id.in_(list(direction)) & (Case.school == school.id) & visible_condition(user, school))
        .order_by(Case.created_at, Case.id)
    )
    return [(other, direction[other.id]) for other in visible]
