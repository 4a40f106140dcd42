"""The dashboard panel of the bestuur and the directie (open reports, and the start), and the
yearly figures: counts only, never a name. A report is rare and points to a person at a small
school, so whoever may not read the reports (the bestuur's cross-school version for someone
without the view permission, an MR reader) sees a number below 5 as "minder dan 5"."""

from flask import url_for

from portal import api

from .choices import TYPE_NAME
from .choices import VIEW
from .models import Melding
from .workflow import TYPE

# Where the year's reports stand, from the route's own answers.
OUTCOMES = (
    ("open", "Nog in behandeling"),
    ("geen_vermoeden", "Geen redelijk vermoeden"),
    ("aangifte", "Redelijk vermoeden: aangifte gedaan"),
    ("geen_aangifte", "Redelijk vermoeden: geen aangifte (met de reden vastgelegd)"),
)


def panels(user, school):
    count = api.open_cases(user, school, TYPE_NAME)
    lines = (
        api.open_cases_line("Open meldingen (meld- en aangifteplicht)", user, school, TYPE_NAME),
        (TYPE.start.label, "", url_for(api.start_endpoint(TYPE), school=school.slug)),
    )
    return [
        api.Panel(
            "meldplicht.overzicht",
            "Meldplicht zedendelicten: open meldingen" if count else "Meldplicht zedendelicten",
            lines,
            VIEW,
            order=15,
            alert=bool(count),
        )
    ]


def figures(school, year, user):
    exact = school is not None and user is not None and api.has_permission(user, school, VIEW)

    def shown(n):
        return api.coarse(n, exact)

    started = api.year_rows(Melding, api.Case.created_at, school, year)
    (total, no_suspicion, reported, not_reported, consulted) = api.totals(
        started,
        api.count(),
        api.count_if(Melding.suspicion == "nee"),
        api.count_if((Melding.suspicion == "ja") & (Melding.aangifte == "ja")),
        api.count_if((Melding.suspicion == "ja") & (Melding.aangifte == "nee")),
        api.count_if(Melding.consulted == "ja"),
    )
    counts = {
        "geen_vermoeden": no_suspicion,
        "aangifte": reported,
        "geen_aangifte": not_reported,
    }
    counts["open"] = total - sum(counts.values())
    return [
        api.ReportFigure(
            "meldplicht.meldingen",
            "Meldplicht zedendelicten: meldingen aan het bestuur",
            shown(total),
            tuple((label, shown(counts[key])) for key, label in OUTCOMES),
        ),
        api.ReportFigure(
            "meldplicht.overleg",
            "Meldplicht zedendelicten: overleg met de vertrouwensinspecteur gevoerd",
            shown(consulted),
        ),
    ]
