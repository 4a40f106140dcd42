"""Demo content for De Klaverweide: who does what this school year (8 BHV'ers, one of whom
must renew the certificate soon), a few courses, last school year's evacuation drill from
plan to evaluation, and an evaluation moment planned in two weeks.

Fictional people only: the demo accounts (Ruben Hoekstra, Floor Vermeulen, ...) and made-up
names; nothing here is about a pupil.
"""

import datetime

from portal import api

from . import register
from .details import DRILL
from .details import EVALUATION
from .forms import DrillPlanForm
from .forms import EvaluationPlanForm
from .models import Action
from .models import Assignment
from .models import Person
from .models import Training

DAY = datetime.timedelta(days=1)

# (demo account or None, name, organisation, phone, e-mail, roles)
PEOPLE = [
    ("directie@klaverweide.demo", "", "", "036 000 0001", "directie@klaverweide.demo", ("directie", "bhv")),
    ("bestuur@asg.demo", "", "Almeerse Scholen Groep", "", "", ("clusterdirecteur",)),
    ("ib@klaverweide.demo", "", "", "", "", ("ib",)),
    ("aandachtsfunctionaris@klaverweide.demo", "", "", "", "", ("aandachtsfunctionaris",)),
    (
        None,
        "Jeroen Mulder",
        "",
        "036 000 0011",
        "pestcoordinator@klaverweide.demo",
        ("pestcoordinator", "bhv"),
    ),
    (
        "contactpersoon@klaverweide.demo",
        "",
        "",
        "036 000 0010",
        "contactpersoon@klaverweide.demo",
        ("contactpersoon",),
    ),
    (
        None,
        "Anouk Meijer",
        "Vertrouwenspersonen Flevoland (demo)",
        "036 000 2201",
        "vertrouwenspersoon@partners.demo",
        ("vertrouwenspersoon",),
    ),
    ("leerkracht@klaverweide.demo", "", "", "", "", ("bhv",)),
    ("ondersteunend@klaverweide.demo", "", "", "", "", ("bhv",)),
    (None, "Lisa van Dijk", "", "", "", ("bhv",)),
    (None, "Mohamed Amrani", "", "", "", ("bhv",)),
    (None, "Eva Jansen", "", "", "", ("bhv",)),
    (None, "Kees Brouwer", "", "", "", ("bhv",)),
]

# Days from today until each BHV'er's certificate ends; Kees Brouwer's within 60 days.
BHV_EXPIRY = {
    "Ruben Hoekstra": 300,
    "Jeroen Mulder": 250,
    "Sanne de Boer": 210,
    "Youssef El Idrissi": 180,
    "Lisa van Dijk": 330,
    "Mohamed Amrani": 150,
    "Eva Jansen": 120,
    "Kees Brouwer": 30,
}

OTHER_COURSES = [
    ("Marieke Postma", "meldcode", "Meldcode huiselijk geweld en kindermishandeling", 120),
    ("Hatice Demir", "meldcode", "Aandachtsfunctionaris meldcode: verdieping", 200),
    ("Jeroen Mulder", "pbs", "PBS-coördinator", 90),
    ("Sanne de Boer", "gedrag", "Omgaan met macht en onmacht op de werkvloer", 60),
]


def add_demo(school):
    if Person.select().where(Person.school == school.id).exists():
        return
    today, year = api.today(), register.current_year()
    directie = api.User.get_or_none(api.User.email == "directie@klaverweide.demo")
    people = {}
    with api.atomic():
        for email, name, organisation, phone, mail, roles in PEOPLE:
            user = api.User.get_or_none(api.User.email == email) if email else None
            if email and user is None:
                continue
            person = Person.create(
                school=school.id,
                user=user.id if user else None,
                name=user.name if user else name,
                organisation=organisation,
                phone=phone,
                email=mail,
            )
            people[person.name] = person
            for role in roles:
                Assignment.create(
                    school=school.id, school_year=year, person=person.id, role=role, created_by=directie
                )
        for name, days in BHV_EXPIRY.items():
            if name in people:
                until = today + days * DAY
                Training.create(
                    school=school.id,
                    person=people[name].id,
                    kind="bhv",
                    course="BHV-certificaat (herhaling)",
                    provider="ASG Academie",
                    completed_on=until - 365 * DAY,
                    expires_on=until,
                )
        for name, kind, course, days_ago in OTHER_COURSES:
            if name in people:
                Training.create(
                    school=school.id,
                    person=people[name].id,
                    kind=kind,
                    course=course,
                    provider="ASG Academie",
                    completed_on=today - days_ago * DAY,
                )
    if directie is not None:
        _last_years_drill(school, api.acting_user(directie), year - 1)
        _next_evaluation(school, api.acting_user(directie), today)


def _last_years_drill(school, boss, year):
    """Last school year's drill, from plan to evaluation, through the same forms as on the page."""
    held = datetime.date(year + 1, 3, 12)
    form = api.posted(
        DrillPlanForm,
        {
            "planned_on": held.isoformat(),
            "scenario": "Brand in de keuken van de aula",
            "announced": "aangekondigd",
        },
    )
    case = api.start_case(school, DRILL, form, boss)
    api.run_transition(
        case,
        "organisatie.uitgevoerd",
        boss,
        {
            "held_on": held.isoformat(),
            "minutes": "4",
            "seconds": "35",
            "headcount": "ja",
            "problems": "In het lokaal van groep 3 was het alarm slecht te horen.",
        },
    )
    for description, owner in (
        ("Een extra alarmgever plaatsen bij het lokaal van groep 3.", "Ruben Hoekstra"),
        ("In elk lokaal de plattegrond met de vluchtroute ophangen.", "Jeroen Mulder"),
    ):
        api.run_transition(
            case,
            "organisatie.oefening_actie",
            boss,
            {"description": description, "owner": owner, "due_on": (api.today() + 21 * DAY).isoformat()},
        )
    api.run_transition(
        case,
        "organisatie.evalueren",
        boss,
        {
            "evaluation": "Rustig verlopen; de verzamelplaats was snel bereikt. Het alarm moet overal "
            "te horen zijn.",
            "plan_revised": "y",
            "plan_version": f"{year + 1}-1",
            "plan_revised_on": (held + 7 * DAY).isoformat(),
            "staff_informed_on": (held + 14 * DAY).isoformat(),
        },
    )
    moment = datetime.datetime.combine(held, datetime.time(9, 0))
    api.backdate(case, moment - 30 * DAY, moment + 14 * DAY)
    # The alarm was done within the month; the floor plans are still open.
    first = Action.select().where(Action.case == case.id).order_by(Action.id).first()
    Action.update(due_on=held + 30 * DAY, done_on=held + 20 * DAY, done_by=boss.id).where(
        Action.id == first.id
    ).execute()


def _next_evaluation(school, boss, today):
    form = api.posted(EvaluationPlanForm, {"planned_on": (today + 14 * DAY).isoformat()})
    api.start_case(school, EVALUATION, form, boss)
