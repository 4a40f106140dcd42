"""The pages of AVG inzage at /<school>/inzage/ (``portal.inzage``, the directie by default).

- ``index``: every request of the school, open ones first with their deadlines.
- ``pupil``: one pupil's requests, and recording a new one.
- ``detail``: one request: extending the deadline, the decision, the exports, "verzonden".
- ``preview``: the export as HTML, with the choices (cases left out by default, which only a
  holder of ``portal.inzage_include`` may include; letters) and the button that produces it.
- ``download``: an export produced, as a ZIP.

Every page that shows a child's data writes an audit row naming the child; every change is
audited in its own transaction (portal/pupils/inzage.py).
"""

import datetime
import io

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import send_file
from flask import url_for
from flask_login import current_user

from ..access import has_permission
from ..access import requires
from ..audit import audit
from ..audit import audit_view
from ..audit import flush_views
from ..dates import nl_date
from ..dates import nl_datetime
from ..dates import today
from ..forms import Form
from ..forms import RadioField
from ..forms import SelectField
from ..forms import bounded_int
from ..forms import clean
from ..forms import date_field
from ..forms import line
from ..forms import text
from ..models import InzageExport
from ..models import InzageRequest
from ..models import Pupil
from ..models import utcnow
from . import full_name
from . import in_school
from . import inzage
from . import inzage_export
from .inzage import DECISIONS
from .inzage import RELATIONS
from .inzage import InzageRefused

INZAGE = "portal.inzage"
INCLUDE = "portal.inzage_include"

bp = Blueprint("inzage", __name__, url_prefix="/<school>/inzage")


class RequestForm(Form):
    requester_name = line(
        "Naam van de aanvrager",
        200,
        "Vul de naam in van wie om inzage vraagt.",
        render_kw={"autocomplete": "off"},
    )
    relation = SelectField("Relatie tot de leerling", choices=RELATIONS, default="ouder")
    received_on = date_field("Ontvangen op", past=True, default=today)


class ExtendForm(Form):
    months = RadioField(
        "Verlengen met",
        choices=[("1", "één maand"), ("2", "twee maanden")],
        required="Kies met hoeveel maanden de termijn wordt verlengd.",
    )
    reason = text(
        "Reden van de verlenging",
        2000,
        "Vul de reden in: de aanvrager moet die binnen de eerste maand horen.",
        description="AVG art. 12 lid 3: verlengen kan één keer, met hoogstens twee maanden, als het "
        "verzoek ingewikkeld is of er veel verzoeken zijn.",
    )


class DecisionForm(Form):
    decision = RadioField("Besluit", choices=DECISIONS, required="Kies het besluit.")
    reason = text(
        "Redenen",
        5000,
        description="Verplicht bij gedeeltelijke inzage of een weigering (AVG art. 12 lid 4). Komt "
        "in de export.",
    )
    decided_on = date_field("Besloten op", past=True, default=today)

    def check(self):
        if self.decision.data in ("gedeeltelijk", "geweigerd") and not clean(self.reason):
            return {"reason": "Geef de redenen: bij gedeeltelijke inzage of een weigering is dat verplicht."}
        return None


class SentForm(Form):
    sent_on = date_field("Verzonden op", past=True, default=today)


def _pupil_or_404(pupil_id):
    pupil = in_school(g.school, pupil_id)
    if pupil is None:
        abort(404)
    return pupil


def _request_or_404(request_id):
    row = inzage.for_school(g.school, request_id)
    if row is None:
        abort(404)
    return row


# ------------------------------------------------------------------- lists ----


@bp.route("/")
@requires(INZAGE)
def index():
    rows = list(
        InzageRequest.select(InzageRequest, Pupil)
        .join(Pupil, on=(InzageRequest.pupil == Pupil.id))
        .where(InzageRequest.school == g.school.id)
        .order_by(InzageRequest.sent_on.is_null(False), InzageRequest.deadline, InzageRequest.id.desc())
        .limit(500)
    )
    # Which list, not which children: the names are on the page, one row per request.
    audit_view("inzage.list", detail=f"rijen={len(rows)}")
    return render_template(
        "pupils/inzage_index.html",
        rows=rows,
        full_name=full_name,
        nl_date=nl_date,
        is_open=inzage.is_open,
        is_late=inzage.is_late,
        decision_label=inzage.decision_label,
    )


@bp.route("/leerling/<int:pupil_id>", methods=["GET", "POST"])
@requires(INZAGE)
def pupil(pupil_id):
    child = _pupil_or_404(pupil_id)
    form = RequestForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        row = inzage.create(
            g.school,
            child,
            clean(form.requester_name),
            form.relation.data,
            form.received_on.data,
            current_user,
        )
        flash(
            f"Het verzoek is vastgelegd. Uiterlijk {nl_date(row.deadline)} moet het antwoord verzonden zijn."
        )
        return redirect(url_for("inzage.detail", request_id=row.id))
    audit_view("inzage.view", detail=f"leerling {child.id}", pupil=child)
    return render_template(
        "pupils/inzage_pupil.html",
        pupil=child,
        rows=inzage.requests_of(child),
        form=form,
        full_name=full_name,
        nl_date=nl_date,
        is_open=inzage.is_open,
        is_late=inzage.is_late,
        decision_label=inzage.decision_label,
    ), 422 if form.errors else 200


# ---------------------------------------------------------------- a request ----


def _detail_page(row, status=200, **forms):
    audit_view("inzage.request.view", detail=f"verzoek {row.id}", pupil=row.pupil)
    return render_template(
        "pupils/inzage_request.html",
        row=row,
        pupil=row.pupil,
        exports=inzage.exports_of(row),
        extend_form=forms.get("extend") or ExtendForm(),
        decision_form=forms.get("decision")
        or DecisionForm(
            data={"decision": row.decision or None, "reason": row.decision_reason} if row.decision else None
        ),
        sent_form=forms.get("sent") or SentForm(),
        refused=forms.get("refused"),
        may_extend=inzage.is_open(row) and not row.extended_months and today() <= inzage.first_deadline(row),
        first_deadline=inzage.first_deadline(row),
        full_name=full_name,
        nl_date=nl_date,
        nl_datetime=nl_datetime,
        is_open=inzage.is_open,
        is_late=inzage.is_late,
        relation_label=inzage.relation_label,
        decision_label=inzage.decision_label,
    ), status


@bp.route("/<int:request_id>")
@requires(INZAGE)
def detail(request_id):
    return _detail_page(_request_or_404(request_id))


def _refused(row, reason, **forms):
    return _detail_page(row, 422, refused=reason, **forms)


@bp.route("/<int:request_id>/verlengen", methods=["POST"])
@requires(INZAGE)
def extend(request_id):
    row = _request_or_404(request_id)
    form = ExtendForm(request.form)
    if not form.validate():
        return _detail_page(row, 422, extend=form)
    try:
        inzage.extend(row, int(form.months.data), clean(form.reason), current_user)
    except InzageRefused as refused:
        return _refused(row, refused.reason, extend=form)
    flash(f"De termijn is verlengd tot {nl_date(_request_or_404(request_id).deadline)}.")
    return redirect(url_for("inzage.detail", request_id=row.id))


@bp.route("/<int:request_id>/besluit", methods=["POST"])
@requires(INZAGE)
def decide(request_id):
    row = _request_or_404(request_id)
    form = DecisionForm(request.form)
    if not form.validate():
        return _detail_page(row, 422, decision=form)
    try:
        inzage.decide(row, form.decision.data, clean(form.reason), form.decided_on.data, current_user)
    except InzageRefused as refused:
        return _refused(row, refused.reason, decision=form)
    flash("Het besluit is vastgelegd.")
    return redirect(url_for("inzage.detail", request_id=row.id))


@bp.route("/<int:request_id>/verzonden", methods=["POST"])
@requires(INZAGE)
def sent(request_id):
    row = _request_or_404(request_id)
    form = SentForm(request.form)
    if not form.validate():
        return _detail_page(row, 422, sent=form)
    try:
        inzage.mark_sent(row, form.sent_on.data, current_user)
    except InzageRefused as refused:
        return _refused(row, refused.reason, sent=form)
    flash("Het verzoek is afgehandeld.")
    return redirect(url_for("inzage.detail", request_id=row.id))


# ------------------------------------------------------------ the export ----


def _preview_page(row, status=200, refused=None):
    as_of = utcnow()  # before this page's own audit row: the export's access log ends here
    flush_views()  # view rows still in this process's buffer belong before it
    export = inzage_export.gather(row, g.school, current_user, as_of)
    audit_view("inzage.preview", detail=f"verzoek {row.id}", pupil=row.pupil)
    return render_template(
        "pupils/inzage_preview.html",
        row=row,
        fingerprint=None if export.hidden else inzage_export.fingerprint(export),
        as_of=as_of.isoformat(),
        may_include=has_permission(current_user, g.school, INCLUDE),
        refused=refused,
        is_open=inzage.is_open,
        **inzage_export.content_context(export),
    ), status


@bp.route("/<int:request_id>/voorbeeld")
@requires(INZAGE)
def preview(request_id):
    return _preview_page(_request_or_404(request_id))


def _ids(name):
    out = set()
    for value in request.form.getlist(name):
        try:
            out.add(bounded_int(value))
        except ValueError:
            continue
    return out


@bp.route("/<int:request_id>/zaken", methods=["POST"])
@requires(INCLUDE)
def cases(request_id):
    """Include a case of a type left out by default (the meldcode), or leave it out again."""
    if not has_permission(current_user, g.school, INZAGE):
        abort(403)
    row = _request_or_404(request_id)
    export = inzage_export.gather(row, g.school, current_user)
    if export.hidden:
        abort(404)
    try:
        changed = inzage.choose_cases(row, export, _ids("zaak"), current_user)
    except InzageRefused as refused:
        return _preview_page(row, 422, refused.reason)
    flash(f"De keuze is opgeslagen ({changed} gewijzigd)." if changed else "Er is niets gewijzigd.")
    return redirect(url_for("inzage.preview", request_id=row.id))


@bp.route("/<int:request_id>/brieven", methods=["POST"])
@requires(INZAGE)
def letters(request_id):
    """Choose the letters that go along (a letter cannot be redacted)."""
    row = _request_or_404(request_id)
    export = inzage_export.gather(row, g.school, current_user)
    if export.hidden:
        abort(404)
    try:
        changed = inzage.choose_letters(row, export, _ids("brief"), current_user)
    except InzageRefused as refused:
        return _preview_page(row, 422, refused.reason)
    flash(f"De keuze is opgeslagen ({changed} gewijzigd)." if changed else "Er is niets gewijzigd.")
    return redirect(url_for("inzage.preview", request_id=row.id))


@bp.route("/<int:request_id>/maken", methods=["POST"])
@requires(INZAGE)
def produce(request_id):
    row = _request_or_404(request_id)
    try:
        as_of = datetime.datetime.fromisoformat(request.form.get("as_of", "")[:40])
    except ValueError:
        as_of = None
    if as_of is None or as_of.tzinfo is not None or as_of > utcnow():
        return _preview_page(row, 422, "Bekijk eerst het voorbeeld en maak de export vanaf die pagina.")
    flush_views()
    try:
        shown = request.form.get("fingerprint", "")[:64]
        made = inzage_export.produce(row, g.school, current_user, as_of, shown)
    except InzageRefused as refused:
        return _preview_page(row, 422, refused.reason)
    flash(f"De export is gemaakt (versie {made.version}).")
    return redirect(url_for("inzage.detail", request_id=row.id))


@bp.route("/<int:request_id>/export/<int:export_id>")
@requires(INZAGE)
def download(request_id, export_id):
    row = _request_or_404(request_id)
    made = InzageExport.get_or_none((InzageExport.id == export_id) & (InzageExport.request == row.id))
    if made is None:
        abort(404)
    audit("inzage.download", pupil=row.pupil_id, detail=f"verzoek {row.id} v{made.version}")
    response = send_file(
        io.BytesIO(bytes(made.content)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=made.filename,
    )
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    app.register_blueprint(bp)
