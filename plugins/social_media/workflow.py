"""The permission request as a case: "social_media.aanvraag".

A teacher asks (views.request_form creates the case), the directie approves or
declines with a reason. An approval for a date or a period needs no later step:
whether it is in force is computed from its dates whenever it is read. A
structural approval puts the site on the school's allowed list, which does not
depend on the case (a closed case is purged after its retention period; the
list must outlive it). The directie can withdraw an approval early.
"""

from flask import has_request_context
from flask import url_for
from wtforms import BooleanField
from wtforms import Form
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from portal import mail
from portal.dates import today
from portal.declarations import CaseType
from portal.declarations import State
from portal.declarations import Transition
from portal.forms import no_nul
from portal.models import utcnow

from .models import KINDS
from .models import AllowedApp
from .models import AppRequest
from .models import groups_text
from .models import period_text

TYPE_NAME = "social_media.aanvraag"


class ApproveForm(Form):
    add_to_list = BooleanField(
        "Ook op de lijst met toegestane apps zetten (dan mag iedereen het gebruiken, zonder "
        "einddatum). Bij een structurele aanvraag gebeurt dit altijd.")
    remark = TextAreaField("Toelichting voor de leerkracht (niet verplicht)",
                           validators=[Length(max=2000), no_nul])


class DeclineForm(Form):
    reason = TextAreaField("Reden van afwijzing", validators=[
        DataRequired("Schrijf op waarom de aanvraag wordt afgewezen."), Length(max=2000), no_nul])


class WithdrawForm(Form):
    reason = TextAreaField("Reden van intrekken", validators=[
        DataRequired("Schrijf op waarom de toestemming wordt ingetrokken."), Length(max=2000),
        no_nul])


def detail_of(case):
    return AppRequest.get(AppRequest.case == case.id)


def _case_link(case):
    if not has_request_context():
        return ""
    return url_for("cases.detail", school=case.school.slug, reference=case.reference,
                   _external=True)


def _tell_requester(case, req, subject, lines):
    """Mail the teacher who asked. Only the site, the group and the decision: no pupil data."""
    requester = req.requested_by
    if requester is None or not requester.email:
        return
    link = _case_link(case)
    body = "\n".join([*lines, "", f"Bekijk de aanvraag: {link}" if link else "",
                      "", "Dit bericht is automatisch verstuurd door het Veiligheidsportaal."])
    mail.queue(requester.email, subject, body, school=case.school)


# -------------------------------------------------------------- guards ----

def not_past(case, form, user):
    req = detail_of(case)
    if req.end_date is not None and req.end_date < today():
        return ("De gevraagde datum of periode is al voorbij. Wijs de aanvraag af; de "
                "leerkracht kan een nieuwe aanvraag doen.")
    return None


# --------------------------------------------------------------- apply ----

def _record_decision(case, user, decision, reason):
    """Write the directie's decision on the request row; return the row."""
    req = detail_of(case)
    req.decision = decision
    req.decided_at = utcnow()
    req.decided_by = user.name
    req.reason = reason
    req.save()
    return req


def approve(case, form, user):
    req = _record_decision(case, user, "goedgekeurd", form.remark.data or "")
    text = ""
    if form.add_to_list.data or req.kind == "structureel":
        added = add_to_allowed_list(case, req, user)
        text = ("Op de lijst met toegestane apps gezet." if added
                else "Stond al op de lijst met toegestane apps.")
    lines = [
        f"Uw aanvraag {case.reference} is goedgekeurd door {user.name}.",
        f"U mag {req.label} ({req.domain}) gebruiken in {groups_text(req.groups)}, "
        f"{period_text(req)}.",
    ]
    if text:
        lines.append(text)
    if req.reason:
        lines += ["", "Toelichting:", req.reason]
    _tell_requester(case, req, f"Goedgekeurd: {req.label} ({case.reference})", lines)
    return text


def decline(case, form, user):
    req = _record_decision(case, user, "afgewezen", form.reason.data)
    _tell_requester(case, req, f"Afgewezen: {req.label} ({case.reference})", [
        f"Uw aanvraag {case.reference} om {req.label} ({req.domain}) te gebruiken in "
        f"{groups_text(req.groups)} is afgewezen door {user.name}.",
        "", "Reden:", req.reason,
    ])
    return None


def withdraw(case, form, user):
    req = _record_decision(case, user, "ingetrokken", form.reason.data)
    # An entry this request put on the allowed list goes with it; entries the
    # directie added by hand (or through another request) stay.
    removed = AllowedApp.delete().where(
        (AllowedApp.school == req.school_id) & (AllowedApp.source_case == case.id)).execute()
    _tell_requester(case, req, f"Ingetrokken: {req.label} ({case.reference})", [
        f"De toestemming {case.reference} voor {req.label} ({req.domain}) in "
        f"{groups_text(req.groups)} is ingetrokken door {user.name}.",
        "", "Reden:", req.reason,
    ])
    return "Van de lijst met toegestane apps gehaald." if removed else None


def add_to_allowed_list(case, req, user):
    """Put the requested site on the allowed list; False when it was there already."""
    exists = AllowedApp.select().where(
        (AllowedApp.school == req.school_id) & (AllowedApp.domain == req.domain)).exists()
    if exists:
        return False
    AllowedApp.create(
        school=req.school_id, name=req.label[:120], domain=req.domain, address=req.address,
        purpose=req.purpose[:500], since=max(req.start_date, today()), approved_by=user.name,
        source_case=case.id,
    )
    return True


# ---------------------------------------------------------- case type ----

def summary_context(case):
    req = detail_of(case)
    day = today()
    return {"req": req, "kinds": KINDS, "in_force": req.in_force(day), "ended": req.ended(day),
            "groups": groups_text(req.groups), "period": period_text(req)}


CASE_TYPE = CaseType(
    name=TYPE_NAME,
    title="Aanvraag social media of app",
    prefix="SM",
    states=(
        State("aangevraagd", "Aangevraagd"),
        State("goedgekeurd", "Goedgekeurd", closed=True),
        State("afgewezen", "Afgewezen", closed=True),
        State("ingetrokken", "Ingetrokken", closed=True),
    ),
    initial="aangevraagd",
    transitions=(
        Transition("social_media.goedkeuren", "Goedkeuren", ("aangevraagd",), "goedgekeurd",
                   "social_media.decide", form=ApproveForm, guard=not_past, apply=approve,
                   order=10),
        Transition("social_media.afwijzen", "Afwijzen", ("aangevraagd",), "afgewezen",
                   "social_media.decide", form=DeclineForm, apply=decline, order=20),
        Transition("social_media.intrekken", "Toestemming intrekken", ("goedgekeurd",),
                   "ingetrokken", "social_media.decide", form=WithdrawForm, apply=withdraw,
                   order=30),
    ),
    view_permission="social_media.view",
    handle_permission="social_media.decide",
    # A period is at most one year (views.RequestForm), so two years keeps every
    # approval on record for as long as it can be in force, plus a school year.
    retention_days=365 * 2,
    confidential_roles=("directie",),
    summary_template="social_media/summary.html",
    summary_context=summary_context,
)
