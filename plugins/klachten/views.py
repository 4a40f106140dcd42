"""Pages of the klachten plugin, mounted at /<school>/klachten/.

Public (no account): the complaint form, the receipt, the follow-up page. The
follow-up code only ever travels in POST bodies, never in a URL, and every
page that shows it is sent with Cache-Control: no-store. Staff pages: the link
to the case list and linking the staff member a complaint is about.
"""

import io
import secrets

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

from portal import documents
from portal import throttle
from portal.access import public
from portal.access import requires
from portal.audit import audit
from portal.cases.visibility import get_visible
from portal.db import atomic
from portal.models import CaseDocument
from portal.models import CaseEvent
from portal.models import User
from portal.registry import get_registry
from portal.settings import get_setting

from . import codes
from . import sensitive
from . import submission
from .choices import CATEGORIES
from .choices import TYPE_NAME
from .choices import label
from .forms import AddInfoForm
from .forms import ComplaintForm
from .forms import FollowForm
from .models import Klacht
from .summary import staff_of

bp = Blueprint("klachten", __name__, template_folder="templates")

SUBMIT_KIND = submission.SUBMIT_KIND
FOLLOW_KIND = "klachten.volgen"
# Letters addressed to the parent, which they may download from the follow-up page.
PARENT_LETTERS = ("klachten.ontvangstbevestiging", "klachten.afsluitbrief")
NOT_FOUND = ("Wij vinden geen klacht bij deze combinatie van referentie en code. Controleer "
             "beide en probeer het opnieuw.")


def _address():
    return f"ip:{request.remote_addr}"


def _form_page(form, status=200, notice=None):
    return render_template(
        "klachten/indienen.html", form=form, notice=notice,
        vertrouwenspersoon=get_setting(g.school, "klachten.vertrouwenspersoon"),
    ), status


# ---------------------------------------------------------------- submit ----

@bp.route("/indienen", methods=["GET", "POST"])
@public
def indienen():
    g.no_store = True
    if request.method == "GET":
        return _form_page(ComplaintForm(data={"form_token": secrets.token_urlsafe(24)}))
    form = ComplaintForm(request.form)
    if form.website.data:
        # Honeypot filled: most likely a bot. A person whose browser filled it in
        # loses nothing: the form comes back with everything typed, the field empty.
        audit(SUBMIT_KIND, outcome="honeypot", school=g.school)
        throttle.record_failure(SUBMIT_KIND, [_address()])
        form.website.data = ""
        return _form_page(form, 422, "Controleer het formulier en verstuur het nog een keer.")
    if not form.validate():
        return _form_page(form, 422, "Niet alles is goed ingevuld. Bekijk de meldingen bij de velden.")
    wait = throttle.wait_seconds(SUBMIT_KIND, [_address()])
    if wait:
        audit(SUBMIT_KIND, outcome="throttled", school=g.school)
        minutes = max(1, round(wait / 60))
        return _form_page(form, 429, (
            f"Vanaf dit adres zijn kort na elkaar veel klachten verstuurd. Wacht ongeveer "
            f"{minutes} minuut{'' if minutes == 1 else 'en'} en verstuur het formulier dan "
            "opnieuw; wat u schreef blijft staan."))
    # Every submission counts towards the per-address limit (not just failures), in the
    # complaint's own transaction.
    case, code = submission.submit(g.school, form.data, form.form_token.data,
                                   throttle_keys=[_address()])
    return render_template("klachten/ontvangen.html", case=case,
                           code=codes.grouped(code) if code else None)


# -------------------------------------------------------------- follow-up ----

def _verified_post():
    """Every follow-up POST starts here: (form, case, None) when reference and code match,
    else (form, None, the page to answer with). The code is checked again on every POST."""
    g.no_store = True
    form = FollowForm(request.form)
    if not form.validate():
        return form, None, _follow_page(form, 422)
    case, refused = _verify(form)
    return form, case, refused


def _verify(form):
    """(case, None) when reference and code match; else (None, (page, status))."""
    reference = (form.reference.data or "").strip().upper()[:40]
    keys = [_address(), f"ref:{g.school.slug}:{reference}"]
    wait = throttle.wait_seconds(FOLLOW_KIND, keys)
    if wait:
        audit(FOLLOW_KIND, outcome="throttled", school=g.school)
        form.code.errors = [f"U heeft te vaak geprobeerd. Probeer het over {wait} seconden opnieuw."]
        return None, _follow_page(form, 429)
    case = submission.find(g.school, reference, form.code.data)
    if case is None:
        throttle.record_failure(FOLLOW_KIND, keys)
        audit(FOLLOW_KIND, outcome="denied", school=g.school)
        form.code.errors = [NOT_FOUND]
        return None, _follow_page(form, 200)
    return case, None


def _follow_page(form, status=200):
    form.code.data = ""  # never echo the code back
    return render_template("klachten/volgen.html", form=form), status


def _status_page(case, code, add_form=None, status=200, notice=None, notice_error=False):
    ct = get_registry().case_types[TYPE_NAME]
    state = ct.state(case.state)
    # Messages both ways, plus the bare state changes (date and new state, never the
    # transition's form data, which is internal).
    events = list(
        CaseEvent.select().where(
            (CaseEvent.case == case.id)
            & ((CaseEvent.visible_to_submitter == True)  # noqa: E712
               | (CaseEvent.kind == "transition")))
        .order_by(CaseEvent.at, CaseEvent.id))
    letters = list(
        CaseDocument.select(CaseDocument.id, CaseDocument.label, CaseDocument.version,
                            CaseDocument.created_at)
        .where((CaseDocument.case == case.id) & CaseDocument.name.in_(PARENT_LETTERS))
        .order_by(CaseDocument.created_at))
    klacht = Klacht.get(Klacht.case == case.id)
    return render_template(
        "klachten/status.html", case=case, ct=ct, state=state, events=events, letters=letters,
        category=label(CATEGORIES, klacht.category), code=codes.grouped(code),
        add_form=add_form or AddInfoForm(), notice=notice, notice_error=notice_error,
    ), status


@bp.route("/volgen", methods=["GET", "POST"])
@public
def volgen():
    g.no_store = True
    form = FollowForm(request.form if request.method == "POST" else None)
    if request.method == "GET":
        return _follow_page(form)
    if not form.validate():
        return _follow_page(form, 422)
    case, refused = _verify(form)
    if refused:
        return refused
    audit(FOLLOW_KIND, case=case, school=g.school)
    return _status_page(case, form.code.data)


@bp.route("/volgen/aanvullen", methods=["POST"])
@public
def aanvullen():
    form, case, refused = _verified_post()
    if refused:
        return refused
    if case.closed_at is not None:
        return _status_page(case, form.code.data, status=422, notice_error=True, notice=(
            "Deze klacht is afgerond; u kunt niets meer toevoegen. Neem contact op met de school."))
    add_form = AddInfoForm(request.form)
    if not add_form.validate():
        return _status_page(case, form.code.data, add_form, 422)
    submission.add_information(case, add_form.text.data)
    return _status_page(case, form.code.data,
                        notice="Dank u wel. Uw aanvulling is toegevoegd aan uw klacht.")


def _pdf(data, filename):
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                         download_name=filename)
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/ontvangstbewijs", methods=["POST"])
@public
def ontvangstbewijs():
    """The PDF receipt, with the code in it: from a POST that carries reference and code."""
    form, case, refused = _verified_post()
    if refused:
        return refused
    klacht = Klacht.get(Klacht.case == case.id)
    html = documents.render_letter(
        "klachten/letters/ontvangstbewijs.html", g.school, case=case, klacht=klacht,
        category=label(CATEGORIES, klacht.category), code=codes.grouped(form.code.data),
        follow_url=url_for("klachten.volgen", _external=True))
    audit("klachten.ontvangstbewijs", case=case, school=g.school)
    return _pdf(documents.html_to_pdf(html), f"ontvangstbewijs-{case.reference}.pdf")


@bp.route("/volgen/brief", methods=["POST"])
@public
def brief():
    """A letter the school made for the parent (ontvangstbevestiging, afsluitbrief)."""
    form, case, refused = _verified_post()
    if refused:
        return refused
    doc_id = request.form.get("document", type=int) or 0
    doc = CaseDocument.get_or_none(
        (CaseDocument.id == doc_id) & (CaseDocument.case == case.id)
        & CaseDocument.name.in_(PARENT_LETTERS))
    if doc is None:
        abort(404)
    audit("klachten.brief", case=case, school=g.school, detail=f"{doc.name} v{doc.version}")
    return _pdf(bytes(doc.content), doc.filename)


# ------------------------------------------------------------------ staff ----

@bp.route("/")
@requires("klachten.view")
def overzicht():
    return redirect(url_for("cases.index", soort=TYPE_NAME))


@bp.route("/<reference>/medewerker", methods=["POST"])
@requires("klachten.handle")
def medewerker(reference):
    """Link the staff member the complaint is about; that account is then excluded."""
    case = get_visible(g.school, reference, current_user)
    if case is None or case.case_type != TYPE_NAME:
        abort(404)
    allowed = {str(u.id): u for u in staff_of(g.school)}
    staff = allowed.get(request.form.get("staff", ""))
    if staff is None:
        flash("Kies de medewerker over wie de klacht gaat.", "error")
        return redirect(url_for("cases.detail", reference=case.reference))
    with atomic():
        sensitive.link_staff(case, User.get_by_id(staff.id), current_user,
                             sexual=bool(request.form.get("sexual")))
    audit("klachten.medewerker", case=case, detail=f"excluded user {staff.id}")
    if staff.id == current_user.id:
        flash("U bent gekoppeld als betrokken medewerker en ziet deze klacht niet meer.")
        return redirect(url_for("cases.index"))
    flash(f"{staff.name} is gekoppeld en ziet deze klacht niet.")
    return redirect(url_for("cases.detail", reference=case.reference))
