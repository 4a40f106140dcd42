"""Demo content for De Klaverweide: the three apps of the safety plan and one open request.

Fictional: the teacher is the demo account Sanne de Boer; nothing here is about a pupil.
"""

import datetime

from portal import api

from .forms import RequestForm
from .models import AllowedApp
from .workflow import TYPE_NAME

# Safety plan 3.1.3: "Alleen Basispoort, Gynzy, Squla mogen worden opgestart."
APPS = [
    ("Basispoort", "basispoort.nl", "https://www.basispoort.nl", "Inloggen op de lesmethodes van de school"),
    ("Gynzy", "gynzy.com", "https://www.gynzy.com", "Lessen op het digibord en oefenen"),
    ("Squla", "squla.nl", "https://www.squla.nl", "Oefenen met rekenen, taal en spelling"),
]


def add_demo(school):
    with api.atomic():
        for name, domain, address, purpose in APPS:
            AllowedApp.insert(
                school=school.id,
                name=name,
                domain=domain,
                address=address,
                purpose=purpose,
                since=datetime.date(2024, 8, 1),
                approved_by="Directie De Klaverweide",
                # Fictional answers: all three are in the Privacyconvenant Onderwijs.
                privacy_agreement="privacyconvenant",
                pupil_data="naam,groep,resultaten",
                min_age=0,
            ).on_conflict_ignore().execute()
    teacher = api.User.get_or_none(api.User.email == "leerkracht@klaverweide.demo")
    if teacher is None:
        return
    # Through the start form, as a teacher would ask it: the same checks, the same rows.
    form = api.posted(
        RequestForm,
        {
            "address": "https://www.spelen.nl",
            "name": "spelen.nl",
            "groups": ["5"],
            "purpose": "Spelletjesmiddag als afsluiting van de Kinderboekenweek.",
            "kind": "eenmalig",
            "start_date": (api.today() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    api.start_case(school, TYPE_NAME, form, api.acting_user(teacher))
