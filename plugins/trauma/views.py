"""Pages of the trauma plugin, mounted at /<school>/trauma/.

The case itself (assessment, checklist, letters, closing) lives on the core's
case page; these are the pages the core does not have: the report form, the
school's step plan and letter text, the external partners, and the text for
the parents of one case.
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
from portal.dates import today
from portal.db import atomic
from portal.settings import get_setting
from portal.settings import set_setting

from . import steps
from .details import DEFAULT_LETTER
from .details import LETTER_SETTING
from .details import PLACEHOLDERS
from .details import event_of
from .forms import ParentInfoForm
from .forms import PartnerForm
from .forms import PlanForm
from .forms import ReportForm
from .forms import clean
from .models import TraumaEvent
from .models import TraumaPartner
from .vocab import KINDS
from .vocab import PARTNER_KINDS
from .vocab import label
from .workflow import TYPE_NAME

bp = Blueprint("trauma", __name__, template_folder="templates")

# How many empty rows the step plan page offers for new steps.
NEW_STEP_ROWS = 3


# ------------------------------------------------------------------ report ----

@bp.route("/melden", methods=["GET", "POST"])
@requires("trauma.report")
def report():
    form = ReportForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        case = create_report(g.school, current_user, form)
        flash(f"De melding is opgeslagen als {case.reference}. De directie en de intern "
              "begeleider hebben bericht gekregen.")
        return redirect(url_for("cases.detail", reference=case.reference))
    status = 422 if form.errors else 200
    return render_template("trauma/report.html", form=form), status


def create_report(school, user, form):
    """Create the case with its details and its own copy of the step plan; notify."""
    kind = label(KINDS, form.kind.data)
    group = clean(form.group_name)
    title = f"{kind} ({group})" if group else kind
    with atomic():
        # The reporter is the assignee: they make the first assessment (stap 2)
        # and keep seeing the case, which is confidential.
        case = engine.create_case(school, TYPE_NAME, title, user, confidential=True,
                                  assignee=user, text="Traumatische gebeurtenis gemeld.")
        TraumaEvent.create(
            case=case.id, kind=form.kind.data, occurred_on=form.occurred_on.data,
            scope=form.scope.data, group_name=group, pupils=clean(form.pupils),
            reported_by=clean(form.reported_by), description=clean(form.description),
        )
        steps.copy_plan_to_case(case, today())
        # Staff mail names no child and no detail: only that there is a report.
        for person in users_with_permission(school, "trauma.notified"):
            if person.id == user.id:
                continue
            mail.queue(
                person.email, f"Nieuwe melding traumatische gebeurtenis {case.reference}",
                f"{user.name} heeft bij {school.name} een traumatische gebeurtenis gemeld "
                f"({case.reference}).\nLog in op het Veiligheidsportaal om de melding te "
                "bekijken en de eerste inschatting te maken.",
                school=school,
            )
    audit("case.create", case=case, detail=TYPE_NAME)
    return case


def load_case(reference):
    """A trauma case of this school that the user may see, or 404."""
    case = get_visible(g.school, reference, current_user)
    if case is None or case.case_type != TYPE_NAME:
        audit("case.view", outcome="denied", detail=reference[:40])
        abort(404)
    return case


@bp.route("/zaak/<reference>/ouders", methods=["GET", "POST"])
@requires("trauma.handle")
def parent_info(reference):
    case = load_case(reference)
    if case.closed_at is not None:
        abort(404)
    ev = event_of(case)
    form = ParentInfoForm(request.form if request.method == "POST" else None,
                          data={"parent_info": ev.parent_info})
    if request.method == "POST" and form.validate():
        with atomic():
            TraumaEvent.update(parent_info=clean(form.parent_info)).where(
                TraumaEvent.id == ev.id).execute()
            engine.add_event(case, "note", current_user, "Tekst voor de ouders aangepast.")
        audit("trauma.parent_info", case=case)
        flash("De tekst voor de ouders is opgeslagen.")
        return redirect(url_for("cases.detail", reference=case.reference))
    audit("case.view", case=case, detail="trauma.parent_info")
    return render_template("trauma/parent_info.html", form=form, case=case), (
        422 if form.errors else 200)


# --------------------------------------------------------------- step plan ----

def _plan_form(formdata=None):
    plan = steps.plan_for(g.school)
    data = {
        "steps": [{"key": s.key, "label": s.label, "due_days": s.due_days,
                   "required": s.required} for s in plan]
        + [{"key": "", "label": "", "due_days": None, "required": False}] * NEW_STEP_ROWS,
        "letter": get_setting(g.school, LETTER_SETTING) or DEFAULT_LETTER,
    }
    return PlanForm(formdata, data=data)


@bp.route("/stappenplan", methods=["GET", "POST"])
@requires("trauma.plan")
def plan():
    if request.method == "POST":
        form = PlanForm(request.form)
        if form.validate():
            new_steps = _steps_from(form)
            if not new_steps:
                flash("Een stappenplan heeft minstens één stap.", "error")
            else:
                steps.save_plan(g.school, new_steps)
                set_setting(g.school, LETTER_SETTING, form.letter.data)
                audit("trauma.plan", detail=f"{len(new_steps)} stappen")
                flash("Het stappenplan is opgeslagen. Lopende zaken houden hun eigen stappen.")
                return redirect(url_for("trauma.plan"))
        return render_template("trauma/plan.html", form=form, placeholders=PLACEHOLDERS), 422
    return render_template("trauma/plan.html", form=_plan_form(), placeholders=PLACEHOLDERS)


def _steps_from(form):
    """The submitted rows as PlanSteps: removed and empty rows dropped, keys kept stable."""
    known = {s.key for s in steps.plan_for(g.school)} | {s[0] for s in steps.DEFAULT_STEPS}
    out, taken = [], set()
    for entry in form.steps:
        row = entry.form
        text = clean(row.label)
        if row.remove.data or not text:
            continue
        # A key comes back from a hidden field: accept only keys this school knows.
        key = row.key.data if row.key.data in known and row.key.data not in taken else ""
        key = key or steps.new_key(text, taken | known)
        taken.add(key)
        out.append(steps.PlanStep(key, text, row.due_days.data, bool(row.required.data)))
    return out


# ----------------------------------------------------------------- partners ----

def _partner_or_404(partner_id):
    partner = TraumaPartner.get_or_none(
        (TraumaPartner.id == partner_id) & (TraumaPartner.school == g.school.id)
        & TraumaPartner.active)
    if partner is None:
        abort(404)
    return partner


@bp.route("/partners")
@requires("trauma.report")
def partners():
    """Every staff member may look up the contacts; changing them needs trauma.partners."""
    rows = list(TraumaPartner.select().where(
        (TraumaPartner.school == g.school.id) & TraumaPartner.active
    ).order_by(TraumaPartner.kind, TraumaPartner.organisation))
    may_edit = has_permission(current_user, g.school, "trauma.partners")
    return render_template("trauma/partners.html", rows=rows, kinds=dict(PARTNER_KINDS),
                           form=PartnerForm() if may_edit else None, may_edit=may_edit)


@bp.route("/partners/nieuw", methods=["POST"])
@requires("trauma.partners")
def partner_new():
    form = PartnerForm(request.form)
    if not form.validate():
        rows = list(TraumaPartner.select().where(
            (TraumaPartner.school == g.school.id) & TraumaPartner.active
        ).order_by(TraumaPartner.kind, TraumaPartner.organisation))
        return render_template("trauma/partners.html", rows=rows, kinds=dict(PARTNER_KINDS),
                               form=form, may_edit=True), 422
    with atomic():
        partner = TraumaPartner.create(school=g.school.id, **_partner_values(form))
    audit("trauma.partner.new", detail=str(partner.id))
    flash(f"{partner.organisation} is toegevoegd.")
    return redirect(url_for("trauma.partners"))


def _partner_values(form):
    return {
        "organisation": clean(form.organisation), "kind": form.kind.data,
        "contact_person": clean(form.contact_person), "phone": clean(form.phone),
        "email": clean(form.email), "notes": clean(form.notes),
    }


@bp.route("/partners/<int:partner_id>", methods=["GET", "POST"])
@requires("trauma.partners")
def partner_edit(partner_id):
    partner = _partner_or_404(partner_id)
    if request.method == "POST":
        form = PartnerForm(request.form)
        if form.validate():
            with atomic():
                TraumaPartner.update(**_partner_values(form)).where(
                    TraumaPartner.id == partner.id).execute()
            audit("trauma.partner.edit", detail=str(partner.id))
            flash("De gegevens van de partner zijn opgeslagen.")
            return redirect(url_for("trauma.partners"))
        return render_template("trauma/partner_edit.html", form=form, partner=partner), 422
    return render_template("trauma/partner_edit.html", form=PartnerForm(obj=partner),
                           partner=partner)


@bp.route("/partners/<int:partner_id>/verwijderen", methods=["POST"])
@requires("trauma.partners")
def partner_remove(partner_id):
    partner = _partner_or_404(partner_id)
    # Hidden, not deleted: cases that engaged this partner keep their record.
    TraumaPartner.update(active=False).where(TraumaPartner.id == partner.id).execute()
    audit("trauma.partner.remove", detail=str(partner.id))
    flash(f"{partner.organisation} staat niet meer in de lijst.")
    return redirect(url_for("trauma.partners"))
