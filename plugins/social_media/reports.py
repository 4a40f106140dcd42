"""Dashboard panels and the figures for the yearly evaluation."""

import datetime
from collections import Counter

from flask import url_for

from portal.access import has_permission
from portal.dates import school_year_bounds
from portal.dates import today
from portal.declarations import Panel
from portal.declarations import ReportFigure
from portal.models import Case
from portal.models import utcnow

from . import queries
from .models import AppRequest
from .models import groups_text
from .models import status_text

# A decision stays on the teacher's dashboard this long after it was taken.
RECENT_DAYS = 14
TOP_SITES = 10


def panels(user, school):
    out = []
    decides = has_permission(user, school, "social_media.decide")
    if has_permission(user, school, "social_media.request"):
        lines = _my_request_lines(user, school)
        # The directie gets this panel only for requests of its own (it has the one below).
        if lines or not decides:
            out.append(_my_requests_panel(lines))
    if decides:
        out.append(_pending_panel(school))
    return out


def _my_request_lines(user, school):
    """The user's own requests that are open, in force or decided lately."""
    day = today()
    recent = utcnow() - datetime.timedelta(days=RECENT_DAYS)
    lines = []
    for req in queries.requests_of(school, user, limit=20):
        decided_lately = req.decided_at is not None and req.decided_at >= recent
        if req.decision == "" or req.in_force(day) or decided_lately:
            lines.append((
                f"{req.label}, {groups_text(req.groups)}: {status_text(req, day)}", "",
                url_for("cases.detail", reference=req.case.reference),
            ))
    return lines[:5]


def _my_requests_panel(lines):
    lines = list(lines) or [("Geen lopende aanvragen.", "", None)]
    lines.append(("Wat mag ik gebruiken?", "", url_for("social_media.index")))
    lines.append(("Toestemming vragen voor een app of site", "",
                  url_for("social_media.request_form")))
    return Panel("social_media.mine", "Mijn aanvragen social media", tuple(lines),
                 "social_media.request", order=40)


def _pending_panel(school):
    waiting = queries.pending(school)
    lines = [(f"{r.case.reference}: {r.label}, {groups_text(r.groups)}", "",
              url_for("cases.detail", reference=r.case.reference)) for r in waiting[:5]]
    if not lines:
        lines = [("Geen aanvragen die op een besluit wachten.", "", None)]
    lines.append(("Lijst met toegestane apps beheren", "", url_for("social_media.manage")))
    return Panel("social_media.pending", f"Aanvragen social media: {len(waiting)} wachten op besluit",
                 tuple(lines), "social_media.decide", order=41)


def figures(school, year):
    """Requests made in the school year from 1 August ``year``; ``school`` None: all schools."""
    first, last = school_year_bounds(year)
    start = datetime.datetime.combine(first, datetime.time())
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
    q = (AppRequest.select(AppRequest.domain, AppRequest.decision).join(Case)
         .where((Case.created_at >= start) & (Case.created_at < end)))
    if school is not None:
        q = q.where(AppRequest.school == school.id)
    rows = list(q)
    decisions = Counter(r.decision for r in rows)
    sites = Counter(r.domain for r in rows)
    return [
        ReportFigure("social_media.requests", "Aanvragen social media en apps", len(rows), rows=(
            ("Goedgekeurd", decisions["goedgekeurd"]),
            ("Afgewezen", decisions["afgewezen"]),
            ("Ingetrokken na goedkeuring", decisions["ingetrokken"]),
            ("Nog geen besluit", decisions[""]),
        )),
        ReportFigure("social_media.top_sites", "Meest aangevraagde sites", "", rows=tuple(
            (domain, count) for domain, count in sorted(
                sites.items(), key=lambda item: (-item[1], item[0]))[:TOP_SITES]
        )),
    ]
