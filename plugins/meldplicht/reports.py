"""The dashboard panel of the bestuur and the directie: open reports, and the start."""

from flask import url_for

from portal import api

from .choices import TYPE_NAME
from .choices import VIEW
from .workflow import TYPE


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
