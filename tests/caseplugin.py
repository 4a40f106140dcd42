"""A test-only case type that exercises the engine without any policy plugin.

Registered directly (not through the entry-point group) by tests/conftest.py,
under the slug "testzaak"; enabled for the demo school by its demo_data hook.
"""

import datetime

import click
import peewee
from flask import Blueprint
from wtforms import DateField
from wtforms import Form
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from portal import hookimpl
from portal.contacts import SchoolContact
from portal.db import BaseModel
from portal.declarations import CaseType
from portal.declarations import ChecklistItem
from portal.declarations import Deadline
from portal.declarations import DocumentTemplate
from portal.declarations import Permission
from portal.declarations import PlanSection
from portal.declarations import ReportFigure
from portal.declarations import State
from portal.declarations import Transition
from portal.models import Case
from portal.models import SchoolPlugin

SLUG = "testzaak"

# No pages of its own: the blueprint only carries templates/testzaak/.
bp = Blueprint("testzaak", __name__, template_folder="templates")


class DecideForm(Form):
    reason = TextAreaField("Reden", validators=[DataRequired("Vul een reden in.")])
    on = DateField("Datum", validators=[DataRequired("Vul een datum in.")])


class NameForm(Form):
    name = StringField("Naam", validators=[DataRequired("Vul een naam in.")])


def refuse_on_sunday(case, form, user):
    if form.on.data and form.on.data.weekday() == 6:
        return "Op zondag wordt niet besloten."
    return None


def needs_extra(case):
    return "extra" in case.title


TYPE = CaseType(
    name="testzaak.zaak",
    title="Testzaak",
    prefix="TZ",
    states=(
        State("nieuw", "Nieuw", public_text="Uw zaak is ontvangen."),
        State("bezig", "In behandeling"),
        State("klaar", "Afgerond", closed=True),
    ),
    initial="nieuw",
    transitions=(
        Transition("testzaak.start", "In behandeling nemen", ("nieuw",), "bezig", "testzaak.handle"),
        Transition(
            "testzaak.besluit",
            "Besluiten",
            ("bezig",),
            "bezig",
            "testzaak.decide",
            form=DecideForm,
            guard=refuse_on_sunday,
        ),
        Transition("testzaak.sluit", "Afronden", ("bezig",), "klaar", "testzaak.handle", public=True),
        Transition("testzaak.heropen", "Heropenen", ("klaar",), "bezig", "testzaak.decide"),
    ),
    view_permission="testzaak.view",
    handle_permission="testzaak.handle",
    checklist=(
        ChecklistItem("testzaak.brief", "Brief verstuurd", required=True),
        ChecklistItem("testzaak.extra", "Extra melding gedaan", required=needs_extra),
        ChecklistItem("testzaak.optioneel", "Optioneel"),
    ),
    deadlines=(
        Deadline("testzaak.reactie", "Reactie binnen 5 schooldagen", 5, met_by=("testzaak.start",)),
        Deadline(
            "testzaak.kalender", "Binnen 10 kalenderdagen", 10, school_days=False, start="testzaak.start"
        ),
    ),
    retention_days=30,
    summary_template="testzaak/summary.html",
    summary_context=lambda case: {"name": "Zoë"},
)


@hookimpl
def register_permissions():
    return [
        Permission("testzaak.view", "Testzaken zien", ("directie", "ib")),
        Permission("testzaak.handle", "Testzaken behandelen", ("directie", "ib")),
        Permission("testzaak.decide", "Testzaken besluiten", ("directie",)),
    ]


@hookimpl
def register_case_types():
    return [TYPE]


@hookimpl
def register_documents():
    return [
        DocumentTemplate(
            "testzaak.brief",
            "Testbrief",
            "testzaak.zaak",
            "testzaak/letter.html",
            context=lambda case: {
                "names": ["Şükrü Yılmaz", "Łucja Wiśniewska", "Zoë van der Meer"],
                "day": datetime.date(2026, 11, 28),
            },
            permission="testzaak.handle",
        ),
    ]


class Extra(BaseModel):
    """A plugin table: points to its case, removed with it."""

    case = peewee.ForeignKeyField(Case, on_delete="CASCADE")
    note = peewee.CharField(default="")

    class Meta:
        table_name = "testzaak_extra"


# What case_transitioned saw, for tests.
TRANSITIONED = []


@hookimpl
def register_models():
    return [Extra]


@hookimpl
def register_migrations():
    return ("testzaak", "tests.testzaak_migrations")


@hookimpl
def check_transition(case, transition, user):
    if "veto" in case.title and transition.name == "testzaak.start":
        return "Het testveto houdt deze stap tegen."
    return None


@hookimpl
def case_transitioned(case, transition, user, event):
    TRANSITIONED.append((case.reference, transition.name, event.to_state))


@hookimpl
def register_commands(cli):
    @cli.command("testzaak-hallo")
    def hallo():
        """Say hello (test command)."""
        click.echo("hallo van testzaak")


@hookimpl
def annual_report(school, year, user):
    q = Case.select().where(Case.case_type == TYPE.name)
    if school is not None:
        q = q.where(Case.school == school.id)
    # ``user``: who looks at the figures (a plugin may show less to some).
    return [
        ReportFigure("testzaak.aantal", "Testzaken", q.count()),
        ReportFigure("testzaak.kijker", "Bekeken door", user.name if user is not None else ""),
    ]


@hookimpl
def school_contacts(school):
    return [SchoolContact("testzaak.vp", "vertrouwenspersoon", "Vera Testpersoon", phone="036 000 9999")]


@hookimpl
def plan_section(school):
    # Replaces the core's 3.1.9; the live line shows the configuration is read now.
    n = Case.select().where((Case.case_type == TYPE.name) & (Case.school == school.id)).count()
    return [
        PlanSection(
            "testzaak.plan",
            "3.1.9",
            "Fysieke veiligheid (testzaak)",
            "Vaste testtekst van de testzaak.",
            live=f"Testzaken van {school.name}: {n}",
            table=(("Kolom", "Waarde"), ("testrij", str(n))),
        )
    ]


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def demo_data(school):
    SchoolPlugin.insert(school=school.id, plugin=SLUG).on_conflict_ignore().execute()
