"""The yearly report's pages: ``/<school>/jaarcijfers/``.

The report of a school year (monitor results, every plugin's figures beside last year's
with charts, the actions of the jaarplan, the MR's discussion), its PDF versions, the
exports of its tables, the forms for monitor results and actions, and the bestuur's
version across all schools. Reading is ``portal.reports``; keeping it up
``portal.report_edit``; the version across schools ``portal.board_report`` held board-wide.
"""

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
from ..dates import school_year_of
from ..dates import today
from ..db import atomic
from ..documents import pdf_download
from ..forms import bounded_int
from ..forms import clean
from ..models import MonitorResult
from ..models import MonitorScore
from ..models import ReportDocument
from ..models import ReportReview
from ..models import SafetyAction
from ..models import UserRole
from ..models import utcnow
from . import exports
from . import tables
from . import yearly
from .board import board_report
from .choices import FINDINGS
from .choices import INDICATORS
from .choices import OWNERS
from .choices import STATUSES
from .forms import ActionForm
from .forms import MonitorForm
from .forms import ReviewForm
from .forms import names_check
from .forms import parse_group_lines
from .pdf import archive
from .pdf import report_pdf

bp = Blueprint("reports", __name__, url_prefix="/<school>/jaarcijfers")

VIEW = "portal.reports"
EDIT = "portal.report_edit"
BOARD = "portal.board_report"


def chosen_year(where="args"):
    """The school year asked for (``jaar``: the year it starts in, in the query string, the
    form, or either: ``where``), within 2000-2100."""
    if where == "form":
        year = request.form.get("jaar", type=bounded_int)
    elif where == "values":
        year = request.values.get("jaar", type=bounded_int)
    else:
        year = request.args.get("jaar", type=bounded_int)
    if year is None:
        year = school_year_of(today())
    return max(2000, min(year, 2100))


def board_wide(user):
    """A bestuur role held for every school of the board (not at one school)."""
    return (
        UserRole.select()
        .where((UserRole.user == user.id) & UserRole.school.is_null() & (UserRole.role == "bestuur"))
        .exists()
    )


def _school_context(year):
    results = yearly.monitor_results(g.school, year)
    before = yearly.monitor_results(g.school, year - 1)
    return {
        "year": year,
        "figures": yearly.figures(g.school, year, current_user),
        "monitors": results,
        "monitor_chart": yearly.monitor_chart(results, before),
        "actions": yearly.actions(g.school, year),
        "review": yearly.review(g.school, year),
        "indicators": INDICATORS,
        "owners": dict(OWNERS),
        "statuses": dict(STATUSES),
        "findings": dict(FINDINGS),
        "score_text": yearly.score_text,
        "year_label": yearly.year_label,
        "today": today(),
    }


@bp.route("/")
@requires(VIEW)
def report_index():
    if request.args.get("alle") == "1":
        # The address of the earlier figures page for all schools, kept for links to it.
        return board()
    year = chosen_year()
    context = _school_context(year)
    review = context["review"]
    versions = list(
        ReportDocument.select(
            ReportDocument.id, ReportDocument.version, ReportDocument.created_at, ReportDocument.filename
        )
        .where((ReportDocument.school == g.school.id) & (ReportDocument.school_year == year))
        .order_by(ReportDocument.version.desc())
    )
    audit_view("reports.view", detail=f"{year} {g.school.slug}")
    return render_template(
        "report/index.html",
        **context,
        versions=versions,
        may_edit=has_permission(current_user, g.school, EDIT),
        may_board=has_permission(current_user, g.school, BOARD) and board_wide(current_user),
        review_form=ReviewForm(obj=review) if review else ReviewForm(),
        tables=tables.SCHOOL_TABLES,
    )


# ------------------------------------------------------------------- monitor ----


def _monitor_or_404(monitor_id):
    found = MonitorResult.get_or_none(
        (MonitorResult.id == monitor_id) & (MonitorResult.school == g.school.id)
    )
    if found is None:
        abort(404)
    return found


def _save_scores(monitor, form):
    MonitorScore.delete().where(MonitorScore.monitor == monitor.id).execute()
    for key, score in form.school_scores().items():
        MonitorScore.create(monitor=monitor.id, group_name="", indicator=key, score=score)
    for group, scores in parse_group_lines(form.groups.data):
        for key, score in scores.items():
            MonitorScore.create(monitor=monitor.id, group_name=group, indicator=key, score=score)


def _monitor_values(form):
    return {
        "instrument": clean(form.instrument),
        "measured_on": form.measured_on.data,
        "invited": form.invited.data,
        "respondents": form.respondents.data,
        "note": clean(form.note),
        "inspectie_on": form.inspectie_on.data,
    }


def _monitor_form_valid(form):
    ok = form.validate()
    marked = names_check(g.school, form, "note")
    for name, message in marked.items():
        form[name].errors = [*form[name].errors, message]
    return ok and not marked


@bp.route("/monitor/nieuw", methods=["GET", "POST"])
@requires(EDIT)
def monitor_new():
    year = chosen_year("values")
    form = MonitorForm(request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not _monitor_form_valid(form):
            return render_template("report/monitor.html", form=form, year=year, monitor=None), 422
        with atomic():
            monitor = MonitorResult.create(
                school=g.school.id, school_year=year, created_by=current_user.id, **_monitor_values(form)
            )
            _save_scores(monitor, form)
            audit("reports.monitor.add", detail=f"{year} {monitor.id}")
        flash("De monitorresultaten zijn opgeslagen.")
        return redirect(url_for("reports.report_index", jaar=year) + "#monitor")
    return render_template("report/monitor.html", form=form, year=year, monitor=None)


def _groups_text(monitor):
    results = {m.id: m for m in yearly.monitor_results(g.school, monitor.school_year)}
    found = results[monitor.id]
    lines = []
    for group, scores in found.group_scores:
        values = "; ".join(yearly.score_text(scores.get(k)) for k, _ in INDICATORS if k in scores)
        lines.append(f"{group}: {values}")
    return found, "\n".join(lines)


@bp.route("/monitor/<int:monitor_id>", methods=["GET", "POST"])
@requires(EDIT)
def monitor_edit(monitor_id):
    monitor = _monitor_or_404(monitor_id)
    year = monitor.school_year
    if request.method == "POST":
        form = MonitorForm(request.form)
        if not _monitor_form_valid(form):
            return render_template("report/monitor.html", form=form, year=year, monitor=monitor), 422
        with atomic():
            MonitorResult.update(**_monitor_values(form)).where(MonitorResult.id == monitor.id).execute()
            _save_scores(monitor, form)
            audit("reports.monitor.edit", detail=f"{year} {monitor.id}")
        flash("De monitorresultaten zijn opgeslagen.")
        return redirect(url_for("reports.report_index", jaar=year) + "#monitor")
    found, groups = _groups_text(monitor)
    form = MonitorForm(obj=monitor)
    form.groups.data = groups
    for key, _ in INDICATORS:
        form[f"school_{key}"].data = yearly.score_text(found.school_scores.get(key))
    return render_template("report/monitor.html", form=form, year=year, monitor=monitor)


@bp.route("/monitor/<int:monitor_id>/verwijderen", methods=["POST"])
@requires(EDIT)
def monitor_delete(monitor_id):
    monitor = _monitor_or_404(monitor_id)
    with atomic():
        MonitorResult.delete().where(MonitorResult.id == monitor.id).execute()
        audit("reports.monitor.delete", detail=f"{monitor.school_year} {monitor.id}")
    flash("De meting is verwijderd.")
    return redirect(url_for("reports.report_index", jaar=monitor.school_year) + "#monitor")


# ------------------------------------------------------------------- actions ----


def _action_or_404(action_id):
    found = SafetyAction.get_or_none((SafetyAction.id == action_id) & (SafetyAction.school == g.school.id))
    if found is None:
        abort(404)
    return found


def _action_values(form):
    return {
        "goal": clean(form.goal),
        "owner": form.owner.data,
        "due_on": form.due_on.data,
        "status": form.status.data,
        "finding_kind": form.finding_kind.data,
        "finding": clean(form.finding),
        "result": clean(form.result),
        "done_on": form.done_on.data,
    }


def _action_form_valid(form):
    ok = form.validate()
    marked = names_check(g.school, form, "goal", "finding", "result")
    for name, message in marked.items():
        form[name].errors = [*form[name].errors, message]
    return ok and not marked


@bp.route("/acties/nieuw", methods=["GET", "POST"])
@requires(EDIT)
def action_new():
    year = chosen_year("values")
    form = ActionForm(request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not _action_form_valid(form):
            return render_template("report/action.html", form=form, year=year, action=None), 422
        with atomic():
            action = SafetyAction.create(
                school=g.school.id, school_year=year, created_by=current_user.id, **_action_values(form)
            )
            audit("reports.action.add", detail=f"{year} {action.id}")
        flash("De actie is opgeslagen.")
        return redirect(url_for("reports.report_index", jaar=year) + "#acties")
    return render_template("report/action.html", form=form, year=year, action=None)


@bp.route("/acties/<int:safety_action_id>", methods=["GET", "POST"])
@requires(EDIT)
def action_edit(safety_action_id):
    action = _action_or_404(safety_action_id)
    if request.method == "POST":
        form = ActionForm(request.form)
        if not _action_form_valid(form):
            return render_template(
                "report/action.html", form=form, year=action.school_year, action=action
            ), 422
        with atomic():
            SafetyAction.update(**_action_values(form), updated_at=utcnow()).where(
                SafetyAction.id == action.id
            ).execute()
            audit("reports.action.edit", detail=f"{action.school_year} {action.id} {form.status.data}")
        flash("De actie is opgeslagen.")
        return redirect(url_for("reports.report_index", jaar=action.school_year) + "#acties")
    return render_template(
        "report/action.html", form=ActionForm(obj=action), year=action.school_year, action=action
    )


# ------------------------------------------------------- discussion, PDF, exports ----


@bp.route("/bespreking", methods=["POST"])
@requires(EDIT)
def review_save():
    year = chosen_year("form")
    form = ReviewForm(request.form)
    if not form.validate():
        context = _school_context(year)
        return render_template(
            "report/index.html",
            **context,
            versions=[],
            may_edit=True,
            may_board=False,
            review_form=form,
            tables=tables.SCHOOL_TABLES,
        ), 422
    with atomic():
        values = {"mr_on": form.mr_on.data, "cluster_on": form.cluster_on.data}
        found = ReportReview.get_or_none(
            (ReportReview.school == g.school.id) & (ReportReview.school_year == year)
        )
        if found is None:
            ReportReview.create(
                school=g.school.id,
                school_year=year,
                updated_by=current_user.id,
                updated_at=utcnow(),
                **values,
            )
        else:
            ReportReview.update(updated_by=current_user.id, updated_at=utcnow(), **values).where(
                ReportReview.id == found.id
            ).execute()
        audit(
            "reports.review", detail=f"{year} mr={values['mr_on'] or ''} cluster={values['cluster_on'] or ''}"
        )
    flash("De data van de bespreking zijn opgeslagen.")
    return redirect(url_for("reports.report_index", jaar=year) + "#bespreking")


@bp.route("/pdf", methods=["POST"])
@requires(EDIT)
def make_pdf():
    year = chosen_year("form")
    pdf = report_pdf("letters/report.html", g.school, **_school_context(year), board=None)
    row = archive(g.school, year, pdf, current_user, f"jaarverslag-veiligheid-{g.school.slug}")
    flash(f"Versie {row.version} van het jaarverslag is gemaakt.")
    return redirect(url_for("reports.report_index", jaar=year) + "#versies")


@bp.route("/versies/<int:doc_id>")
@requires(VIEW)
def download(doc_id):
    doc = ReportDocument.get_or_none((ReportDocument.id == doc_id) & (ReportDocument.school == g.school.id))
    if doc is None:
        abort(404)
    audit_view("reports.pdf.download", detail=f"{doc.school_year} v{doc.version}")
    return pdf_download(bytes(doc.content), doc.filename)


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export(sheet, headers, rows, fmt, stem):
    import io

    data = exports.to_csv(headers, rows) if fmt == "csv" else exports.to_xlsx(sheet, headers, rows)
    response = send_file(
        io.BytesIO(data), mimetype=FORMATS[fmt], as_attachment=True, download_name=f"{stem}.{fmt}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/export/<name>.<fmt>")
@requires(VIEW)
def export(name, fmt):
    if name not in tables.SCHOOL_TABLES or fmt not in FORMATS:
        abort(404)
    year = chosen_year()
    if name == "cijfers":
        table = tables.figures_table(yearly.figures(g.school, year, current_user), year)
    elif name == "monitor":
        table = tables.monitor_table(yearly.monitor_results(g.school, year), year)
    else:
        table = tables.actions_table(yearly.actions(g.school, year), year)
    audit("reports.export", detail=f"{g.school.slug} {year} {name}.{fmt}")
    return _export(*table, fmt, f"{name}-{g.school.slug}-{year}-{year + 1}")


# ------------------------------------------------------------------ bestuur ----


def _board_or_404():
    # The version across schools is for a bestuur role held for the whole board; to anyone
    # else it does not exist (404, as another school's object is).
    if not (has_permission(current_user, g.school, BOARD) and board_wide(current_user)):
        abort(404)


@bp.route("/bestuur")
@requires(VIEW)
def board():
    _board_or_404()
    year = chosen_year()
    result = board_report(year, current_user)
    versions = list(
        ReportDocument.select(ReportDocument.id, ReportDocument.version, ReportDocument.created_at)
        .where(ReportDocument.school.is_null() & (ReportDocument.school_year == year))
        .order_by(ReportDocument.version.desc())
    )
    audit_view("reports.board.view", detail=str(year))
    return render_template(
        "report/board.html",
        board=result,
        year=year,
        year_label=yearly.year_label,
        versions=versions,
        tables=tables.BOARD_TABLES,
    )


@bp.route("/bestuur/pdf", methods=["POST"])
@requires(VIEW)
def board_pdf():
    _board_or_404()
    year = chosen_year("form")
    result = board_report(year, current_user)
    pdf = report_pdf(
        "letters/report_board.html", g.school, board=result, year=year, year_label=yearly.year_label
    )
    row = archive(None, year, pdf, current_user, "jaarverslag-veiligheid-alle-scholen")
    flash(f"Versie {row.version} van het jaarverslag over alle scholen is gemaakt.")
    return redirect(url_for("reports.board", jaar=year) + "#versies")


@bp.route("/bestuur/versies/<int:doc_id>")
@requires(VIEW)
def board_download(doc_id):
    _board_or_404()
    doc = ReportDocument.get_or_none((ReportDocument.id == doc_id) & ReportDocument.school.is_null())
    if doc is None:
        abort(404)
    audit_view("reports.board.download", detail=f"{doc.school_year} v{doc.version}")
    return pdf_download(bytes(doc.content), doc.filename)


@bp.route("/bestuur/export/<name>.<fmt>")
@requires(VIEW)
def board_export(name, fmt):
    _board_or_404()
    if name not in tables.BOARD_TABLES or fmt not in FORMATS:
        abort(404)
    year = chosen_year()
    result = board_report(year, current_user)
    table = tables.schools_table(result) if name == "scholen" else tables.figures_table(result.figures, year)
    audit("reports.board.export", detail=f"{year} {name}.{fmt}")
    return _export(*table, fmt, f"{name}-alle-scholen-{year}-{year + 1}")
