"""Pages of the plugin the core does not have, mounted at /<school>/organisatie/.

- ``index``: "Wie doet wat" of a school year, for every staff member;
- ``roles``, ``person``: the directie keeps the register;
- ``training``: the training register (2.2.2), BHV certificates included;
- ``actions``: the open actions of the evaluation moments and drills, until done;
- ``contactpersonen``: the public page for parents (no login): who the contactpersoon, the
  pestcoördinator and the vertrouwenspersoon are and how to reach them.

The evaluation moments and the drills are cases: their start pages and case pages are
the core's.
"""

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from portal import api

from . import details
from . import register
from .choices import PARENT_ROLES
from .choices import ROLES
from .choices import TRAINING_KINDS
from .forms import ActionDoneForm
from .forms import PersonForm
from .forms import RoleForm
from .forms import TrainingForm
from .models import Action
from .models import Assignment
from .models import Person
from .models import Training

bp = Blueprint("organisatie", __name__, template_folder="templates")

# The years one may look at: a few back (history), one ahead (preparing the next).
YEARS_BACK = 10


def _year():
    """The school year asked for in ``?jaar=`` (its first calendar year), else the current one."""
    now = register.current_year()
    year = request.args.get("jaar", type=api.bounded_int)
    if year is None or not now - YEARS_BACK <= year <= now + 1:
        return now
    return year


# ---------------------------------------------------------------- register ----


@bp.route("/")
@api.requires("organisatie.view")
def index():
    year = _year()
    school = g.school
    status = register.bhv_status(school, year)
    return render_template(
        "organisatie/register.html",
        year=year,
        now=register.current_year(),
        years_back=YEARS_BACK,
        held=register.by_role(school, year),
        roles=ROLES,
        status=status,
        bhv_lines={line.assignment.id: line for line in status.lines},
        missing=[register.role_label(key).lower() for key in register.missing_required(school, year)],
        vacancies=register.vacancies(school, year),
        year_text=register.year_text,
    )


def _roles_page(form, year, status=200):
    return render_template(
        "organisatie/roles.html",
        form=form,
        year=year,
        now=register.current_year(),
        years_back=YEARS_BACK,
        held=register.assignments(g.school, year),
        role_label=register.role_label,
        year_text=register.year_text,
        previous=register.assignments(g.school, year - 1),
    ), status


@bp.route("/rollen", methods=["GET", "POST"])
@api.requires("organisatie.manage")
def roles():
    year = _year()
    if request.method == "GET":
        return _roles_page(RoleForm(), year)
    form = RoleForm(request.form)
    if not form.validate():
        return _roles_page(form, year, 422)
    school = g.school
    try:
        with api.atomic():
            person = _chosen_person(school, form)
            if person is None:
                form.who.errors = ["Kies iemand uit de lijst."]
                return _roles_page(form, year, 422)
            role = form.role.data
            _assignment, replaced = register.assign(
                school, year, person, role, current_user, replace=bool(form.replace.data)
            )
            if role == "bhv" and form.certified_on.data:
                Training.create(
                    school=school.id,
                    person=person.id,
                    kind="bhv",
                    course="BHV-certificaat",
                    completed_on=form.certified_on.data,
                    expires_on=form.certified_until.data,
                    created_by=current_user.id,
                )
            api.audit("organisatie.rol", detail=f"{year} {role} persoon {person.id}")
    except register.RoleTaken as taken:
        form.replace.errors = [
            f"{taken.holder.person.name} is al {register.role_label(taken.holder.role).lower()} in "
            f"{register.year_text(year)}. Een school heeft er precies één (Wet veiligheid op school): vink "
            "dit aan om te vervangen."
        ]
        return _roles_page(form, year, 422)
    label = register.role_label(role).lower()
    flash(
        f"{person.name} is nu {label} in {register.year_text(year)}"
        + (f" (in plaats van {replaced.person.name})." if replaced else ".")
    )
    return redirect(url_for("organisatie.roles", jaar=year))


def _chosen_person(school, form):
    """The person the form names (one of the register, a colleague's account, or a new name),
    with the phone, e-mail and organisation typed in replacing what the register had; None
    for a choice that is no longer this school's."""
    if form.who.data:
        person = register.chosen(school, form.who.data)
    else:
        person = Person.create(school=school.id, name=api.clean(form.name))
    typed = {
        name: api.clean(form[name]) for name in ("phone", "email", "organisation") if api.clean(form[name])
    }
    if person is not None and typed:
        Person.update(**typed).where(Person.id == person.id).execute()
        person = Person.get_by_id(person.id)
    return person


@bp.route("/rollen/<int:assignment_id>/verwijderen", methods=["POST"])
@api.requires("organisatie.manage")
def remove_role(assignment_id):
    found = (
        Assignment.select(Assignment, Person)
        .join(Person)
        .where((Assignment.id == assignment_id) & (Assignment.school == g.school.id))
        .first()
    )
    if found is None:
        abort(404)
    with api.atomic():
        Assignment.delete().where(Assignment.id == found.id).execute()
        api.audit("organisatie.rol_weg", detail=f"{found.school_year} {found.role} persoon {found.person_id}")
    role, when = register.role_label(found.role).lower(), register.year_text(found.school_year)
    flash(f"{found.person.name} is geen {role} meer in {when}.")
    return redirect(url_for("organisatie.roles", jaar=found.school_year))


@bp.route("/rollen/overnemen", methods=["POST"])
@api.requires("organisatie.manage")
def copy_year():
    year = request.form.get("jaar", type=api.bounded_int)
    now = register.current_year()
    if year is None or not now - YEARS_BACK < year <= now + 1:
        abort(404)
    with api.atomic():
        added = register.copy_year(g.school, year, current_user)
        api.audit("organisatie.overnemen", detail=f"{year - 1} -> {year}: {added}")
    flash(f"{added} rol(len) overgenomen uit {register.year_text(year - 1)}.")
    return redirect(url_for("organisatie.roles", jaar=year))


@bp.route("/persoon/<int:person_id>", methods=["GET", "POST"])
@api.requires("organisatie.manage")
def person(person_id):
    found = register.person_of(g.school, person_id)
    if found is None:
        abort(404)
    form = PersonForm(request.form if request.method == "POST" else None, obj=found)
    if request.method == "POST" and form.validate():
        values = {name: api.clean(form[name]) for name in ("name", "organisation", "phone", "email")}
        changed = [name for name, value in values.items() if getattr(found, name) != value]
        with api.atomic():
            Person.update(**values).where(Person.id == found.id).execute()
            api.audit("organisatie.persoon", detail=f"{found.id}: {', '.join(changed) or 'niets gewijzigd'}")
        flash("De gegevens zijn opgeslagen.")
        return redirect(url_for("organisatie.roles"))
    held = list(
        Assignment.select()
        .where(Assignment.person == found.id)
        .order_by(Assignment.school_year.desc(), Assignment.role)
    )
    return render_template(
        "organisatie/person.html",
        form=form,
        person=found,
        held=held,
        role_label=register.role_label,
        year_text=register.year_text,
        trainings=list(
            Training.select().where(Training.person == found.id).order_by(Training.completed_on.desc())
        ),
        kind_label=lambda key: api.label(TRAINING_KINDS, key),
    ), (422 if form.errors else 200)


@bp.route("/persoon/<int:person_id>/verwijderen", methods=["POST"])
@api.requires("organisatie.manage")
def remove_person(person_id):
    found = register.person_of(g.school, person_id)
    if found is None:
        abort(404)
    with api.atomic():
        # Its roles and courses go with it (ON DELETE CASCADE).
        Person.delete().where(Person.id == found.id).execute()
        api.audit("organisatie.persoon_weg", detail=str(found.id))
    flash(f"{found.name} staat niet meer in het register.")
    return redirect(url_for("organisatie.roles"))


# ---------------------------------------------------------------- training ----


def _training_page(form, status=200):
    rows = list(
        Training.select(Training, Person)
        .join(Person)
        .where(Training.school == g.school.id)
        .order_by(Person.name, Training.completed_on.desc(), Training.id)
    )
    day = api.today()
    return render_template(
        "organisatie/training.html",
        rows=rows,
        form=form,
        kind_label=lambda key: api.label(TRAINING_KINDS, key),
        state=lambda t: register.certificate_state(t, day) if t.expires_on else "",
    ), status


@bp.route("/scholing")
@api.requires("organisatie.scholing")
def training():
    api.audit("organisatie.scholing_bekeken")
    may_add = api.has_permission(current_user, g.school, "organisatie.manage")
    return _training_page(TrainingForm() if may_add else None)


@bp.route("/scholing/nieuw", methods=["POST"])
@api.requires("organisatie.manage")
def add_training():
    form = TrainingForm(request.form)
    if not form.validate():
        return _training_page(form, 422)
    school = g.school
    with api.atomic():
        person = register.chosen(school, form.who.data)
        if person is None:
            form.who.errors = ["Kies iemand uit de lijst."]
            return _training_page(form, 422)
        made = Training.create(
            school=school.id,
            person=person.id,
            kind=form.kind.data,
            course=api.clean(form.course),
            provider=api.clean(form.provider),
            completed_on=form.completed_on.data,
            expires_on=form.expires_on.data,
            created_by=current_user.id,
        )
        api.audit("organisatie.scholing", detail=f"{made.id}: {made.kind} persoon {person.id}")
    flash(f"De cursus van {person.name} is vastgelegd.")
    return redirect(url_for("organisatie.training"))


@bp.route("/scholing/<int:training_id>/verwijderen", methods=["POST"])
@api.requires("organisatie.manage")
def remove_training(training_id):
    found = Training.get_or_none((Training.id == training_id) & (Training.school == g.school.id))
    if found is None:
        abort(404)
    with api.atomic():
        Training.delete().where(Training.id == found.id).execute()
        api.audit("organisatie.scholing_weg", detail=str(found.id))
    flash("De cursus is uit het register gehaald.")
    return redirect(url_for("organisatie.training"))


# ----------------------------------------------------------------- actions ----


@bp.route("/acties")
@api.requires("organisatie.evaluatie")
def actions():
    school = g.school
    done = list(
        Action.select(Action, api.Case)
        .join(api.Case, on=(Action.case == api.Case.id))
        .where((api.Case.school == school.id) & Action.done_on.is_null(False))
        .order_by(Action.done_on.desc(), Action.id.desc())
        .limit(20)
    )
    return render_template(
        "organisatie/actions.html",
        open_actions=details.open_actions(school),
        done=done,
        today=api.today(),
        form=ActionDoneForm(),
        errors={},
    )


@bp.route("/acties/<int:action_id>/klaar", methods=["POST"])
@api.requires("organisatie.plan")
def action_done(action_id):
    found = (
        Action.select(Action, api.Case)
        .join(api.Case, on=(Action.case == api.Case.id))
        .where((Action.id == action_id) & (api.Case.school == g.school.id) & Action.done_on.is_null())
        .first()
    )
    if found is None:
        abort(404)
    form = ActionDoneForm(request.form)
    if not form.validate():
        return render_template(
            "organisatie/actions.html",
            open_actions=details.open_actions(g.school),
            done=[],
            today=api.today(),
            form=ActionDoneForm(),
            errors={found.id: form.done_on.errors},
        ), 422
    with api.atomic():
        Action.update(done_on=form.done_on.data, done_by=current_user.id).where(
            Action.id == found.id
        ).execute()
        api.add_event(
            found.case,
            "note",
            current_user,
            f"Actie klaar op {api.nl_date(form.done_on.data)}: {found.description}",
        )
        api.audit("organisatie.actie_klaar", case=found.case, detail=str(found.id))
    flash("De actie staat op klaar.")
    return redirect(url_for("organisatie.actions"))


# ------------------------------------------------------------ public page ----


@bp.route("/contactpersonen")
@api.public
@api.parents
def contactpersonen():
    """For parents, without an account: the school must make these people known."""
    school = g.school
    held = register.by_role(school, register.current_year())
    return render_template(
        "organisatie/contactpersonen.html",
        sections=[(key, register.role_label(key), held[key]) for key in PARENT_ROLES],
        school=school,
    )
