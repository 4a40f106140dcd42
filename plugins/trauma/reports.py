"""The dashboard panel and the annual figures (events per kind, handled how)."""

import collections

from flask import url_for

from portal import api

from .choices import KINDS
from .choices import label
from .models import TraumaEvent
from .models import TraumaPartner
from .workflow import TYPE
from .workflow import TYPE_NAME


def panels(user, school):
    partners = TraumaPartner.select().where(
        (TraumaPartner.school == school.id) & TraumaPartner.active).count()
    lines = [
        ("Traumatische gebeurtenis melden", "", url_for(api.start_endpoint(TYPE))),
        ("Lopende zaken die u ziet", api.open_cases(user, school, TYPE_NAME),
         url_for("cases.index", soort=TYPE_NAME)),
        ("Externe partners", partners, url_for("trauma.partners")),
    ]
    if api.has_permission(user, school, "trauma.plan"):
        lines.append(("Stappenplan en ouderbrief van de school", "", url_for("trauma.plan")))
    return [api.Panel("trauma.overzicht", "Traumatische gebeurtenissen", tuple(lines),
                      "trauma.report", order=30)]


def figures(school, year):
    """Events whose date falls in the school year, per kind and per way of handling."""
    first, last = api.school_year_bounds(year)
    q = (TraumaEvent.select(TraumaEvent.kind, TraumaEvent.handled_by)
         .join(api.Case, on=(TraumaEvent.case == api.Case.id))
         .where(TraumaEvent.occurred_on.between(first, last)))
    if school is not None:
        q = q.where(api.Case.school == school.id)
    rows = list(q)
    # Every kind is listed, also with 0; a kind no longer in the list still counts.
    per_kind = dict.fromkeys(dict(KINDS), 0) | collections.Counter(r.kind for r in rows)
    handled = collections.Counter(r.handled_by for r in rows)
    return [
        api.ReportFigure("trauma.per_soort", "Traumatische gebeurtenissen", len(rows),
                         tuple((label(KINDS, k), n) for k, n in per_kind.items())),
        api.ReportFigure("trauma.aanpak", "Traumatische gebeurtenissen: aanpak", "", (
            ("Door de school zelf", handled["school"]),
            ("Met externe hulp", handled["extern"]),
            ("Nog niet ingeschat", len(rows) - handled["school"] - handled["extern"]),
        )),
    ]
