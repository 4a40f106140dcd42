"""Fictional demo content: an onderwijsassistent reports what a child told about a lunch-time
volunteer (no account), so the bestuur's dashboard and the duty route can be tried."""

from portal import api

from .choices import TYPE_NAME
from .forms import ReportForm


def add_demo(school):
    reporter = api.User.get_or_none(api.User.email == "ondersteunend@klaverweide.demo")
    if reporter is None:
        return
    form = api.posted(
        ReportForm,
        {
            "person_name": "K. Overblijf (fictief)",
            "person_function": "vrijwilliger bij het overblijven",
            "what": "Een leerling uit groep 4 vertelde in de klas dat een overblijfvader haar op "
            "schoot trok en betastte. Zij vertelde het aan de onderwijsassistent (fictief).",
        },
        school=school,
    )
    api.start_case(school, TYPE_NAME, form, api.acting_user(reporter))
