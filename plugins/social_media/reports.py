"""Dashboard panels and the figures for the yearly evaluation."""

import datetime

from flask import url_for

from portal import api

from . import details
from .models import AppRequest
from .workflow import CASE_TYPE
from .workflow import START

# A decision stays on the teacher's dashboard this long after it was taken.
RECENT_DAYS = 14
TOP_SITES = 10
# The figure's rows: (decision on the request row, text).
OUTCOMES = (
    ("goedgekeurd", "Goedgekeurd"),
    ("afgewezen", "Afgewezen"),
    ("ingetrokken", "Ingetrokken na goedkeuring"),
    ("", "Nog geen besluit"),
)


def panels(user, school):
    out = []
    decides = api.has_permission(user, school, "social_media.decide")
    if api.has_permission(user, school, "social_media.request"):
        mine = _my_request_lines(user, school)
        # The directie gets this panel only for requests of its own (it has the one below).
        if mine or not decides:
            lines = (
                *(mine or [("Geen lopende aanvragen.", "", None)]),
                ("Wat mag ik gebruiken?", "", url_for("social_media.index")),
                (START.label, "", url_for(api.start_endpoint(CASE_TYPE))),
            )
            out.append(
                api.Panel(
                    "social_media.mine",
                    "Mijn aanvragen social media",
                    lines,
                    "social_media.request",
                    order=40,
                )
            )
    if decides:
        out.append(_pending_panel(school))
    return out


def _my_request_lines(user, school):
    """The user's own requests that are open, in force or decided lately (at most five)."""
    day = api.today()
    recent = api.utcnow() - datetime.timedelta(days=RECENT_DAYS)
    lines = [
        (
            f"{req.label}, {req.groups_text}: {req.status_text(day)}",
            "",
            url_for("cases.detail", reference=req.case.reference),
        )
        for req in details.requests_of(school, user, limit=20)
        if req.decision == ""
        or req.in_force(day)
        or (req.decided_at is not None and req.decided_at >= recent)
    ]
    return lines[:5]


def _pending_panel(school):
    waiting = details.pending_count(school)
    lines = [
        (
            f"{r.case.reference}: {r.label}, {r.groups_text}",
            "",
            url_for("cases.detail", reference=r.case.reference),
        )
        for r in details.pending_first(school, 5)
    ]
    if not lines:
        lines = [("Geen aanvragen die op een besluit wachten.", "", None)]
    lines.append(("Lijst met toegestane apps beheren", "", url_for("social_media.manage")))
    return api.Panel(
        "social_media.pending",
        f"Aanvragen social media: {waiting} wachten op besluit",
        tuple(lines),
        "social_media.decide",
        order=41,
    )


def figures(school, year):
    """Requests made in the school year from 1 August ``year``; ``school`` None: all schools.
    Counted by the database, one statement per figure."""
    requests = api.year_rows(AppRequest, api.Case.created_at, school, year)
    outcomes = api.count_by(requests, AppRequest.decision, OUTCOMES)
    return [
        api.ReportFigure(
            "social_media.requests", "Aanvragen social media en apps", outcomes.total, rows=tuple(outcomes)
        ),
        api.ReportFigure(
            "social_media.top_sites",
            "Meest aangevraagde sites",
            "",
            rows=api.top(requests, AppRequest.domain, TOP_SITES),
        ),
    ]
