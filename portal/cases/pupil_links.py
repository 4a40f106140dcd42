"""The pupils of a case, on its page: who the case is about, linking a pupil of the register
(also to a name a parent typed, "niet gekoppeld") and taking one off.

Whoever may handle the case and choose pupils (``portal.pupil_pick``) changes the list;
every change is audited with the child's id. The routes belong to the case pages'
blueprint: the case is found (or 404) the way every case page finds it.
"""

from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user

from ..access import has_permission
from ..access import requires
from ..forms import Form
from ..forms import SelectField
from ..models import CasePupil
from ..pupils import CASE_ROLES
from ..pupils import PupilRefused
from ..pupils import case_pupils
from ..pupils import in_school
from ..pupils import link
from ..pupils import role_label
from ..pupils import unlink
from ..pupils.field import PICK
from ..pupils.field import PupilField
from .engine import case_type
from .views import _load
from .views import _render_detail
from .views import _require_handle
from .views import bp


class AddPupilForm(Form):
    pupil = PupilField("Leerling toevoegen", required="Zoek en kies de leerling.")
    role = SelectField("Rol in deze zaak", choices=CASE_ROLES, default="betrokken")


class LinkPupilForm(Form):
    pupil = PupilField("Leerling in de leerlingenlijst", required="Zoek en kies de leerling.")


def add_form(formdata=None):
    return AddPupilForm(formdata, prefix="lln")


def link_form(row, formdata=None):
    form = LinkPupilForm(formdata, prefix=f"koppel{row.id}")
    if formdata is None:
        form.pupil.query = row.name  # the typed name is the first search
    return form


def context(case, may_handle, forms):
    """What the case page needs for its pupils section; a refused form in ``forms`` (by
    ``pupils-add`` or ``pupils-<row id>``) is shown with its errors and choices."""
    if not case_type(case.case_type).about_pupils:
        return {"case_pupils": [], "may_link_pupils": False}
    rows = case_pupils(case)
    may_link = may_handle and has_permission(current_user, g.school, PICK)
    return {
        "case_pupils": rows,
        "pupil_role": role_label,
        "may_link_pupils": may_link,
        "pupil_add_form": forms.get("pupils-add") or add_form() if may_link else None,
        "pupil_link_forms": {
            r.id: forms.get(f"pupils-{r.id}") or link_form(r) for r in rows if r.linked is None
        }
        if may_link
        else {},
    }


def _may_link(case):
    """Only who may handle the case changes its pupils (the route requires PICK too), and
    only on a case type that can be about a pupil."""
    if not case_type(case.case_type).about_pupils:
        abort(404)
    _require_handle(case)


def _row_or_404(case, row_id):
    row = CasePupil.get_or_none((CasePupil.id == row_id) & (CasePupil.case == case.id))
    if row is None:
        abort(404)
    return row


def _back(case):
    return redirect(url_for("cases.detail", reference=case.reference) + "#h-pupils")


@bp.route("/<reference>/leerlingen", methods=["POST"], endpoint="pupil_add")
@requires(PICK)
def add(reference):
    case = _load(reference)
    _may_link(case)
    form = add_form(request.form)
    if not form.validate():
        return _render_detail(case, forms={"pupils-add": form}, status=422)
    try:
        link(case, form.pupil.pupil, current_user, form.role.data)
    except PupilRefused as refused:
        form.pupil.errors = [refused.reason]
        return _render_detail(case, forms={"pupils-add": form}, status=422)
    flash(f"{form.pupil.data} is aan deze zaak gekoppeld.")
    return _back(case)


@bp.route("/<reference>/leerlingen/<int:row_id>", methods=["POST"], endpoint="pupil_connect")
@requires(PICK)
def connect(reference, row_id):
    """Link the register's pupil to a name typed before (a parent's form, an old case)."""
    case = _load(reference)
    _may_link(case)
    row = _row_or_404(case, row_id)
    if row.pupil_id is not None:
        flash("Deze leerling is al gekoppeld.", "error")
        return _back(case)
    form = link_form(row, request.form)
    refused = None
    if form.validate():
        try:
            link(case, form.pupil.pupil, current_user, row.role, unlinked=row)
        except PupilRefused as error:
            refused = error.reason
            form.pupil.errors = [refused]
    if form.errors or refused:
        return _render_detail(case, forms={f"pupils-{row.id}": form}, status=422)
    flash(f"{form.pupil.data} is gekoppeld.")
    return _back(case)


@bp.route("/<reference>/leerlingen/<int:row_id>/verwijderen", methods=["POST"], endpoint="pupil_remove")
@requires(PICK)
def remove(reference, row_id):
    case = _load(reference)
    _may_link(case)
    row = _row_or_404(case, row_id)
    pupil = in_school(g.school, row.pupil_id) if row.pupil_id else None
    unlink(case, row, current_user)
    flash(f"{'De leerling' if pupil is None else 'De koppeling'} is van deze zaak gehaald.")
    return _back(case)
