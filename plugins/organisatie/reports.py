"""Dashboard panels (the BHV status, red panels for what the school must put right) and the
figures for the yearly report."""

from flask import url_for

from portal import api

from . import details
from . import register
from .choices import ROLES
from .choices import TRAINING_KINDS
from .details import DRILL
from .details import EVALUATION
from .models import Action
from .models import Drill
from .models import Evaluation
from .models import Training

# Safety plan 3.3.1: "2x per jaar is er een evaluatiemoment".
EVALUATIONS_PER_YEAR = 2
# From 1 June a school year without a drill is nearly over (safety plan 3.5.2: at least one).
DRILL_WARNING_MONTH = 6


# -------------------------------------------------------------------- panels ----


def drills_held(school, year):
    """The drills held in the school year, first first."""
    first, last = api.school_year_bounds(year)
    return list(
        Drill.select(Drill, api.Case)
        .join(api.Case, on=(Drill.case == api.Case.id))
        # The case type too: the index (school, type) reads the school's drills only, not
        # every case of its history (docs/performance.md).
        .where(
            (api.Case.school == school.id)
            & (api.Case.case_type == DRILL)
            & Drill.held_on.between(first, last)
        )
        .order_by(Drill.held_on, Drill.id)
    )


def drill_overdue(school, day):
    """From 1 June to the end of the school year, without a drill held in it."""
    return day.month in (DRILL_WARNING_MONTH, 7) and not drills_held(school, api.school_year_of(day))


def planned_drill(school):
    return (
        Drill.select(Drill, api.Case)
        .join(api.Case, on=(Drill.case == api.Case.id))
        .where((api.Case.school == school.id) & (api.Case.case_type == DRILL) & (api.Case.state == "gepland"))
        .order_by(Drill.planned_on)
        .first()
    )


def evaluations_held(school, year):
    first, last = api.school_year_bounds(year)
    return (
        Evaluation.select()
        .join(api.Case, on=(Evaluation.case == api.Case.id))
        .where(
            (api.Case.school == school.id)
            & (api.Case.case_type == EVALUATION)
            & Evaluation.held_on.between(first, last)
        )
        .count()
    )


def panels(user, school):
    day, year = api.today(), register.current_year()
    out = []
    manage = api.has_permission(user, school, "organisatie.manage")
    plan = api.has_permission(user, school, "organisatie.plan")
    missing = register.missing_required(school, year)
    if missing:
        names = " en geen ".join(register.role_label(key).lower() for key in missing)
        lines = [
            (
                "De school moet bekendmaken wie het aanspreekpunt is voor pesten en voor klachten "
                "over ongewenst gedrag (Wet veiligheid op school).",
                "",
                None,
            )
        ]
        if manage:
            lines.append(("Wie doet wat bijwerken", "", url_for("organisatie.roles")))
        out.append(
            api.Panel(
                "organisatie.ontbreekt",
                f"Let op: geen {names}",
                tuple(lines),
                "organisatie.view",
                order=1,
                alert=True,
            )
        )
    if drill_overdue(school, day):
        lines = [("Veiligheidsplan 3.5.2: minimaal één keer per jaar oefenen met de leerlingen.", "", None)]
        planned = planned_drill(school)
        if planned is not None:
            lines.append(
                (
                    f"Gepland op {api.nl_date(planned.planned_on)}",
                    "",
                    url_for("cases.detail", reference=planned.case.reference),
                )
            )
        elif plan:
            lines.append(("Ontruimingsoefening plannen", "", url_for("organisatie.start_ontruiming")))
        out.append(
            api.Panel(
                "organisatie.geen_oefening",
                f"Let op: nog geen ontruimingsoefening in {register.year_text(year)}",
                tuple(lines),
                "organisatie.evaluatie",
                order=2,
                alert=True,
            )
        )
    status = register.bhv_status(school, year, day)
    lines = [(status.summary, "", url_for("organisatie.index"))]
    lines += [
        (f"Geen geldig certificaat: {line.person.name}, {line.text}", "", None)
        for line in status.lines
        if not line.valid
    ]
    lines += [
        (f"Verloopt binnenkort: {line.person.name}, {line.text}", "", None)
        for line in status.having("verloopt")
    ]
    if status.count < status.needed:
        lines.append((f"BHV'ers ingevuld: {status.count} van de {status.needed}", "", None))
    out.append(api.Panel("organisatie.wie", "Wie doet wat", tuple(lines), "organisatie.view", order=35))
    if api.has_permission(user, school, "organisatie.evaluatie"):
        out.append(_evaluation_panel(school, year, day, plan))
    return out


def _evaluation_panel(school, year, day, plan):
    held = drills_held(school, year)
    drill = f"gehouden op {api.nl_date(held[-1].held_on)}" if held else "nog niet gehouden"
    actions = details.open_actions(school)
    late = sum(1 for a in actions if a.due_on < day)
    lines = [
        (
            "Evaluatiemomenten dit schooljaar",
            f"{evaluations_held(school, year)} van {EVALUATIONS_PER_YEAR}",
            url_for("cases.index", soort=EVALUATION),
        ),
        (f"Ontruimingsoefening dit schooljaar: {drill}", "", url_for("cases.index", soort=DRILL)),
        (
            "Open acties",
            f"{len(actions)}" + (f" (te laat: {late})" if late else ""),
            url_for("organisatie.actions"),
        ),
    ]
    if plan:
        lines += [
            ("Evaluatiemoment plannen", "", url_for("organisatie.start_evaluatie")),
            ("Ontruimingsoefening plannen", "", url_for("organisatie.start_ontruiming")),
        ]
    return api.Panel(
        "organisatie.evaluatie", "Evaluatie en ontruiming", tuple(lines), "organisatie.evaluatie", order=36
    )


# ------------------------------------------------------------------- figures ----


def figures(school, year):
    """The year's drills (with their times), evaluation moments, register, courses and
    actions; ``school`` None: every school, per school."""
    drills = api.year_rows(Drill, Drill.held_on, school, year)
    evaluations = api.year_rows(Evaluation, Evaluation.held_on, school, year)
    courses = api.at_school(
        Training.select().where(api.in_school_year(Training.completed_on, year)), school, Training.school
    )
    actions = api.year_rows(Action, Action.created_at, school, year)
    done, open_ = api.totals(
        actions, api.count_if(Action.done_on.is_null(False)), api.count_if(Action.done_on.is_null())
    )
    if school is None:
        drill_rows = tuple((name, f"{n} keer") for name, n in api.per_school((drills,)))
        evaluation_rows = tuple(
            (name, f"{n} van {EVALUATIONS_PER_YEAR}") for name, n in api.per_school((evaluations,))
        )
        register_value, register_rows = (
            "",
            tuple(_completeness(s, year) for s in api.schools_enabling("organisatie")),
        )
    else:
        drill_rows = tuple(
            (api.nl_date(d.held_on), _drill_result(d)) for d in drills.order_by(Drill.held_on, Drill.id)
        )
        evaluation_rows = tuple(
            (api.nl_date(e.held_on), "gehouden")
            for e in evaluations.order_by(Evaluation.held_on, Evaluation.id)
        )
        register_value, register_rows = _register(school, year)
    kinds = api.count_by(courses, Training.kind, TRAINING_KINDS, zeros=False, others=True)
    return [
        api.ReportFigure(
            "organisatie.ontruiming",
            "Ontruimingsoefeningen gehouden",
            api.totals(drills, api.count())[0],
            drill_rows,
        ),
        api.ReportFigure(
            "organisatie.evaluatie",
            "Evaluatiemomenten gehouden",
            api.totals(evaluations, api.count())[0],
            evaluation_rows,
        ),
        api.ReportFigure("organisatie.register", "Wie doet wat: rollen bezet", register_value, register_rows),
        api.ReportFigure("organisatie.scholing", "Cursussen gevolgd (scholing)", kinds.total, tuple(kinds)),
        api.ReportFigure(
            "organisatie.acties",
            "Acties uit evaluaties en oefeningen",
            done + open_,
            (("Afgerond", done), ("Nog open", open_)),
        ),
    ]


def _drill_result(drill):
    parts = [details.duration_text(drill.evacuation_seconds) or "tijd niet vastgelegd"]
    if drill.headcount_ok is not None:
        parts.append("telling klopte" if drill.headcount_ok else "telling klopte niet")
    return ", ".join(parts)


def _year_day(year):
    """The day the register is judged on: today in the current school year, else its last day."""
    return min(api.today(), api.school_year_bounds(year)[1])


def _register(school, year):
    held = register.by_role(school, year)
    roles = [key for key, _label in ROLES if key != "bhv"]
    filled = sum(1 for key in roles if held[key])
    # Who holds a role is the register's page; the yearly report names nobody (it goes to
    # the MR and the bestuur), so only whether each role is filled.
    rows = [(label, _holders(len(held[key]))) for key, label in ROLES if key != "bhv"]
    status = register.bhv_status(school, year, _year_day(year))
    rows.append(("BHV'ers", f"{status.count} van de {status.needed}; {status.valid} met geldig certificaat"))
    return f"{filled} van {len(roles)}", tuple(rows)


def _holders(n):
    return "niet bezet" if not n else ("1 persoon" if n == 1 else f"{n} personen")


def _completeness(school, year):
    value, _rows = _register(school, year)
    return school.name, f"{value} rollen bezet"
