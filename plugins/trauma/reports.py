"""The dashboard panel and the annual figures (events per kind, handled how)."""

from flask import url_for

from portal.access import has_permission
from portal.cases.visibility import visible_condition
from portal.dates import school_year_bounds
from portal.declarations import Panel
from portal.declarations import ReportFigure
from portal.models import Case

from .models import TraumaEvent
from .models import TraumaPartner
from .vocab import KINDS
from .workflow import TYPE_NAME


def panels(user, school):
    open_cases = Case.select().where(
        visible_condition(user, school) & (Case.case_type == TYPE_NAME) & Case.closed_at.is_null()
    ).count()
    partners = TraumaPartner.select().where(
        (TraumaPartner.school == school.id) & TraumaPartner.active).count()
    lines = [
        ("Traumatische gebeurtenis melden", "", url_for("trauma.report")),
        ("Lopende zaken die u ziet", open_cases,
         url_for("cases.index", soort=TYPE_NAME)),
        ("Externe partners", partners, url_for("trauma.partners")),
    ]
    if has_permission(user, school, "trauma.plan"):
        lines.append(("Stappenplan en ouderbrief van de school", "", url_for("trauma.plan")))
    return [Panel("trauma.overzicht", "Traumatische gebeurtenissen", tuple(lines),
                  "trauma.report", order=30)]


def figures(school, year):
    """Events whose date falls in the school year, per kind and per way of handling."""
    first, last = school_year_bounds(year)
    q = (TraumaEvent.select(TraumaEvent.kind, TraumaEvent.handled_by)
         .join(Case, on=(TraumaEvent.case == Case.id))
         .where(TraumaEvent.occurred_on.between(first, last)))
    if school is not None:
        q = q.where(Case.school == school.id)
    rows = list(q)
    per_kind = {k: 0 for k, _ in KINDS}
    handled = {"school": 0, "extern": 0, "": 0}
    for r in rows:
        per_kind[r.kind] = per_kind.get(r.kind, 0) + 1
        handled[r.handled_by if r.handled_by in handled else ""] += 1
    labels = dict(KINDS)
    return [
        ReportFigure("trauma.per_soort", "Traumatische gebeurtenissen", len(rows),
                     tuple((labels.get(k, k), n) for k, n in per_kind.items())),
        ReportFigure("trauma.aanpak", "Traumatische gebeurtenissen: aanpak", "", (
            ("Door de school zelf", handled["school"]),
            ("Met externe hulp", handled["extern"]),
            ("Nog niet ingeschat", handled[""]),
        )),
    ]


