"""The parents' route of every case type whose ``Start`` is ``public``: the form, the receipt
with the one-time code, the follow-up page (the state, messages both ways, adding
information, the letters meant for the parent) and the PDF receipt. No account is needed.

The pages join the owning plugin's blueprint, as the start pages do (cases/starts.py): at
/<school>/<slug>/<Start.path> (the form), /volgen, /volgen/aanvullen, /volgen/brief and
/ontvangstbewijs, so a school that has not enabled the plugin has none of them
(access.enforce). A plugin declares only its form, texts and templates; its templates
extend the ones in templates/public/, which show no staff menu and nothing of the register.

What protects them:
- The code travels only in POST bodies, never in a URL, and a failed attempt never shows it
  again; every page is sent with Cache-Control: no-store, and every follow-up POST checks
  the code again.
- A wrong reference, a wrong code and a purged case get the same answer (the hash is always
  compared, so it takes as long), and every failure is audited.
- Guessing counts per (address, reference) and per address, and not per reference: the
  references are sequential, so a count per reference would let any stranger lock a parent
  out of their own case. Each attempt is counted before it is checked
  (``throttle.attempt``); a right code is forgiven.
- A submission counts per address and towards the school's hourly ceiling in the
  transaction that stores the case: the case, its audit row and its counts are one commit,
  and the receipt is shown only once it has committed.
- A honeypot field, and a one-time form token: a form sent twice (a refresh, a double click)
  shows the first case's reference and no code.
- Links in mail and in the PDF receipt come from PORTAL_URL (``urls.external_url``), never
  from the request's Host header.

In the parent's language (portal/i18n.py): every page, message, mail to the parent and the
PDF receipt; the language a case was submitted in is stored with it and the follow-up,
the receipt and the mails use it. What is stored (title, timeline, staff mail) is Dutch.
The switch between languages is a link on the pages without a code and a button on the
two pages that carry one (the receipt and the follow-up), so the code stays in POST
bodies. Letters stay Dutch: they are legal documents; the follow-up page says so.

Attachments (portal/attachments.py): the form and "informatie toevoegen" take up to five
photos, screenshots or PDFs; a parent downloads only their own files again.
"""

import functools
from dataclasses import dataclass
from typing import Any

from flask import abort
from flask import current_app
from flask import g
from flask import has_request_context
from flask import render_template
from flask import request
from flask import session
from peewee import IntegrityError

from . import attachments
from . import codes
from . import i18n
from . import throttle
from .access import users_with_permission
from .audit import audit
from .calls import call
from .cases import engine
from .cases.starts import endpoint as start_endpoint
from .dates import today
from .db import atomic
from .documents import html_to_pdf
from .documents import pdf_download
from .documents import pdf_response
from .documents import render_letter
from .forms import Form
from .forms import HiddenField
from .forms import StringField
from .forms import bounded_int
from .forms import clean
from .forms import line
from .forms import text
from .i18n import gettext as _
from .i18n import lazy_gettext as _l
from .mail import queue as queue_mail
from .models import Attachment
from .models import Case
from .models import CaseDocument
from .models import CaseEvent
from .models import CaseExclusion
from .models import User
from .plugins import PluginError
from .registry import get_registry
from .settings import get_setting
from .urls import external_url

SUBMITTER = "Indiener (ouder/verzorger)"  # who began the case, on its timeline
ADDER = "Indiener"  # who added information
HOURLY_LIMIT = 30  # submissions per school per hour, without a setting of the start's own
TEXT_MAX = 10000
# The follow-up pages: (name, path, methods). The form's own page is ``Start.path``.
PAGES = (
    ("follow", "/volgen", ("GET", "POST")),
    ("add", "/volgen/aanvullen", ("POST",)),
    ("letter", "/volgen/brief", ("POST",)),
    ("attachment", "/volgen/bijlage", ("POST",)),
    ("received", "/ontvangen", ("POST",)),
    ("receipt", "/ontvangstbewijs", ("POST",)),
)
# The pages whose forms send attachments.
UPLOADS = ("start", "add")


@dataclass(frozen=True)
class Submission:
    """What a submission came to: the new ``case`` with its ``code``; the earlier case of a
    form sent before (``code`` None); or ``refused`` ("address" or "school") with ``wait``."""

    case: Any = None
    code: str | None = None
    refused: str | None = None
    wait: int = 0


def endpoint(ct, page):
    """The endpoint of a public page of ``ct``: "start" (the form) or one of PAGES."""
    if page == "start":
        return start_endpoint(ct)
    return f"{ct.name.partition('.')[0]}.public_{page}"


def _kind(ct, what):
    """Throttle kind and audit action: ``<slug>.indienen``, ``<slug>.volgen``, ..."""
    return f"{ct.name.partition('.')[0]}.{what}"


# ----------------------------------------------------------------- the pages ----


def attach(bp, case_types, registry=None):
    """Add the public pages of the ``public`` start among ``case_types`` (those of one plugin)
    to its blueprint; like the start pages, only the first time (cases/starts.py)."""
    types = [ct for ct in case_types if ct.start is not None and ct.start.public]
    if len(types) > 1:
        raise PluginError(f"plugin {bp.name!r}: more than one public start (they would share /volgen)")
    added = bp.__dict__.setdefault("portal_public_pages", set())
    for ct in types:
        _check(ct, registry)
        if ct.name in added:
            continue
        added.add(ct.name)
        bp.add_url_rule(
            f"/{ct.start.path}",
            endpoint=endpoint(ct, "start").partition(".")[2],
            view_func=_view(_start, ct.name, "start"),
            methods=["GET", "POST"],
        )
        for page, path, methods in PAGES:
            if page == "receipt" and not ct.start.receipt_letter:
                continue
            bp.add_url_rule(
                path,
                endpoint=endpoint(ct, page).partition(".")[2],
                view_func=_view(VIEWS[page], ct.name, page),
                methods=list(methods),
            )


def _check(ct, registry):
    start = ct.start
    if ct.detail is None or start.token_column not in ct.detail._meta.fields:
        raise PluginError(
            f"case type {ct.name}: a public start needs a detail model with the "
            f"column {start.token_column!r} (unique, nullable) for the form token"
        )
    if start.email_field and not hasattr(start.form, start.email_field):
        raise PluginError(f"case type {ct.name}: the start form has no field {start.email_field!r}")
    setting = start.hourly_limit_setting
    if registry is not None and setting and setting not in registry.settings:
        raise PluginError(f"case type {ct.name}: unknown setting {setting!r}")


def _view(handler, type_name, page):
    def view():
        g.no_store = True  # nothing of the parent's case stays in a browser cache
        return handler(engine.case_type(type_name))

    view.__name__ = f"public_{page}_{type_name.replace('.', '_')}"
    view.portal_public = True
    view.portal_parents = True  # in the parent's language (portal/i18n.py)
    if page in UPLOADS:
        attachments.takes_uploads(view)
    return view


def _page_context(ct):
    """What every public page may use: the type, its start, the noun of its texts ("klacht")
    and the endpoints of its pages."""
    pages = {page: endpoint(ct, page) for page in ("start", *(p for p, _, _ in PAGES))}
    return {
        "ct": ct,
        "start": ct.start,
        "noun": ct.title.lower(),
        "pages": pages,
        "receipt": bool(ct.start.receipt_letter),
        "upload": {
            "field": attachments.FIELD,
            "accept": attachments.ACCEPT,
            "count": attachments.MAX_FILES,
            "megabytes": attachments.MAX_BYTES // (1024 * 1024),
        },
    }


def _case_context(ct, case):
    if ct.start.public_context is None:
        return {}
    return call(ct.start.public_context, case=case, detail=engine.detail_of(case, ct), school=case.school)


# ------------------------------------------------------------------ the form ----


@functools.cache
def form_class(start_form):
    """The start's form with the two fields every public form has."""
    return type(
        start_form.__name__,
        (start_form,),
        {
            # Honeypot: hidden from people (CSS class "hp", an aria-hidden wrapper); bots fill it in.
            "website": StringField(_l("Laat dit veld leeg")),
            # One-time: a refreshed or double-clicked form does not begin a second case.
            "form_token": HiddenField(),
        },
    )


def _meta():
    """WTForms' own messages (a text too long) in the page's language too."""
    return {"locales": (i18n.language(),)}


def _public_form(cls, formdata=None, **kw):
    return cls(formdata, meta=_meta(), **kw)


def _form_page(ct, form, status=200, notice=None):
    start = ct.start
    extra = call(start.context, form=form, user=None, school=g.school) if start.context else {}
    return render_template(
        start.template or "public/start.html", form=form, notice=notice, **_page_context(ct), **extra
    ), status


def _start(ct):
    start = ct.start
    cls = form_class(start.form)
    if request.method == "GET":
        return _form_page(ct, _public_form(cls, data={"form_token": codes.new_token()}))
    form = _public_form(cls, request.form)
    kind = _kind(ct, "indienen")
    files = attachments.posted_files()
    # A browser never fills a file field in again: whoever chose files must choose them again.
    again = _files_again() if files else ""
    if form.website.data:
        # Most likely a bot. A person whose browser filled it in loses nothing: the form
        # comes back with everything typed, the field empty.
        audit(kind, outcome="honeypot")
        throttle.attempt(kind, [_address_limit()])
        form.website.data = ""
        return _form_page(
            ct, form, 422, _join(_("Controleer het formulier en verstuur het nog een keer."), again)
        )
    valid = form.validate()
    try:
        checked = attachments.check_all(files)
    except attachments.Refused as refused:
        audit(kind, outcome="file_refused")
        return _form_page(ct, form, 422, _join(str(refused), _files_again()))
    if not valid:
        return _form_page(
            ct, form, 422, _join(_("Niet alles is goed ingevuld. Bekijk de meldingen bij de velden."), again)
        )
    if start.guard:
        reason = engine.guard_reason(call(start.guard, form=form, user=None, school=g.school), form)
        if reason:
            return _form_page(ct, form, 422, _join(reason, again))
    done = submit(g.school, ct, form, throttled=True, files=checked)
    if done.refused == "school":
        audit(kind, outcome="ceiling")
        return _form_page(ct, form, 429, _join(_ceiling_text(g.school), again))
    if done.refused:
        audit(kind, outcome="throttled")
        minutes = max(1, round(done.wait / 60))
        text = i18n.ngettext(
            "Vanaf dit adres zijn kort na elkaar veel formulieren verstuurd. Wacht ongeveer "
            "%(num)d minuut en verstuur het formulier dan opnieuw; wat u schreef blijft staan.",
            "Vanaf dit adres zijn kort na elkaar veel formulieren verstuurd. Wacht ongeveer "
            "%(num)d minuten en verstuur het formulier dan opnieuw; wat u schreef blijft staan.",
            minutes,
        )
        return _form_page(ct, form, 429, _join(text, again))
    # Only now, after the commit: a parent who sees the code has a stored case.
    if done.code is not None:
        i18n.use(done.case.language)
    return _received_page(ct, done.case, done.code)


def _received_page(ct, case, code):
    return render_template(
        ct.start.receipt_template or "public/received.html",
        case=case,
        code=codes.grouped(code) if code else None,
        files=attachments.of_case(case, from_submitter=True) if code else [],
        **_page_context(ct),
    )


def _files_again():
    return _("U had bestanden gekozen: kies ze opnieuw, de browser bewaart ze niet.")


def _join(*texts):
    return " ".join(t for t in texts if t)


def _ceiling_text(school):
    phone = getattr(school, "urgent_phone", "") or school.phone
    if phone:
        return _(
            "Via dit formulier zijn het afgelopen uur erg veel berichten binnengekomen bij "
            "%(school)s, daarom kunt u het nu even niet versturen. Bel de school op %(phone)s, "
            "of probeer het later opnieuw. Wat u schreef blijft hieronder staan.",
            school=school.name,
            phone=phone,
        )
    return _(
        "Via dit formulier zijn het afgelopen uur erg veel berichten binnengekomen bij "
        "%(school)s, daarom kunt u het nu even niet versturen. Neem contact op met de school, "
        "of probeer het later opnieuw. Wat u schreef blijft hieronder staan.",
        school=school.name,
    )


def submit(school, ct, form, code=None, throttled=False, files=()):
    """Begin a case of ``ct`` from its validated public form: a ``Submission``.

    One transaction: the earlier case of this form's token (then nothing else happens), the
    submission's counts (``throttled``: per address and towards the school's ceiling), the
    case through ``engine.start_case`` with the code's hash, its language and attachments
    (``files``, checked), the parent's confirmation and the audit row. Once it has
    committed nothing else is written, so a parent whose case was stored always gets the
    receipt with the code. What is stored is written in Dutch, whatever the parent reads."""
    start = ct.start
    code = code or codes.new_code()
    token = getattr(form, "form_token", None)
    token_hash = codes.token_hash(token.data) if token is not None and token.data else None
    column = getattr(ct.detail, start.token_column)
    email = clean(form[start.email_field]) if start.email_field else ""
    language = i18n.language() if has_request_context() else i18n.DEFAULT

    def after(case):
        case.language = language
        Case.update(language=language).where(Case.id == case.id).execute()
        if files:
            attachments.store(case, files, from_submitter=True)
        _confirm(ct, case, school)

    try:
        with i18n.dutch(), atomic():
            earlier = token_hash and ct.detail.get_or_none(column == token_hash)
            if earlier:
                return Submission(Case.get_by_id(earlier.case_id))
            refused = _count_submission(school, ct) if throttled else None
            if refused:
                return refused
            case = engine.start_case(
                school,
                ct.name,
                form,
                None,
                actor=SUBMITTER,
                submitter_email=email,
                access_code_hash=codes.code_hash(code),
                values={start.token_column: token_hash},
                after=after,
            )
    except IntegrityError:
        if not token_hash:
            raise
        # A double click raced the first submission on PostgreSQL: that one won.
        earlier = ct.detail.get(column == token_hash)
        return Submission(Case.get_by_id(earlier.case_id))
    return Submission(case, code)


def start_public_case(school, type_name, form, code=None):
    """Begin a public case outside the form's page (demo data, an import): (case, code), or
    (the earlier case, None) for a form whose token was sent before. ``code``: a known code
    (demo only; real codes are random and shown once)."""
    done = submit(school, engine.case_type(type_name), form, code=code)
    return done.case, done.code


def _address_limit():
    return throttle.Limit(f"ip:{request.remote_addr}")


def _count_submission(school, ct):
    """Count this submission towards the school's ceiling and its address's limit; a
    ``Submission`` that says which refused, or None (then both counted). Always the school
    first, so the locks of parallel submissions are taken in one order."""
    kind = _kind(ct, "indienen")
    ceiling = throttle.attempt(kind, [school_ceiling(school, ct)])
    if not ceiling.allowed:
        return Submission(refused="school", wait=ceiling.wait)
    counted = throttle.attempt(kind, [_address_limit()])
    if not counted.allowed:
        throttle.forgive(ceiling)
        return Submission(refused="address", wait=counted.wait)
    return None


def school_ceiling(school, ct):
    """The school's hourly ceiling as a throttle key: never more in any hour."""
    return throttle.Limit(f"school:{school.slug}", hourly_limit(school, ct), 60, ceiling=True)


def hourly_limit(school, ct):
    """The school's ceiling on public submissions per hour. Never below the free attempts of
    one address: a lower ceiling would let one parent's retries close the form for the whole
    school (and a deployment that lifts the free attempts, as the load and fault runs do,
    lifts the ceiling with them)."""
    setting = ct.start.hourly_limit_setting
    limit = get_setting(school, setting) if setting else HOURLY_LIMIT
    return max(limit or 0, current_app.config["THROTTLE_FREE_ATTEMPTS"])


def _follow_link(ct, case):
    """The follow-up page for a mail, opening in the parent's language (never with the code)."""
    return external_url(endpoint(ct, "follow"), school=case.school.slug, taal=case.language or i18n.DEFAULT)


def _confirm(ct, case, school):
    """Inside the creating transaction: the parent's confirmation, in their language, with
    the reference only. The code is never mailed, so a mailbox someone else reads cannot
    open the case."""
    if not case.submitter_email:
        return
    with i18n.speaking(case.language):
        follow = _follow_link(ct, case)
        queue_mail(
            case.submitter_email,
            _("Uw melding is ontvangen (%(reference)s)", reference=case.reference),
            _(
                "Beste ouder of verzorger,\n\n"
                "%(school)s heeft uw melding ontvangen. Uw referentie is %(reference)s.\n\n"
                "U volgt uw melding op %(link)s met deze referentie en de code die u na het "
                "indienen kreeg. De code staat om veiligheidsredenen niet in deze e-mail.\n\n"
                "Met vriendelijke groet,\n%(school)s",
                school=school.name,
                reference=case.reference,
                link=follow,
            ),
            case=case,
        )


def tell_parent(case, letter=False):
    """The school posted a message for the parent, or made a letter for them: when they left
    an address, a mail in their language says there is news for their reference, with the
    link to the follow-up page. Never the content, never the code. Call inside the
    transaction of the message or letter (the mail exists only if that commits)."""
    if not case.submitter_email:
        return
    ct = engine.case_type(case.case_type)
    public = ct.start is not None and ct.start.public
    with i18n.speaking(case.language):
        if letter:
            subject = _("Nieuwe brief over %(reference)s", reference=case.reference)
            what = _("De school heeft een brief voor u klaargezet.")
        else:
            subject = _("Nieuw bericht over %(reference)s", reference=case.reference)
            what = _("De school heeft een nieuw bericht voor u geplaatst.")
        where = (
            _("U leest het op %(link)s", link=_follow_link(ct, case))
            if public
            else _("U leest het op de volgpagina van de school")
        )
        queue_mail(
            case.submitter_email,
            subject,
            _(
                "Beste ouder of verzorger,\n\n"
                "Er is nieuws over uw melding %(reference)s bij %(school)s. %(what)s\n\n"
                "%(where)s met uw referentie en de code die u na het indienen kreeg. Om "
                "veiligheidsredenen staan de inhoud en de code niet in deze e-mail.\n\n"
                "Met vriendelijke groet,\n%(school)s",
                reference=case.reference,
                school=case.school.name,
                what=what,
                where=where,
            ),
            case=case,
        )


# ------------------------------------------------------------- the follow-up ----


@functools.cache
def follow_form(prefix, year):
    """The form with reference and code; its examples name the type's own references."""
    example = f"{prefix}-{year}-0001"

    class FollowForm(Form):
        reference = line(
            _l("Referentie"),
            40,
            _l("Vul de referentie in, bijvoorbeeld %(example)s.", example=example),
            description=_l("Bijvoorbeeld %(example)s.", example=example),
        )
        code = line(
            _l("Code"),
            80,
            _l("Vul uw code in."),
            description=_l(
                "De code van %(length)s tekens die u kreeg bij het indienen; met of zonder spaties.",
                length=codes.LENGTH,
            ),
            render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
        )

    return FollowForm


class AddInfoForm(Form):
    text = text(_l("Aanvulling of reactie"), TEXT_MAX, _l("Schrijf eerst uw aanvulling."))
    # One-time: a reloaded page (the browser sends the form again) adds nothing twice.
    form_token = HiddenField()


def _add_form(formdata=None):
    return _public_form(AddInfoForm, formdata, data=None if formdata else {"form_token": codes.new_token()})


def _follow_form(ct, formdata=None):
    return _public_form(follow_form(ct.prefix, today().year), formdata)


def _not_found(ct):
    return _(
        "Deze combinatie van referentie en code kennen wij niet. Controleer beide en probeer het opnieuw."
    )


def _follow_page(ct, form, status=200):
    form.code.data = ""  # never echo the code back
    return render_template("public/follow.html", form=form, **_page_context(ct)), status


def _switched():
    """The language a button of the switch on a page with the code asked for (kept for
    the rest of the visit), or None."""
    chosen = i18n.supported(request.form.get(i18n.QUERY, ""))
    if chosen:
        session[i18n.SESSION_KEY] = chosen
    return chosen


def _verified(ct):
    """Every follow-up POST starts here: (form, case, None) when reference and code match,
    else (form, None, the page to answer with). Every failure gets the same answer. A
    matching case speaks its own language from here on, unless the parent chose another."""
    switched = _switched()
    if switched:
        i18n.use(switched)
    form = _follow_form(ct, request.form)
    if not form.validate():
        return form, None, _follow_page(ct, form, 422)
    reference = clean(form.reference).upper()[:40]
    kind = _kind(ct, "volgen")
    free = current_app.config["THROTTLE_FREE_ATTEMPTS"]
    address = request.remote_addr
    counted = throttle.attempt(
        kind,
        [
            throttle.Limit(f"pair:{address}|{g.school.slug}:{reference}", free),
            throttle.Limit(f"ip:{address}", free * 4),
        ],
    )
    if not counted.allowed:
        audit(kind, outcome="throttled")
        form.code.errors = [
            _(
                "U heeft te vaak geprobeerd. Probeer het over %(seconds)s seconden opnieuw.",
                seconds=counted.wait,
            )
        ]
        return form, None, _follow_page(ct, form, 429)
    case = Case.get_or_none(
        (Case.school == g.school.id) & (Case.reference == reference) & (Case.case_type == ct.name)
    )
    # Always compare, also without a case, so a missing reference is not faster.
    if not codes.matches(form.code.data, case.access_code_hash if case is not None else ""):
        audit(kind, outcome="denied")
        form.code.errors = [_not_found(ct)]
        return form, None, _follow_page(ct, form)
    throttle.forgive(counted)  # the right code: this attempt does not count
    case.school = g.school
    i18n.use(i18n.chosen_language() or case.language or i18n.DEFAULT)
    return form, case, None


def _parent_letters(ct):
    return [d.name for d in get_registry().documents.values() if d.case_type == ct.name and d.for_submitter]


def _status_page(ct, case, code, add_form=None, status=200, notice=None, notice_error=False):
    # Messages both ways, plus the bare state changes (date and new state, never the
    # transition's form data, which is internal).
    events = list(
        CaseEvent.select()
        .where(
            (CaseEvent.case == case.id)
            & (
                (CaseEvent.visible_to_submitter == True)  # noqa: E712
                | (CaseEvent.kind == "transition")
            )
        )
        .order_by(CaseEvent.at, CaseEvent.id)
    )
    letters = list(
        CaseDocument.select(
            CaseDocument.id, CaseDocument.label, CaseDocument.version, CaseDocument.created_at
        )
        .where((CaseDocument.case == case.id) & CaseDocument.name.in_(_parent_letters(ct)))
        .order_by(CaseDocument.created_at)
    )
    return render_template(
        ct.start.status_template or "public/status.html",
        case=case,
        state=ct.state(case.state),
        events=events,
        letters=letters,
        files=attachments.of_case(case, from_submitter=True),
        code=codes.grouped(code),
        add_form=add_form or _add_form(),
        notice=notice,
        notice_error=notice_error,
        **_page_context(ct),
        **_case_context(ct, case),
    ), status


def _follow(ct):
    if request.method == "GET":
        return _follow_page(ct, _follow_form(ct))
    form, case, refused = _verified(ct)
    if refused:
        return refused
    audit(_kind(ct, "volgen"), case=case)
    return _status_page(ct, case, form.code.data)


def _received(ct):
    """The receipt page again, in the language the parent switched to (its switch posts
    reference and code here, so they never travel in a URL)."""
    form, case, refused = _verified(ct)
    if refused:
        return refused
    audit(_kind(ct, "volgen"), case=case)
    return _received_page(ct, case, form.code.data)


def _add(ct):
    form, case, refused = _verified(ct)
    if refused:
        return refused
    files = attachments.posted_files()
    again = _files_again() if files else ""
    if case.closed_at is not None:
        return _status_page(
            ct,
            case,
            form.code.data,
            status=422,
            notice_error=True,
            notice=_("Uw melding is afgerond; u kunt niets meer toevoegen. Neem contact op met de school."),
        )
    add_form = _add_form(request.form)
    valid = add_form.validate()
    try:
        checked = attachments.check_all(files)
    except attachments.Refused as refused:
        audit(_kind(ct, "aanvulling"), case=case, outcome="file_refused")
        return _status_page(
            ct, case, form.code.data, add_form, 422, _join(str(refused), _files_again()), notice_error=True
        )
    if not valid:
        return _status_page(ct, case, form.code.data, add_form, 422, again or None, notice_error=bool(again))
    token = add_form.form_token.data
    token_hash = codes.token_hash(token) if token else None
    thanks = _("Dank u wel. Uw aanvulling is toegevoegd aan uw melding.")
    if token_hash and CaseEvent.select().where(CaseEvent.form_token_hash == token_hash).exists():
        # The same form again (a reload): it was added the first time.
        return _status_page(ct, case, form.code.data, notice=thanks)
    try:
        with i18n.dutch(), atomic():
            event = engine.add_event(
                case, "submitter", None, add_form.text.data, visible_to_submitter=True, actor=ADDER
            )
            if token_hash:
                CaseEvent.update(form_token_hash=token_hash).where(CaseEvent.id == event.id).execute()
            if checked:
                attachments.store(case, checked, event=event, from_submitter=True)
            _tell_staff(ct, case, len(checked))
            audit(_kind(ct, "aanvulling"), case=case)
    except IntegrityError:
        if not token_hash:
            raise
        # The same form raced itself (a double click on PostgreSQL): the first one was added.
    return _status_page(ct, case, form.code.data, notice=thanks)


def _tell_staff(ct, case, files):
    noun = ct.title.lower()
    subject = f"Aanvulling op {noun} {case.reference}"
    with_files = f" (met {files} bijlage{'' if files == 1 else 'n'})" if files else ""
    body = (
        f"De indiener heeft informatie toegevoegd aan {noun} {case.reference}{with_files}.\n"
        "Log in op het Veiligheidsportaal om die te lezen."
    )
    if ct.start.added is not None:
        call(
            ct.start.added,
            case=case,
            detail=engine.detail_of(case, ct),
            school=case.school,
            subject=subject,
            body=body,
        )
    else:
        _mail_handlers(case, ct.start, subject, body)


def _mail_handlers(case, start, subject, body):
    """The assignee, else the holders of the start's ``notify``; never someone excluded."""
    people = (
        [User.get_by_id(case.assignee_id)]
        if case.assignee_id
        else users_with_permission(case.school, start.notify)
        if start.notify
        else []
    )
    shut_out = {e.user_id for e in CaseExclusion.select().where(CaseExclusion.case == case.id)}
    for person in people:
        if person.id not in shut_out and person.email:
            queue_mail(person.email, subject, body, case=case)


def _receipt(ct):
    """The PDF receipt, with the code in it, in the case's language: from a POST that
    carries reference and code."""
    form, case, refused = _verified(ct)
    if refused:
        return refused
    language = i18n.language()
    html = render_letter(
        ct.start.receipt_letter,
        g.school,
        case=case,
        detail=engine.detail_of(case, ct),
        code=codes.grouped(form.code.data),
        follow_url=external_url(endpoint(ct, "follow"), school=g.school.slug, taal=language),
        letter_lang=language,
        letter_dir="rtl" if language in i18n.RTL else "ltr",
        date_text=i18n.parent_date(today()),
        **_case_context(ct, case),
    )
    audit(_kind(ct, "ontvangstbewijs"), case=case)
    return pdf_download(html_to_pdf(html), f"ontvangstbewijs-{case.reference}.pdf")


def _letter(ct):
    """A letter the school made for the parent (``DocumentTemplate.for_submitter``)."""
    form, case, refused = _verified(ct)
    if refused:
        return refused
    doc = (
        CaseDocument.select(CaseDocument.id, CaseDocument.name, CaseDocument.version, CaseDocument.filename)
        .where(
            (CaseDocument.id == (request.form.get("document", type=bounded_int) or 0))
            & (CaseDocument.case == case.id)
            & CaseDocument.name.in_(_parent_letters(ct))
        )
        .first()
    )
    if doc is None:
        audit(_kind(ct, "brief"), case=case, outcome="denied")
        abort(404)
    audit(_kind(ct, "brief"), case=case, detail=f"{doc.name} v{doc.version}")
    return pdf_response(doc)


def _attachment(ct):
    """A file the parent sent with their case: only their own, with reference and code."""
    form, case, refused = _verified(ct)
    if refused:
        return refused
    row = Attachment.get_or_none(
        (Attachment.id == (request.form.get("attachment", type=bounded_int) or 0))
        & (Attachment.case == case.id)
        & (Attachment.from_submitter == True)  # noqa: E712
    )
    if row is None:
        audit(_kind(ct, "bijlage"), case=case, outcome="denied")
        abort(404)
    audit(_kind(ct, "bijlage"), case=case, detail=f"{row.id} {row.sha256[:12]}")
    return attachments.send(row)


VIEWS = {
    "follow": _follow,
    "add": _add,
    "letter": _letter,
    "attachment": _attachment,
    "received": _received,
    "receipt": _receipt,
}


# ------------------------------------------------------------ the way in ----


def parent_links(next_url=None):
    """[(label, url)] of the public forms of the school a visitor was on their way to (the
    first part of ``next``: a parent who opened the school's address lands on the staff
    login), or of the only school there is. For the login page."""
    from peewee import DatabaseError

    from .models import School
    from .models import SchoolPlugin

    slug = (next_url or "").strip("/").split("/", 1)[0]
    try:
        school = School.get_or_none(School.slug == slug) if slug else None
        if school is None:
            only = list(School.select(School.id, School.slug).limit(2))
            school = only[0] if len(only) == 1 else None
        if school is None:
            return []
        enabled = {
            p.plugin for p in SchoolPlugin.select(SchoolPlugin.plugin).where(SchoolPlugin.school == school.id)
        }
    except DatabaseError:  # the login page never fails for a link (a database not set up yet)
        return []
    registry = get_registry()
    from flask import url_for

    return [
        (ct.start.label, url_for(endpoint(ct, "start"), school=school.slug))
        for name, ct in sorted(registry.case_types.items())
        if ct.start is not None and ct.start.public and registry.case_type_owner[name] in enabled
    ]


def init_app(app):
    app.jinja_env.globals["parent_links"] = parent_links
