"""Dashboard panel and annual figures for complaints."""

import datetime
import statistics

from flask import url_for

from portal.cases.visibility import visible_condition
from portal.dates import local
from portal.dates import school_year_bounds
from portal.dates import today
from portal.declarations import Panel
from portal.declarations import ReportFigure
from portal.models import Case
from portal.models import CaseDeadline
from portal.models import School
from portal.models import utcnow
from portal.schoolcalendar import SchoolCalendar
from portal.settings import get_setting

from .choices import CATEGORIES
from .choices import OUTCOMES
from .choices import TYPE_NAME
from .models import Klacht


def panels(user, school):
    mine = visible_condition(user, school) & (Case.case_type == TYPE_NAME)
    is_open = Case.closed_at.is_null()
    late_ack = CaseDeadline.select(CaseDeadline.case).where(
        (CaseDeadline.name == "klachten.ontvangst") & CaseDeadline.met_at.is_null()
        & (CaseDeadline.due_date < today()))
    weeks = get_setting(school, "klachten.warn_weeks")
    long_ago = utcnow() - datetime.timedelta(weeks=weeks)

    def count(cond):
        return Case.select().where(mine & cond).count()

    def cases(**args):
        return url_for("cases.index", soort=TYPE_NAME, **args)

    lines = (
        ("Nieuw (nog niet in behandeling)", count(Case.state == "ontvangen"),
         cases(status="ontvangen")),
        ("Ontvangst te laat bevestigd", count(is_open & Case.id.in_(late_ack)), cases(te_laat="1")),
        ("Open", count(is_open), cases()),
        (f"Langer open dan {weeks} weken", count(is_open & (Case.created_at < long_ago)), None),
        ("Klachtformulier voor ouders", "", url_for("klachten.indienen", school=school.slug)),
    )
    return [Panel("klachten.overzicht", "Klachten", lines, "klachten.handle", order=20)]


def _median(values):
    if not values:
        return "geen gegevens"
    m = statistics.median(values)
    text = f"{m:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} schooldag{'' if m == 1 else 'en'}"


def figures(school, year):
    first, last = school_year_bounds(year)
    start = datetime.datetime.combine(first, datetime.time()) - datetime.timedelta(hours=2)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
    cond = (Case.case_type == TYPE_NAME) & (Case.created_at >= start) & (Case.created_at < end)
    if school is not None:
        cond &= Case.school == school.id
    rows = list(Klacht.select(Klacht, Case).join(Case).where(cond))
    # The school year is in local time; the window above is a little wide, so filter exactly.
    rows = [k for k in rows if first <= local(k.case.created_at).date() <= last]

    calendars = {}

    def calendar(school_id):
        if school_id not in calendars:
            calendars[school_id] = SchoolCalendar.for_school(School.get_by_id(school_id))
        return calendars[school_id]

    def school_days(k, until):
        return calendar(k.case.school_id).school_days_between(
            local(k.case.created_at).date(), local(until).date())

    per_category = tuple((lbl, sum(1 for k in rows if k.category == key)) for key, lbl in CATEGORIES)
    closed = [k for k in rows if k.case.closed_at is not None]
    per_outcome = tuple((lbl, sum(1 for k in closed if k.outcome == key)) for key, lbl in OUTCOMES)
    to_ack = [school_days(k, k.acknowledged_at) for k in rows if k.acknowledged_at]
    to_close = [school_days(k, k.case.closed_at) for k in closed]
    return [
        ReportFigure("klachten.aantal", "Klachten ingediend", len(rows), per_category),
        ReportFigure("klachten.uitkomst", "Afgeronde klachten per uitkomst", len(closed),
                     per_outcome),
        ReportFigure("klachten.dagen_ontvangst", "Mediaan tot bevestiging van de ontvangst",
                     _median(to_ack)),
        ReportFigure("klachten.dagen_afsluiten", "Mediaan tot afsluiten", _median(to_close)),
    ]
