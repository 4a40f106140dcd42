"""Dashboard panel and annual figures for complaints."""

import datetime
import functools
import statistics

from flask import url_for

from portal import api
from portal.api import Case
from portal.api import CaseDeadline

from .choices import CATEGORIES
from .choices import OUTCOMES
from .choices import TYPE_NAME
from .models import Klacht
from .workflow import TYPE


def panels(user, school):
    mine = api.visible_condition(user, school) & (Case.case_type == TYPE_NAME)
    is_open = Case.closed_at.is_null()
    late_ack = CaseDeadline.select(CaseDeadline.case).where(
        (CaseDeadline.name == "klachten.ontvangst")
        & CaseDeadline.met_at.is_null()
        & (CaseDeadline.due_date < api.today())
    )
    weeks = api.get_setting(school, "klachten.warn_weeks")
    long_ago = api.utcnow() - datetime.timedelta(weeks=weeks)

    def count(cond):
        return Case.select().where(mine & cond).count()

    def cases(**args):
        return url_for("cases.index", soort=TYPE_NAME, **args)

    lines = (
        ("Nieuw (nog niet in behandeling)", count(Case.state == "ontvangen"), cases(status="ontvangen")),
        ("Ontvangst te laat bevestigd", count(is_open & Case.id.in_(late_ack)), cases(te_laat="1")),
        ("Open", api.open_cases(user, school, TYPE_NAME), cases()),
        (f"Langer open dan {weeks} weken", count(is_open & (Case.created_at < long_ago)), None),
        ("Klachtformulier voor ouders", "", url_for(api.start_endpoint(TYPE), school=school.slug)),
        ("Klacht van de school vastleggen", "", url_for(api.start_endpoint(TYPE, TYPE.more_starts[0]))),
    )
    return [api.Panel("klachten.overzicht", "Klachten", lines, "klachten.handle", order=20)]


def _median(values):
    if not values:
        return "geen gegevens"
    m = statistics.median(values)
    text = f"{m:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} schooldag{'' if m == 1 else 'en'}"


def figures(school, year):
    first, last = api.school_year_bounds(year)
    start = datetime.datetime.combine(first, datetime.time()) - datetime.timedelta(hours=2)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
    cond = (Case.case_type == TYPE_NAME) & (Case.created_at >= start) & (Case.created_at < end)
    if school is not None:
        cond &= Case.school == school.id
    # The year's complaints as plain rows (no model object per case): the index (school,
    # type, created_at) reads this year's only.
    rows = [
        r
        for r in Klacht.select(
            Case.school,
            Case.created_at,
            Case.closed_at,
            Klacht.category,
            Klacht.outcome,
            Klacht.acknowledged_at,
        )
        .join(Case)
        .where(cond)
        .namedtuples()
        # The school year is in local time; the window above is a little wide, so filter exactly.
        if first <= api.local(r.created_at).date() <= last
    ]

    @functools.cache
    def calendar(school_id):
        return api.SchoolCalendar.for_school(api.School.get_by_id(school_id))

    def school_days(k, until):
        return calendar(k.school).school_days_between(api.local(k.created_at).date(), api.local(until).date())

    per_category = tuple((lbl, sum(1 for k in rows if k.category == key)) for key, lbl in CATEGORIES)
    closed = [k for k in rows if k.closed_at is not None]
    per_outcome = tuple((lbl, sum(1 for k in closed if k.outcome == key)) for key, lbl in OUTCOMES)
    to_ack = [school_days(k, k.acknowledged_at) for k in rows if k.acknowledged_at]
    to_close = [school_days(k, k.closed_at) for k in closed]
    return [
        api.ReportFigure("klachten.aantal", "Klachten ingediend", len(rows), per_category),
        api.ReportFigure("klachten.uitkomst", "Afgeronde klachten per uitkomst", len(closed), per_outcome),
        api.ReportFigure(
            "klachten.dagen_ontvangst", "Mediaan tot bevestiging van de ontvangst", _median(to_ack)
        ),
        api.ReportFigure("klachten.dagen_afsluiten", "Mediaan tot afsluiten", _median(to_close)),
    ]
