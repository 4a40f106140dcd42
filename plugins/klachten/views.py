"""Pages of the klachten plugin the core does not have, mounted at /<school>/klachten/.

Public (no account): the complaint form, the receipt, the follow-up page. The
follow-up code only ever travels in POST bodies, never in a URL, and every
page that shows it is sent with Cache-Control: no-store. Staff pages: the link
to the case list and linking the staff member a complaint is about.
"""

import secrets

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
from portal.api import CaseDocument
from portal.api import CaseEvent

from . import codes
from . import sensitive
from .choices import CATEGORIES
from .choices import TYPE_NAME
from .choices import label
from .forms import AddInfoForm
from .forms import ComplaintForm
from .forms import FollowForm
from .workflow import SUBMIT_KIND
from .workflow import notify_staff
from .workflow import submit

bp = Blueprint("klachten", __name__, template_folder="templates")

FOLLOW_KIND = "klachten.volgen"
# Letters addressed to the parent, which they may download from the follow-up page.
PARENT_LETTERS = ("klachten.ontvangstbevestiging", "klachten.afsluitbrief")
NOT_FOUND = ("Wij vinden geen klacht bij deze combinatie van referentie en code. Controleer "
             "beide en probeer het opnieuw.")


def _address():
    return f"ip:{request.remote_addr}"


def _form_page(form, status=200, notice=None):
    return render_template(
        "klachten/indienen.html", form=form, notice=notice, start=api.case_type(TYPE_NAME).start,
        vertrouwenspersoon=api.get_setting(g.school, "klachten.vertrouwenspersoon"),
    ), status


# ---------------------------------------------------------------- submit ----

@bp.route("/indienen", methods=["GET", "POST"])
@api.public
def indienen():
    """The parents' form (the type's public ``Start``): honeypot, throttle, one-time token."""
    g.no_store = True
    if request.method == "GET":
        return _form_page(ComplaintForm(data={"form_token": secrets.token_urlsafe(24)}))
    form = ComplaintForm(request.form)
    if form.website.data:
        # Honeypot filled: most likely a bot. A person whose browser filled it in
        # loses nothing: the form comes back with everything typed, the field empty.
        api.audit(SUBMIT_KIND, outcome="honeypot", school=g.school)
        api.throttle_record(SUBMIT_KIND, [_address()])
        form.website.data = ""
        return _form_page(form, 422, "Controleer het formulier en verstuur het nog een keer.")
    if not form.validate():
        return _form_page(form, 422, "Niet alles is goed ingevuld. Bekijk de meldingen bij de velden.")
    wait = api.throttle_wait(SUBMIT_KIND, [_address()])
    if wait:
        api.audit(SUBMIT_KIND, outcome="throttled", school=g.school)
        minutes = max(1, round(wait / 60))
        return _form_page(form, 429, (
            f"Vanaf dit adres zijn kort na elkaar veel klachten verstuurd. Wacht ongeveer "
            f"{minutes} minuut{'' if minutes == 1 else 'en'} en verstuur het formulier dan "
            "opnieuw; wat u schreef blijft staan."))
    case, code = submit(g.school, form, throttle_keys=[_address()])
    return render_template("klachten/ontvangen.html", case=case,
                           code=codes.grouped(code) if code else None)


# -------------------------------------------------------------- follow-up ----

def _verified_post():
    """Every follow-up POST starts here: (form, case, None) when reference and code match,
    else (form, None, the page to answer with). The code is checked again on every POST, and
    every failure gets the same answer."""
    g.no_store = True
    form = FollowForm(request.form)
    if not form.validate():
        return form, None, _follow_page(form, 422)
    reference = api.clean(form.reference).upper()[:40]
    keys = [_address(), f"ref:{g.school.slug}:{reference}"]
    wait = api.throttle_wait(FOLLOW_KIND, keys)
    if wait:
        api.audit(FOLLOW_KIND, outcome="throttled", school=g.school)
        form.code.errors = [f"U heeft te vaak geprobeerd. Probeer het over {wait} seconden opnieuw."]
        return form, None, _follow_page(form, 429)
    case = api.Case.get_or_none((api.Case.school == g.school.id) & (api.Case.reference == reference)
                                & (api.Case.case_type == TYPE_NAME))
    # Always compare, also without a case, so a missing reference is not faster.
    if not codes.matches(form.code.data, case.access_code_hash if case is not None else ""):
        api.throttle_record(FOLLOW_KIND, keys)
        api.audit(FOLLOW_KIND, outcome="denied", school=g.school)
        form.code.errors = [NOT_FOUND]
        return form, None, _follow_page(form)
    case.school = g.school
    return form, case, None


def _follow_page(form, status=200):
    form.code.data = ""  # never echo the code back
    return render_template("klachten/volgen.html", form=form), status


def _status_page(case, code, add_form=None, status=200, notice=None, notice_error=False):
    ct = api.case_type(TYPE_NAME)
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
    return render_template(
        "klachten/status.html", case=case, ct=ct, state=ct.state(case.state), events=events,
        letters=letters, category=label(CATEGORIES, api.detail_of(case, ct).category),
        code=codes.grouped(code), add_form=add_form or AddInfoForm(), notice=notice,
        notice_error=notice_error,
    ), status


@bp.route("/volgen", methods=["GET", "POST"])
@api.public
def volgen():
    g.no_store = True
    if request.method == "GET":
        return _follow_page(FollowForm())
    form, case, refused = _verified_post()
    if refused:
        return refused
    api.audit(FOLLOW_KIND, case=case, school=g.school)
    return _status_page(case, form.code.data)


@bp.route("/volgen/aanvullen", methods=["POST"])
@api.public
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
    with api.atomic():
        api.add_event(case, "submitter", None, add_form.text.data, visible_to_submitter=True,
                      actor="Indiener")
        notify_staff(case, f"Aanvulling op klacht {case.reference}",
                     f"De indiener heeft informatie toegevoegd aan klacht {case.reference}.\n"
                     "Log in op het Veiligheidsportaal om die te lezen.")
    api.audit("klachten.aanvulling", case=case)
    return _status_page(case, form.code.data,
                        notice="Dank u wel. Uw aanvulling is toegevoegd aan uw klacht.")


@bp.route("/ontvangstbewijs", methods=["POST"])
@api.public
def ontvangstbewijs():
    """The PDF receipt, with the code in it: from a POST that carries reference and code."""
    form, case, refused = _verified_post()
    if refused:
        return refused
    klacht = api.detail_of(case)
    html = api.render_letter(
        "klachten/letters/ontvangstbewijs.html", g.school, case=case, klacht=klacht,
        category=label(CATEGORIES, klacht.category), code=codes.grouped(form.code.data),
        follow_url=url_for("klachten.volgen", _external=True))
    api.audit("klachten.ontvangstbewijs", case=case, school=g.school)
    return api.pdf_download(api.html_to_pdf(html), f"ontvangstbewijs-{case.reference}.pdf")


@bp.route("/volgen/brief", methods=["POST"])
@api.public
def brief():
    """A letter the school made for the parent (ontvangstbevestiging, afsluitbrief)."""
    form, case, refused = _verified_post()
    if refused:
        return refused
    doc = CaseDocument.get_or_none(
        (CaseDocument.id == (request.form.get("document", type=int) or 0))
        & (CaseDocument.case == case.id) & CaseDocument.name.in_(PARENT_LETTERS))
    if doc is None:
        abort(404)
    api.audit("klachten.brief", case=case, school=g.school, detail=f"{doc.name} v{doc.version}")
    return api.pdf_download(bytes(doc.content), doc.filename)


# ------------------------------------------------------------------ staff ----

@bp.route("/")
@api.requires("klachten.view")
def overzicht():
    return redirect(url_for("cases.index", soort=TYPE_NAME))


@bp.route("/<reference>/medewerker", methods=["POST"])
@api.requires("klachten.handle")
def medewerker(reference):
    """Link the staff member the complaint is about; that account is then excluded."""
    case = api.get_visible(g.school, reference, current_user)
    if case is None or case.case_type != TYPE_NAME:
        abort(404)
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
