"""The dashboard panel and the annual figures (events per kind, handled how)."""

from flask import url_for

from portal import api

from .choices import HANDLED
from .choices import KINDS
from .models import TraumaEvent
from .workflow import TYPE
from .workflow import TYPE_NAME


def panels(user, school):
    lines = [
        ("Traumatische gebeurtenis melden", "", url_for(api.start_endpoint(TYPE))),
        api.open_cases_line("Lopende zaken die u ziet", user, school, TYPE_NAME),
        ("Externe partners", len(api.partner_choices(school)), url_for("partners.index")),
    ]
    if api.has_permission(user, school, "trauma.plan"):
        lines.append(("Stappenplan en ouderbrief van de school", "", url_for("trauma.plan")))
    return [
        api.Panel("trauma.overzicht", "Traumatische gebeurtenissen", tuple(lines), "trauma.report", order=30)
    ]


def figures(school, year):
    """Events whose date falls in the school year, per kind and per way of handling, counted
    by the database."""
    events = api.year_rows(TraumaEvent, TraumaEvent.occurred_on, school, year)
    # Every kind is listed, also with 0; a kind no longer in the list still counts.
    kinds = api.count_by(events, TraumaEvent.kind, KINDS, others=True)
    handled = api.count_by(events, TraumaEvent.handled_by, HANDLED)
    return [
        api.ReportFigure("trauma.per_soort", "Traumatische gebeurtenissen", kinds.total, tuple(kinds)),
        api.ReportFigure(
            "trauma.aanpak",
            "Traumatische gebeurtenissen: aanpak",
            "",
            (*handled, ("Nog niet ingeschat", handled.total - sum(n for _, n in handled))),
        ),
    ]
