"""The veiligheidsplan's pages: ``/<school>/veiligheidsplan/``.

The plan as it stands (every section with the school's own text and what the portal fills
in live), editing a section's text, making a version as PDF with "vastgesteld door de
directie op" and "instemming MR op", and what changed since the last adopted version.
Reading is for all staff (``portal.plan_view``); changing is the directie's (``portal.plan``).
"""

import hashlib

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from ..access import has_permission
from ..access import requires
from ..audit import audit
from ..audit import audit_view
from ..db import atomic
from ..documents import html_to_pdf
from ..documents import pdf_download
from ..documents import render_letter
from ..documents import safe_filename
from ..models import PlanText
from ..models import PlanVersion
from ..models import utcnow
from . import plan
from .forms import PlanTextForm
from .forms import PlanVersionForm

bp = Blueprint("plan", __name__, url_prefix="/<school>/veiligheidsplan")

VIEW = "portal.plan_view"
EDIT = "portal.plan"


def _versions():
    return list(
        PlanVersion.select(
            PlanVersion.id,
            PlanVersion.version,
            PlanVersion.adopted_on,
            PlanVersion.mr_consent_on,
            PlanVersion.created_at,
        )
        .where(PlanVersion.school == g.school.id)
        .order_by(PlanVersion.version.desc())
    )


def _index(form, status=200):
    found = plan.sections(g.school)
    adopted = plan.last_adopted(g.school)
    changed = plan.changes(adopted.sections, plan.snapshot(found)) if adopted else None
    return render_template(
        "report/plan.html",
        sections=found,
        versions=_versions(),
        adopted=adopted,
        changed=changed,
        form=form,
        may_edit=has_permission(current_user, g.school, EDIT),
    ), status


@bp.route("/")
@requires(VIEW)
def index():
    audit_view("plan.view")
    return _index(PlanVersionForm())


def _number_or_404(number):
    found = plan.section(g.school, number)
    if found is None:
        abort(404)
    return found


@bp.route("/sectie/<number>", methods=["GET", "POST"])
@requires(EDIT)
def edit(number):
    found = _number_or_404(number)
    if request.method == "GET":
        form = PlanTextForm(data={"text": found.text})
        return render_template("report/plan_edit.html", form=form, section=found)
    form = PlanTextForm(request.form)
    if not form.validate():
        return render_template("report/plan_edit.html", form=form, section=found), 422
    value = form.text.data.strip().replace("\r\n", "\n")
    with atomic():
        if request.form.get("standaard") == "1" or value == found.default.strip():
            PlanText.delete().where((PlanText.school == g.school.id) & (PlanText.number == number)).execute()
        else:
            (
                PlanText.insert(
                    school=g.school.id,
                    number=number,
                    text=value,
                    updated_by=current_user.id,
                    updated_at=utcnow(),
                )
                .on_conflict(
                    conflict_target=[PlanText.school, PlanText.number],
                    update={
                        PlanText.text: value,
                        PlanText.updated_by: current_user.id,
                        PlanText.updated_at: utcnow(),
                    },
                )
                .execute()
            )
        audit("plan.text", detail=number)
    flash(f"De tekst van {number} {found.heading} is opgeslagen.")
    return redirect(url_for("plan.index") + f"#{found.anchor}")


@bp.route("/wijzigingen")
@requires(VIEW)
def changes():
    adopted = plan.last_adopted(g.school)
    found = plan.sections(g.school)
    changed = plan.changes(adopted.sections, plan.snapshot(found)) if adopted else []
    audit_view("plan.changes")
    return render_template("report/plan_changes.html", adopted=adopted, changed=changed)


@bp.route("/versies", methods=["POST"])
@requires(EDIT)
def make_version():
    form = PlanVersionForm(request.form)
    if not form.validate():
        return _index(form, 422)
    found = plan.sections(g.school)
    with atomic():
        last = (
            PlanVersion.select(PlanVersion.version)
            .where(PlanVersion.school == g.school.id)
            .order_by(PlanVersion.version.desc())
            .first()
        )
        version = last.version + 1 if last else 1
        html = render_letter(
            "letters/plan.html",
            g.school,
            sections=found,
            version=version,
            adopted_on=form.adopted_on.data,
            mr_consent_on=form.mr_consent_on.data,
        )
        pdf = html_to_pdf(html)
        PlanVersion.create(
            school=g.school.id,
            version=version,
            adopted_on=form.adopted_on.data,
            mr_consent_on=form.mr_consent_on.data,
            sections=plan.snapshot(found),
            filename=safe_filename(f"veiligheidsplan-{g.school.slug}-v{version}") + ".pdf",
            content=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            created_by=current_user.id,
        )
        audit(
            "plan.version",
            detail=f"v{version} vastgesteld={form.adopted_on.data or ''} mr={form.mr_consent_on.data or ''}",
        )
    flash(f"Versie {version} van het veiligheidsplan is gemaakt.")
    return redirect(url_for("plan.index") + "#versies")


@bp.route("/versies/<int:version_id>")
@requires(VIEW)
def download(version_id):
    found = PlanVersion.get_or_none((PlanVersion.id == version_id) & (PlanVersion.school == g.school.id))
    if found is None:
        abort(404)
    audit_view("plan.download", detail=f"v{found.version}")
    return pdf_download(bytes(found.content), found.filename)
