"""Pages of this plugin: report a serious incident and start an expulsion route.

Everything after that (steps, checklist, letters) happens on the core's case
page at /<school>/zaken/<reference>.
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

from portal import mail
from portal.access import has_permission
from portal.access import requires
from portal.access import users_with_permission
from portal.audit import audit
from portal.cases import engine
from portal.cases.visibility import get_visible
from portal.db import atomic
from portal.models import Case

from . import data
from .forms import ExpulsionStartForm
from .forms import IncidentForm
from .models import Expulsion
from .models import Incident
from .workflow import DECIDE
from .workflow import EXPULSION
from .workflow import HANDLE
from .workflow import REPORT
from .workflow import SUSPENSION
from .workflow import VIEW

bp = Blueprint("schorsing", __name__, template_folder="templates")


@bp.route("/melden", methods=["GET", "POST"])
@requires(REPORT)
def new_incident():
    form = IncidentForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        case = _create_incident(form)
        audit("schorsing.incident.create", case=case)
        if has_permission(current_user, g.school, VIEW):
            flash(f"Het incident is vastgelegd als {case.reference}.")
            return redirect(url_for("cases.detail", reference=case.reference))
        return redirect(url_for("schorsing.reported", reference=case.reference))
    status = 422 if request.method == "POST" else 200
    return render_template("schorsing/incident_form.html", form=form), status


def _create_incident(form):
    school = g.school
    title = f"Ernstig incident groep {form.pupil_group.data.strip()}: {form.pupil_name.data.strip()}"
    with atomic():
        # Confidential: only the directie and the bestuur (and an assignee) see it.
        case = engine.create_case(school, SUSPENSION, title, current_user, confidential=True)
        Incident.create(
            case=case.id, pupil_name=form.pupil_name.data.strip(),
            pupil_group=form.pupil_group.data.strip(), occurred_on=form.occurred_on.data,
            occurred_time=form.occurred_time.data.strftime("%H:%M"),
            place=form.place.data.strip(), category=form.category.data,
            category_other=(form.category_other.data or "").strip()
            if form.category.data == "anders" else "",
            description=form.description.data, involved=form.involved.data or "",
            immediate_action=form.immediate_action.data, reported_by=current_user.id,
        )
        # Staff mail carries no details about the child: only the reference.
        for person in users_with_permission(school, DECIDE):
            if person.id != current_user.id:
                mail.queue(person.email, f"Ernstig incident gemeld: {case.reference}",
                           f"Er is een ernstig incident gemeld ({case.reference}). "
                           "Log in op het Veiligheidsportaal om het af te handelen.",
                           school=school)
    return case


@bp.route("/gemeld/<reference>")
@requires(REPORT)
def reported(reference):
    """Receipt for the reporter, who does not see the case itself."""
    case = Case.get_or_none((Case.school == g.school.id) & (Case.reference == reference)
                            & (Case.case_type == SUSPENSION))
    if case is None or case.created_by_id != current_user.id:
        abort(404)
    return render_template("schorsing/reported.html", reference=case.reference)


@bp.route("/verwijdering/nieuw", methods=["GET", "POST"])
@requires(HANDLE)
def new_expulsion():
    if request.method == "POST":
        form = ExpulsionStartForm(request.form)
    else:
        form = ExpulsionStartForm(data=_prefill(request.args.get("incident", "")))
    incident_case = None
    if request.method == "POST" and form.validate():
        ref = (form.incident.data or "").strip().upper()
        if ref:
            incident_case = _visible_incident(ref)
            if incident_case is None:
                form.incident.errors.append("Er is geen incident met dit kenmerk.")
        if not form.incident.errors:
            case = _create_expulsion(form, incident_case)
            audit("schorsing.verwijdering.create", case=case)
            flash(f"Het verwijderingstraject is gestart als {case.reference}.")
            return redirect(url_for("cases.detail", reference=case.reference))
    status = 422 if request.method == "POST" else 200
    return render_template("schorsing/expulsion_form.html", form=form), status


def _visible_incident(reference):
    case = get_visible(g.school, reference[:40], current_user)
    return case if case is not None and case.case_type == SUSPENSION else None


def _prefill(reference):
    """Pupil data from the incident, so it is not typed twice."""
    case = _visible_incident(reference.strip().upper()) if reference else None
    incident = data.incident(case) if case else None
    if incident is None:
        return {}
    return {"pupil_name": incident.pupil_name, "pupil_group": incident.pupil_group,
            "incident": case.reference}


def _create_expulsion(form, incident_case):
    title = f"Verwijdering groep {form.pupil_group.data.strip()}: {form.pupil_name.data.strip()}"
    with atomic():
        case = engine.create_case(g.school, EXPULSION, title, current_user, confidential=True)
        Expulsion.create(
            case=case.id, pupil_name=form.pupil_name.data.strip(),
            pupil_group=form.pupil_group.data.strip(), grounds=form.grounds.data,
            incident_case=incident_case.id if incident_case else None,
        )
        if incident_case is not None:
            engine.add_event(incident_case, "note", current_user,
                             f"Verwijderingstraject gestart: {case.reference}.")
    return case
