"""Pages of the plugin the core does not have, mounted at /<school>/incidenten/.

- ``accidents``: the ongevallenregister (Arbowet art. 9 lid 2): staff accidents reported to
  the Arbeidsinspectie or with more than three days of absence, and pupil accidents;
- ``breaches``: the register of data breaches (AVG art. 33 lid 5), per board: every school of
  the board where the user holds the register permission (the bestuur sees all of them).
"""

from flask import Blueprint
from flask import g
from flask import render_template
from flask_login import current_user

from portal import api

from .models import Breach
from .models import Incident
from .workflow import BREACH_REGISTER
from .workflow import VIEW

bp = Blueprint("incidenten", __name__, template_folder="templates")


def _visible(case):
    return api.can_view(case, current_user)


@bp.route("/ongevallen")
@api.requires(VIEW)
def accidents():
    rows = list(
        Incident.select(Incident, api.Case)
        .join(api.Case, on=(Incident.case == api.Case.id))
        .where((api.Case.school == g.school.id) & (Incident.category == "ongeval"))
        .order_by(Incident.occurred_on.desc())
    )
    # Arbowet art. 9 lid 2: the employer keeps a list of the accidents reported to the
    # Arbeidsinspectie and of those that led to more than three working days of absence.
    staff = [r for r in rows if r.victim == "personeel" and (r.ai_required or (r.absence_days or 0) > 3)]
    other_staff = [r for r in rows if r.victim == "personeel" and r not in staff]
    pupils = [r for r in rows if r.victim == "leerling"]
    return render_template(
        "incidenten/accidents.html",
        staff=staff,
        other_staff=other_staff,
        pupils=pupils,
        visible=_visible,
    )


@bp.route("/datalekken")
@api.requires(BREACH_REGISTER)
def breaches():
    schools = [
        s
        for s in api.schools_enabling("incidenten")
        if s.archived_at is None and api.has_permission(current_user, s, BREACH_REGISTER)
    ]
    rows = (
        list(
            Breach.select(Breach, api.Case, api.School)
            .join(api.Case, on=(Breach.case == api.Case.id))
            .join(api.School, on=(api.Case.school == api.School.id))
            .where(api.Case.school.in_([s.id for s in schools]))
            .order_by(Breach.discovered_on.desc(), Breach.id.desc())
        )
        if schools
        else []
    )
    return render_template("incidenten/breaches.html", rows=rows, schools=schools, visible=_visible)
