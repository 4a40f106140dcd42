"""Dashboard panels and the yearly figures (counts only, never a name)."""

from flask import url_for

from portal import api

from . import workflow as wf
from .choices import CATEGORIES
from .choices import INTERVENTION_GROUNDS
from .choices import PLACES
from .choices import VICTIMS
from .models import Ban
from .models import Breach
from .models import Incident
from .models import Intervention


def panels(user, school):
    lines = [
        api.open_cases_line("Incidenten nog af te handelen", user, school, wf.INCIDENT),
        api.open_cases_line("Fysiek ingrijpen: nog te evalueren", user, school, wf.INTERVENTION),
    ]
    ai_open = (
        Incident.select()
        .join(api.Case, on=(Incident.case == api.Case.id))
        .where(
            (api.Case.school == school.id)
            & (api.Case.case_type == wf.INCIDENT)  # the (school, type, closed_at) index
            & Incident.ai_required
            & Incident.ai_reported_on.is_null()
            & api.Case.closed_at.is_null()
        )
        .count()
    )
    out = [api.Panel("incidenten.panel", "Incidenten", tuple(lines), permission=wf.VIEW, order=40)]
    if ai_open:
        out.append(
            api.Panel(
                "incidenten.arbeidsinspectie",
                "Ongeval nog melden bij de Arbeidsinspectie",
                ((f"{ai_open} ongeval(len) van een medewerker", ai_open, url_for("incidenten.accidents")),),
                permission=wf.VIEW,
                order=1,
                alert=True,
            )
        )
    return out


def figures(school, year):
    incidents = api.year_rows(Incident, Incident.occurred_on, school, year)
    per_category = api.count_by(incidents, Incident.category, CATEGORIES)
    per_place = api.count_by(incidents, Incident.place, PLACES)
    months = api.per_month(incidents, Incident.occurred_on)
    accidents = api.year_rows(Incident, Incident.occurred_on, school, year).where(
        Incident.category == "ongeval"
    )
    per_victim = api.count_by(accidents, Incident.victim, VICTIMS)
    interventions = api.year_rows(Intervention, Intervention.occurred_on, school, year)
    per_ground = api.count_by(interventions, Intervention.ground, INTERVENTION_GROUNDS)
    bans = api.year_rows(Ban, api.Case.created_at, school, year)
    decided = api.year_rows(Ban, api.Case.created_at, school, year).where(Ban.decided_on.is_null(False))
    breaches = api.year_rows(Breach, Breach.discovered_on, school, year)
    reported = api.year_rows(Breach, Breach.discovered_on, school, year).where(Breach.report_ap == "ja")
    return [
        api.ReportFigure(
            "incidenten.per_categorie",
            "Incidenten per categorie (OCW)",
            per_category.total,
            tuple(per_category),
        ),
        api.ReportFigure("incidenten.per_plek", "Incidenten per plek", per_place.total, tuple(per_place)),
        api.ReportFigure(
            "incidenten.per_maand",
            "Incidenten per maand",
            per_category.total,
            chart="line",
            series=(("Incidenten", months),),
        ),
        api.ReportFigure("incidenten.ongevallen", "Ongevallen", per_victim.total, tuple(per_victim)),
        api.ReportFigure(
            "incidenten.ingrijpen", "Fysiek ingrijpen, per grond", per_ground.total, tuple(per_ground)
        ),
        api.ReportFigure(
            "incidenten.toegangsverboden",
            "Toegangsverboden voor ouders",
            bans.count(),
            (("Voorvallen vastgelegd", bans.count()), ("Toegangsverbod opgelegd", decided.count())),
        ),
        api.ReportFigure(
            "incidenten.datalekken",
            "Datalekken",
            breaches.count(),
            (("Vastgelegd", breaches.count()), ("Gemeld bij de AP", reported.count())),
        ),
    ]
