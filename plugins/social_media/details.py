"""Reading what is allowed: the list, the approvals in force, a teacher's own requests, the
public feed, the search, and a request's details on its case page.

"In force" is always computed from the dates at the moment of reading, so an
approval for a period ends by itself without any scheduled job.
"""

import peewee

from portal import api

from .choices import AGREEMENTS
from .choices import KINDS
from .choices import pupil_data_text
from .models import AllowedApp
from .models import AppRequest
from .models import in_force_condition


def summary_context(detail):
    day = api.today()
    return {
        "req": detail,
        "kind": api.label(KINDS, detail.kind),
        "in_force": detail.in_force(day),
        "ended": detail.ended(day),
        "agreement": api.label(AGREEMENTS, detail.privacy_agreement),
        "pupil_data": pupil_data_text(detail.pupil_data),
    }


def allowed_apps(school):
    return list(
        AllowedApp.select().where(AllowedApp.school == school.id).order_by(AllowedApp.name, AllowedApp.domain)
    )


def already_allowed(school, domain):
    """The allowed-list entry that covers ``domain`` (same domain or a parent), or None."""
    return next((a for a in allowed_apps(school) if api.domain_covers(a.domain, domain)), None)


def _with_case(school, condition):
    """The school's requests that meet ``condition``, each with its case."""
    return (
        AppRequest.select(AppRequest, api.Case)
        .join(api.Case)
        .where((AppRequest.school == school.id) & condition)
    )


def approvals_in_force(school, day, group=None):
    """Approved requests whose dates include ``day``, with their case, soonest ending first."""
    rows = list(
        _with_case(school, in_force_condition(day)).order_by(
            AppRequest.domain, AppRequest.end_date, AppRequest.id
        )
    )
    if group:
        rows = [r for r in rows if group in r.groups.split(",")]
    return rows


def requests_of(school, user, limit=50):
    """A teacher's own requests, newest first."""
    return list(
        _with_case(school, AppRequest.requested_by == user.id)
        # Newest first by the request's id (made with its case, in the same order): the index
        # on requested_by holds it, so the dashboard reads `limit` rows, not every request the
        # teacher ever made and a sort of them (docs/performance.md).
        .order_by(AppRequest.id.desc())
        .limit(limit)
    )


def pending(school):
    return list(_with_case(school, AppRequest.decision == "").order_by(api.Case.created_at, api.Case.id))


def pending_count(school):
    """How many requests of ``school`` wait for a decision: counted in the index (school,
    decision, id) (m0003), no row read."""
    return (
        AppRequest.select(peewee.fn.COUNT(AppRequest.id))
        .where((AppRequest.school == school.id) & (AppRequest.decision == ""))
        .scalar()
    )


def pending_first(school, limit):
    """The ``limit`` oldest requests that wait for a decision, each with its case: the index
    (school, decision, id) holds them in the order they were made (a request is made with its
    case), so the dashboard reads ``limit`` rows, not every undecided request and a sort."""
    return list(_with_case(school, AppRequest.decision == "").order_by(AppRequest.id).limit(limit))


def matches(query, *texts):
    """Plain case-insensitive search in a few texts (the lists are short: no SQL needed)."""
    q = (query or "").strip().lower()
    return not q or any(q in (t or "").lower() for t in texts)


def feed(school, day):
    """The public feed: domains only, never names, groups or lesson text (see README.md)."""
    allowed = allowed_apps(school)
    approved = approvals_in_force(school, day)
    # One entry per approved domain: the latest end date wins (None: no end).
    until = {}
    for r in approved:
        if any(api.domain_covers(a.domain, r.domain) for a in allowed):
            continue  # already on the allowed list
        current = until.get(r.domain, r.end_date)
        until[r.domain] = None if None in (current, r.end_date) else max(current, r.end_date)
    return {
        "school": school.slug,
        "date": day.isoformat(),
        "includes_subdomains": True,
        "domains": sorted({a.domain for a in allowed} | set(until)),
        "allowed": [{"domain": a.domain, "name": a.name} for a in allowed],
        "approved": [
            {"domain": d, "until": until[d].isoformat() if until[d] else None} for d in sorted(until)
        ],
    }
