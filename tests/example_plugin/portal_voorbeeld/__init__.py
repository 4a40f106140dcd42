"""Example plugin "voorbeeld": an unsafe situation at school is reported, fixed and closed.

It is the plugin the tutorial in docs/plugins.md builds, and it shows what a
third-party plugin can do with the public API alone (``portal.api``): a case type
with a start form, two transitions, a checklist item, a school-day deadline, a
letter and a dashboard panel, a page of its own with a setting, and its own
migration. It has no view code for its cases: the core serves the start page and
the case pages.
"""

import peewee
from flask import Blueprint
from flask import g
from flask import render_template
from flask import url_for

from portal import api

SLUG = "voorbeeld"
TYPE = "voorbeeld.melding"
PLACES = [
    ("plein", "Schoolplein"),
    ("gebouw", "In het gebouw"),
    ("gym", "Gymzaal"),
    ("omgeving", "Rond de school"),
]


# ------------------------------------------------------------------ data ----


class Melding(api.BaseModel):
    """What the reporter told, and what was done about it (one row per case)."""

    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    place = peewee.CharField(max_length=20)
    what = peewee.TextField()
    urgent = peewee.BooleanField(default=False)
    fixer = peewee.CharField(max_length=200, default="")
    fixed_on = peewee.DateField(null=True)
    done = peewee.TextField(default="")

    class Meta:
        table_name = "voorbeeld_melding"


# ----------------------------------------------------------------- forms ----


class ReportForm(api.Form):
    place = api.RadioField(
        "Waar is het?", choices=PLACES, validators=[api.InputRequired("Kies waar het is.")]
    )
    what = api.text("Wat is er onveilig?", 2000, "Beschrijf wat er onveilig is.")
    urgent = api.BooleanField("Er kan vandaag iemand gewond raken")


class TakeForm(api.Form):
    fixer = api.line("Wie lost het op?", 200, "Vul in wie het oplost.")


class FixedForm(api.Form):
    fixed_on = api.DateField(
        "Opgelost op", validators=[api.InputRequired("Vul de datum in."), api.not_in_future]
    )
    done = api.text("Wat is er gedaan?", 2000, "Beschrijf wat er is gedaan.")


# ------------------------------------------------------------- the route ----


def not_before_report(case, form):
    if form.fixed_on.data < api.local(case.created_at).date():
        return "Het kan niet zijn opgelost vóór het werd gemeld."
    return None


CASE_TYPE = api.CaseType(
    name=TYPE,
    title="Onveilige situatie",
    prefix="OV",
    states=(
        api.State("gemeld", "Gemeld"),
        api.State("bezig", "Wordt opgelost"),
        api.State("opgelost", "Opgelost", closed=True),
    ),
    initial="gemeld",
    transitions=(
        api.Transition(
            "voorbeeld.oppakken",
            "Oppakken",
            ("gemeld",),
            "bezig",
            form=TakeForm,
            copy=("fixer",),
        ),
        api.Transition(
            "voorbeeld.opgelost",
            "Opgelost",
            ("bezig",),
            "opgelost",
            form=FixedForm,
            guard=not_before_report,
            copy=("fixed_on", "done"),
        ),
    ),
    view_permission="voorbeeld.view",
    handle_permission="voorbeeld.handle",
    checklist=(api.ChecklistItem("voorbeeld.team", "Team gewaarschuwd", required=True),),
    deadlines=(
        api.Deadline(
            "voorbeeld.oppakken", "Binnen 3 schooldagen oppakken", 3, met_by=("voorbeeld.oppakken",)
        ),
    ),
    retention_days=365,
    detail=Melding,
    start=api.Start(
        ReportForm,
        "Onveilige situatie melden",
        "voorbeeld.report",
        path="melden",
        title="Onveilige situatie: {place}",
        notify="voorbeeld.handle",
        intro="Zag u iets dat niet veilig is? Meld het hier; de directie zorgt dat het wordt opgelost.",
        nav_order=60,
    ),
    summary_template="voorbeeld/summary.html",
    summary_context=lambda detail: {"melding": detail, "place": dict(PLACES)[detail.place]},
)

LETTER = api.DocumentTemplate(
    "voorbeeld.verzoek",
    "Verzoek om herstel aan de verhuurder",
    TYPE,
    "voorbeeld/letters/verzoek.html",
    context=lambda detail: {"melding": detail, "place": dict(PLACES)[detail.place]},
    states=("gemeld", "bezig"),
    filename="verzoek-herstel",
)


# ----------------------------------------------------------- the page ----

bp = Blueprint(SLUG, __name__, template_folder="templates")


@bp.route("/")
@api.requires("voorbeeld.view")
def index():
    return render_template("voorbeeld/index.html", greeting=api.get_setting(g.school, "voorbeeld.greeting"))


def panels(user, school):
    lines = (
        ("Pagina van de voorbeeldplugin", "", url_for("voorbeeld.index")),
        ("Open meldingen", api.open_cases(user, school, TYPE), url_for("cases.index", soort=TYPE)),
    )
    return [api.Panel("voorbeeld.panel", "Onveilige situaties", lines, permission="voorbeeld.view", order=90)]


plugin = api.Plugin(
    SLUG,
    __name__,
    title="Onveilige situaties (voorbeeld)",
    case_types=[CASE_TYPE],
    documents=[LETTER],
    blueprint=bp,
    panels=panels,
    permissions=[
        api.Permission("voorbeeld.view", "Meldingen van onveilige situaties zien", ("directie", "ib")),
        api.Permission("voorbeeld.report", "Een onveilige situatie melden", api.STAFF_ROLES),
        api.Permission("voorbeeld.handle", "Onveilige situaties afhandelen", ("directie",)),
    ],
    settings=[api.Setting("voorbeeld.greeting", "Begroeting op de voorbeeldpagina", "Goedemorgen")],
    nav=[api.NavItem("voorbeeld.index", "Voorbeeld", "voorbeeld.index", "voorbeeld.view", order=70)],
)
