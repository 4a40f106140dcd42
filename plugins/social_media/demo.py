"""Demo content for De Klaverweide: the three apps of the safety plan and one open request.

Fictional: the teacher is the demo account Sanne de Boer; nothing here is about a pupil.
"""

import datetime

from portal.cases import engine
from portal.dates import today
from portal.db import atomic
from portal.models import User

from .models import AllowedApp
from .models import AppRequest
from .workflow import TYPE_NAME

# Safety plan 3.1.3: "Alleen Basispoort, Gynzy, Squla mogen worden opgestart."
APPS = [
    ("Basispoort", "basispoort.nl", "https://www.basispoort.nl",
     "Inloggen op de lesmethodes van de school"),
    ("Gynzy", "gynzy.com", "https://www.gynzy.com", "Lessen op het digibord en oefenen"),
    ("Squla", "squla.nl", "https://www.squla.nl", "Oefenen met rekenen, taal en spelling"),
]


def add_demo(school):
    with atomic():
        for name, domain, address, purpose in APPS:
            AllowedApp.insert(
                school=school.id, name=name, domain=domain, address=address, purpose=purpose,
                since=datetime.date(2024, 8, 1), approved_by="Directie De Klaverweide",
            ).on_conflict_ignore().execute()
    teacher = User.get_or_none(User.email == "leerkracht@klaverweide.demo")
    if teacher is None:
        return
    day = today() + datetime.timedelta(days=7)
    with atomic():
        case = engine.create_case(school, TYPE_NAME, "spelen.nl voor groep 5", teacher)
        AppRequest.create(
            case=case, school=school.id, requested_by=teacher.id, name="spelen.nl",
            address="https://www.spelen.nl", domain="spelen.nl", groups="5",
            purpose="Spelletjesmiddag als afsluiting van de Kinderboekenweek.",
            kind="eenmalig", start_date=day, end_date=day,
        )
