"""The staff pages of the klachten plugin the core does not have, mounted at
/<school>/klachten/: the link to the case list and linking the staff member a complaint
is about. The parents' pages (form, receipt, follow-up) are the core's (portal/public.py),
from the type's public ``Start``.
"""

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user

from portal import api

from . import sensitive
from .choices import TYPE_NAME

bp = Blueprint("klachten", __name__, template_folder="templates")


@bp.route("/")
@api.requires("klachten.view")
def overzicht():
    return redirect(url_for("cases.index", soort=TYPE_NAME))


@bp.route("/<reference>/medewerker", methods=["POST"])
@api.requires("klachten.handle")
def medewerker(reference):
    """Link the staff member the complaint is about; that account is then excluded."""
    case = api.visible_case(reference, TYPE_NAME)
    staff = {str(u.id): u for u in api.staff_of(g.school)}.get(request.form.get("staff", ""))
    if staff is None:
        flash("Kies de medewerker over wie de klacht gaat.", "error")
        return redirect(url_for("cases.detail", reference=case.reference))
    with api.atomic():
        sensitive.link_staff(case, staff, current_user, sexual=bool(request.form.get("sexual")))
    if staff.id == current_user.id:
        flash("U bent gekoppeld als betrokken medewerker en ziet deze klacht niet meer.")
        return redirect(url_for("cases.index"))
    flash(f"{staff.name} is gekoppeld en ziet deze klacht niet.")
    return redirect(url_for("cases.detail", reference=case.reference))


@bp.route("/<reference>/medewerker/<int:user_id>/toelaten", methods=["POST"])
@api.requires("klachten.handle")
def toelaten(reference, user_id):
    """A colleague shut out because the parent's words seemed to name them, let in again by
    someone else (the person named cannot: they do not see the complaint)."""
    case = api.visible_case(reference, TYPE_NAME)
    person = next((p for p in api.excluded(case) if p.id == user_id), None)
    if person is None or person.id == current_user.id or api.detail_of(case).staff_user_id == person.id:
        abort(404)
    api.include(
        case,
        person,
        current_user,
        f"{person.name} is weer toegelaten: de naam die de indiener noemde, gaat niet over deze medewerker.",
    )
    flash(f"{person.name} ziet deze klacht weer (voor zover de rol dat toelaat).")
    return redirect(url_for("cases.detail", reference=case.reference))
