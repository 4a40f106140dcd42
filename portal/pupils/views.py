"""The register's pages at /<school>/leerlingen/, a pupil's chronology, and the picker's search.

- The list, adding, changing and marking a pupil as left: ``portal.pupils`` (directie, IB,
  beheerder). Every page that shows a pupil writes an audit row naming the child.
- The chronology: every case about the child that the viewer may see, newest first. The
  directie and IB (``portal.pupil_chronology``) open it for any pupil of their school;
  anyone else only for a pupil in a case they may see, and sees only those cases.
- ``kiezen``: the picker's suggestions (``portal.pupil_pick``): name, group and number of
  at most ten pupils still at school, never more about them.
"""

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from ..access import has_permission
from ..access import requires
from ..audit import audit_view
from ..cases.visibility import visible_condition
from ..dates import nl_date
from ..dates import today
from ..forms import Form
from ..forms import bounded_int
from ..forms import clean
from ..forms import date_field
from ..forms import line
from ..models import Case
from ..models import CasePupil
from ..models import Pupil
from ..models import PupilGroup
from ..registry import get_registry
from . import full_name
from . import groups_now
from . import has_left
from . import in_school
from . import mark_left
from . import role_label
from . import save
from . import school_year
from . import search
from .field import CANDIDATES
from .field import PICK

MANAGE = "portal.pupils"
CHRONOLOGY = "portal.pupil_chronology"
PAGE_SIZE = 100

bp = Blueprint("pupils", __name__, url_prefix="/<school>/leerlingen")


class PupilForm(Form):
    las_number = line(
        "Leerlingnummer",
        40,
        "Vul het leerlingnummer in (uit ParnasSys of ESIS).",
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    first_name = line("Voornaam (roepnaam)", 100, "Vul de voornaam in.", render_kw={"autocomplete": "off"})
    prefix = line("Tussenvoegsel", 40, render_kw={"autocomplete": "off"})
    last_name = line("Achternaam", 150, "Vul de achternaam in.", render_kw={"autocomplete": "off"})
    birth_date = date_field("Geboortedatum", None, past=True)
    group = line(
        "Groep dit schooljaar", 20, description="De naam die de school gebruikt, bijvoorbeeld 5b of 1/2a."
    )
    enrolled_on = date_field("Ingeschreven op", None)

    def check(self):
        taken = Pupil.get_or_none(
            (Pupil.school == g.school.id)
            & (Pupil.las_number == clean(self.las_number))
            & (Pupil.id != (self.pupil_id or 0))
        )
        if clean(self.las_number) and taken is not None:
            return {"las_number": f"Dit leerlingnummer heeft al een andere leerling: {full_name(taken)}."}
        return None

    pupil_id = None


class LeftForm(Form):
    left_on = date_field("Uitgeschreven op", default=today)


def _values(form):
    return {
        "las_number": clean(form.las_number),
        "first_name": clean(form.first_name),
        "prefix": clean(form.prefix),
        "last_name": clean(form.last_name),
        "birth_date": form.birth_date.data,
        "enrolled_on": form.enrolled_on.data,
    }


def _pupil_or_404(pupil_id):
    pupil = in_school(g.school, pupil_id)
    if pupil is None:
        abort(404)
    return pupil


# ---------------------------------------------------------------- register ----


@bp.route("/")
@requires(MANAGE)
def index():
    args = request.args
    query = args.get("q", "").strip()[:100]
    group = args.get("groep", "").strip()[:20]
    with_left = args.get("vertrokken") == "1"
    try:
        offset = max(0, bounded_int(args.get("vanaf", "0") or "0"))
    except ValueError:
        offset = 0
    rows = search(g.school, query, limit=offset + PAGE_SIZE + 1, include_left=with_left, group=group)[offset:]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    # Which list, not which names: the search words may be a child's name.
    audit_view(
        "pupil.list",
        detail=f"groep={group} vertrokken={int(with_left)} "
        f"zoekwoorden={len(query.split())} rijen={len(rows)}",
    )
    groups = sorted(
        {
            name
            for (name,) in PupilGroup.select(PupilGroup.name)
            .where((PupilGroup.school == g.school.id) & (PupilGroup.school_year == school_year()))
            .distinct()
            .tuples()
        },
        key=lambda n: (len(n), n),
    )
    next_url = None
    if more:
        next_url = url_for("pupils.index", **{**args.to_dict(), "vanaf": offset + PAGE_SIZE})
    return render_template(
        "pupils/index.html",
        rows=rows,
        query=query,
        group=group,
        groups=groups,
        with_left=with_left,
        next_url=next_url,
        has_left=has_left,
        full_name=full_name,
        nl_date=nl_date,
        may_see_chronology=has_permission(current_user, g.school, CHRONOLOGY),
        year=school_year(),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires(MANAGE)
def new():
    form = PupilForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        pupil = save(g.school, _values(form), clean(form.group), user=current_user)
        flash(f"{full_name(pupil)} staat in de leerlingenlijst.")
        return redirect(url_for("pupils.index", q=pupil.las_number))
    return render_template("pupils/edit.html", form=form, pupil=None), 422 if form.errors else 200


@bp.route("/<int:pupil_id>/bewerken", methods=["GET", "POST"])
@requires(MANAGE)
def edit(pupil_id):
    pupil = _pupil_or_404(pupil_id)
    if request.method == "GET":
        audit_view("pupil.view", detail=f"leerling {pupil.id}", pupil=pupil)
        group = groups_now(g.school, [pupil.id]).get(pupil.id, "")
        form = PupilForm(obj=pupil, group=group)
        form.pupil_id = pupil.id
        return _edit_page(form, pupil)
    form = PupilForm(request.form)
    form.pupil_id = pupil.id
    if not form.validate():
        return _edit_page(form, pupil, 422)
    save(g.school, _values(form), clean(form.group), pupil=pupil, user=current_user)
    flash(f"De gegevens van {full_name(_pupil_or_404(pupil_id))} zijn opgeslagen.")
    return redirect(url_for("pupils.edit", pupil_id=pupil.id))


def _edit_page(form, pupil, status=200, left_form=None):
    return render_template(
        "pupils/edit.html",
        form=form,
        pupil=pupil,
        has_left=has_left,
        left_form=left_form or LeftForm(),
        nl_date=nl_date,
        may_see_chronology=has_permission(current_user, g.school, CHRONOLOGY),
        full_name=full_name,
    ), status


@bp.route("/<int:pupil_id>/vertrokken", methods=["POST"])
@requires(MANAGE)
def left(pupil_id):
    """Mark a pupil as left (or back at school: ``terug``). Never deleted here: the cases
    about the child stay, and the retention periods decide when the record goes."""
    pupil = _pupil_or_404(pupil_id)
    if request.form.get("terug") == "1":
        mark_left(g.school, pupil, None, current_user)
        flash(f"{full_name(pupil)} staat weer als leerling van de school ingeschreven.")
        return redirect(url_for("pupils.edit", pupil_id=pupil.id))
    form = LeftForm(request.form)
    if not form.validate():
        group = groups_now(g.school, [pupil.id]).get(pupil.id, "")
        return _edit_page(PupilForm(obj=pupil, group=group), pupil, 422, left_form=form)
    mark_left(g.school, pupil, form.left_on.data, current_user)
    flash(f"{full_name(pupil)} is uitgeschreven per {nl_date(form.left_on.data)}.")
    return redirect(url_for("pupils.edit", pupil_id=pupil.id))


# -------------------------------------------------------------- chronology ----


def chronology_rows(pupil, user):
    """The cases about ``pupil`` that ``user`` may see, newest first, with the pupil's role."""
    query = (
        Case.select(Case, CasePupil.role.alias("pupil_role"))
        .join(CasePupil, on=(CasePupil.case == Case.id))
        .where((CasePupil.pupil == pupil.id) & visible_condition(user, g.school))
        .order_by(Case.created_at.desc(), Case.id.desc())
        .objects()
    )
    return list(query)


@bp.route("/<int:pupil_id>")
@requires("portal.cases")
def chronology(pupil_id):
    pupil = in_school(g.school, pupil_id)
    rows = chronology_rows(pupil, current_user) if pupil is not None else []
    # Directie and IB see any pupil's; anyone else only a pupil of a case they may see.
    if pupil is None or not (rows or has_permission(current_user, g.school, CHRONOLOGY)):
        abort(404)
    audit_view("pupil.chronology", detail=f"leerling {pupil.id}: {len(rows)} zaken", pupil=pupil)
    reg = get_registry()
    for row in rows:
        ct = reg.case_types.get(row.case_type)
        row.type_title = ct.title if ct else row.case_type
        row.state_title = ct.state(row.state).title if ct else row.state
        row.role_title = role_label(row.pupil_role)
    return render_template(
        "pupils/chronology.html",
        pupil=pupil,
        rows=rows,
        full_name=full_name,
        nl_date=nl_date,
        group=groups_now(g.school, [pupil.id]).get(pupil.id, ""),
        has_left=has_left,
        may_manage=has_permission(current_user, g.school, MANAGE),
    )


# ------------------------------------------------------------------ picker ----


@bp.route("/kiezen")
@requires(PICK)
def pick():
    """The picker's suggestions as JSON: at most ten pupils still at school."""
    query = request.args.get("q", "").strip()[:100]
    rows = search(g.school, query, limit=CANDIDATES) if len(query) >= 2 else []
    audit_view("pupil.search", detail=f"zoekwoorden={len(query.split())} rijen={len(rows)}")
    response = jsonify(
        pupils=[{"id": p.id, "name": full_name(p), "group": p.group, "number": p.las_number} for p in rows]
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    app.register_blueprint(bp)
