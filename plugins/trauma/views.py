"""Pages of the trauma plugin the core does not have, mounted at /<school>/trauma/.

The report form is the core's start page and the case itself (assessment,
checklist, letters, closing) lives on the core's case page; these are the
school's step plan and letter text and the text for the parents of one case;
the old addresses of the school's external partners lead to the core's pages.
"""

import re
from urllib.parse import quote

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

from .choices import DEFAULT_STEPS
from .details import DEFAULT_LETTER
from .details import LETTER_SETTING
from .details import PLACEHOLDERS
from .forms import ParentInfoForm
from .forms import PlanForm
from .models import TraumaEvent
from .models import TraumaStep
from .workflow import TYPE_NAME
from .workflow import PlanStep
from .workflow import plan_for

bp = Blueprint("trauma", __name__, template_folder="templates")

# How many empty rows the step plan page offers for new steps.
NEW_STEP_ROWS = 3


# -------------------------------------------------------- text for the parents ----


@bp.route("/zaak/<reference>/ouders", methods=["GET", "POST"])
@api.requires("trauma.handle")
def parent_info(reference):
    case = api.visible_case(reference, TYPE_NAME)
    if case.closed_at is not None:
        abort(404)
    ev = api.detail_of(case)
    form = ParentInfoForm(
        request.form if request.method == "POST" else None, data={"parent_info": ev.parent_info}
    )
    if request.method == "POST" and form.validate():
        with api.atomic():
            TraumaEvent.update(parent_info=api.clean(form.parent_info)).where(
                TraumaEvent.id == ev.id
            ).execute()
            api.add_event(case, "note", current_user, "Tekst voor de ouders aangepast.")
        api.audit("trauma.parent_info", case=case)
        flash("De tekst voor de ouders is opgeslagen.")
        return redirect(url_for("cases.detail", reference=case.reference))
    api.audit("case.view", case=case, detail="trauma.parent_info")
    return render_template("trauma/parent_info.html", form=form, case=case), (422 if form.errors else 200)


# --------------------------------------------------------------- step plan ----


@bp.route("/stappenplan", methods=["GET", "POST"])
@api.requires("trauma.plan")
def plan():
    if request.method == "POST":
        form = PlanForm(request.form)
        if form.validate():
            new_steps = _steps_from(form)
            if not new_steps:
                flash("Een stappenplan heeft minstens één stap.", "error")
            else:
                _save_plan(g.school, new_steps)
                api.set_setting(g.school, LETTER_SETTING, form.letter.data)
                api.audit("trauma.plan", detail=f"{len(new_steps)} stappen")
                flash("Het stappenplan is opgeslagen. Lopende zaken houden hun eigen stappen.")
                return redirect(url_for("trauma.plan"))
        return render_template("trauma/plan.html", form=form, placeholders=PLACEHOLDERS), 422
    rows = [s._asdict() for s in plan_for(g.school)]
    rows += [{"key": "", "label": "", "due_days": None, "required": False}] * NEW_STEP_ROWS
    form = PlanForm(
        data={"steps": rows, "letter": api.get_setting(g.school, LETTER_SETTING) or DEFAULT_LETTER}
    )
    return render_template("trauma/plan.html", form=form, placeholders=PLACEHOLDERS)


def _steps_from(form):
    """The submitted rows as PlanSteps: removed and empty rows dropped, keys kept stable."""
    known = {s.key for s in plan_for(g.school)} | {s[0] for s in DEFAULT_STEPS}
    out, taken = [], set()
    for entry in form.steps:
        row = entry.form
        text = api.clean(row.label)
        if row.remove.data or not text:
            continue
        # A key comes back from a hidden field: accept only keys this school knows.
        key = row.key.data if row.key.data in known and row.key.data not in taken else ""
        key = key or _new_key(text, taken | known)
        taken.add(key)
        out.append(PlanStep(key, text, row.due_days.data, bool(row.required.data)))
    return out


def _new_key(label, taken):
    """A stable key for a step the school added: derived from the label, unique."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30] or "stap"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _save_plan(school, steps):
    """Replace the school's step plan by ``steps`` (PlanSteps); running cases keep theirs."""
    with api.atomic():
        TraumaStep.delete().where(TraumaStep.school == school.id).execute()
        for pos, s in enumerate(steps):
            TraumaStep.create(
                school=school.id,
                key=s.key,
                label=s.label,
                due_days=s.due_days,
                required=s.required,
                position=pos,
            )


# ----------------------------------------------------------------- partners ----


@bp.route("/partners", defaults={"rest": ""}, methods=["GET", "POST"])
@bp.route("/partners/<path:rest>", methods=["GET", "POST"])
@api.requires("portal.partner_list")
def partners(rest):
    """The school's partners are the core's now, at the same paths under /<school>/partners/
    (ids kept by the move): a 308 keeps a bookmark and a form posted from an old page
    working (the core's page checks the token and the permission again)."""
    return redirect(url_for("partners.index") + quote(rest), code=308)
