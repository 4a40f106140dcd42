"""The demo school "De Klaverweide": fictional people, every plugin enabled."""

import datetime
import os

from .db import atomic
from .models import School
from .models import SchoolPlugin
from .models import User
from .models import UserRole
from .models import Vacation
from .passwords import hash_password
from .pupils.demo import add_demo_pupils

DEMO_PASSWORD = "klaverweide-demo"  # noqa: S105 (demo only; PORTAL_DEMO_PASSWORD overrides)

# Fictional people; the plan's real staff names are never used in demo data.
DEMO_USERS = [
    ("leerkracht@klaverweide.demo", "Sanne de Boer", "leerkracht", "klaverweide"),
    ("ondersteunend@klaverweide.demo", "Youssef El Idrissi", "ondersteunend", "klaverweide"),
    ("ib@klaverweide.demo", "Marieke Postma", "ib", "klaverweide"),
    ("contactpersoon@klaverweide.demo", "Floor Vermeulen", "contactpersoon", "klaverweide"),
    (
        "aandachtsfunctionaris@klaverweide.demo",
        "Hatice Demir",
        "aandachtsfunctionaris",
        "klaverweide",
    ),
    ("directie@klaverweide.demo", "Ruben Hoekstra", "directie", "klaverweide"),
    ("bestuur@asg.demo", "Ingrid Verbeek", "bestuur", None),
    ("beheerder@asg.demo", "Tom Kuipers", "beheerder", None),
]

DEMO_VACATIONS = [
    ("Herfstvakantie", (2025, 10, 18), (2025, 10, 26)),
    ("Kerstvakantie", (2025, 12, 20), (2026, 1, 4)),
    ("Voorjaarsvakantie", (2026, 2, 14), (2026, 2, 22)),
    ("Meivakantie", (2026, 4, 25), (2026, 5, 3)),
    ("Zomervakantie", (2026, 7, 18), (2026, 8, 30)),
    ("Herfstvakantie", (2026, 10, 17), (2026, 10, 25)),
    ("Kerstvakantie", (2026, 12, 19), (2027, 1, 3)),
    ("Voorjaarsvakantie", (2027, 2, 20), (2027, 2, 28)),
    ("Meivakantie", (2027, 4, 24), (2027, 5, 2)),
    ("Zomervakantie", (2027, 7, 17), (2027, 8, 29)),
]


def demo_password():
    return os.environ.get("PORTAL_DEMO_PASSWORD") or DEMO_PASSWORD


def builtin_plugins(pm):
    """The plugins shipped in plugins/ (third-party ones are enabled by the beheerder)."""
    return sorted(
        name
        for name, module in pm.list_name_plugin()
        if name != "portal" and getattr(module, "__name__", "").startswith("plugins.")
    )


def create_demo(pm, log=print):
    """Create the demo school once; a second run changes nothing."""
    if School.select().where(School.slug == "klaverweide").exists():
        log("De demoschool bestaat al.")
        return School.get(School.slug == "klaverweide")
    password_hash = hash_password(demo_password())
    with atomic():
        school = School.create(
            slug="klaverweide",
            name="De Klaverweide",
            address="Klaverweg 12",
            postcode="1300 AA",
            city="Almere",
            phone="036 000 0000",
            email="info@klaverweide.demo",
            board_name="Almeerse Scholen Groep (ASG)",
        )
        for slug in builtin_plugins(pm):
            SchoolPlugin.create(school=school, plugin=slug)
        for name, start, end in DEMO_VACATIONS:
            Vacation.create(school=school, name=name, start=datetime.date(*start), end=datetime.date(*end))
        for email, name, role, school_slug in DEMO_USERS:
            user = User.get_or_none(User.email == email) or User.create(
                email=email, name=name, password_hash=password_hash
            )
            UserRole.create(user=user, school=school if school_slug else None, role=role)
    # The letters that name the klachtencommissie need its contact details (fictional here).
    from .settings import set_setting

    set_setting(
        school,
        "portal.klachtencommissie",
        "Landelijke Klachtencommissie Onderwijs, Postbus 85191, 3508 AD Utrecht, 030 280 9590, "
        "info@onderwijsgeschillen.nl",
    )
    # The pupils first: the plugins' demo cases are about them.
    add_demo_pupils(school)
    pm.hook.demo_data(school=school)
    return school
