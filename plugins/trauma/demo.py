"""Fictional demo content: a traumatic event about demo pupils of the register. Daan Vos was
hit by a car on his way to school (his chronology goes on in the other plugins' demo data);
Noah Bakker saw it happen."""

import datetime

from portal import api

from .forms import ReportForm
from .workflow import TYPE_NAME


def add_demo(school):
    teacher = api.User.get_or_none(api.User.email == "leerkracht@klaverweide.demo")
    if teacher is None:
        return
    reporter = api.acting_user(teacher)
    happened = api.today() - datetime.timedelta(days=20)
    # Through the report form, as the teacher would, choosing Daan from the register.
    form = api.posted(
        ReportForm,
        {
            "kind": "ongeval",
            "occurred_on": happened.isoformat(),
            "scope": "leerlingen",
            "pupils": str(api.demo_pupil(school, "Daan Vos").id),
            "reported_by": "De moeder van Daan",
            "description": "Daan is op weg naar school aangereden door een auto en ligt met een "
            "gebroken been in het ziekenhuis. Een klasgenoot zag het gebeuren.",
        },
        school=school,
    )
    case = api.start_case(school, TYPE_NAME, form, reporter)
    api.link_pupil(case, api.demo_pupil(school, "Noah Bakker"), reporter, "getuige")
    api.backdate(case, api.utcnow() - datetime.timedelta(days=19))
