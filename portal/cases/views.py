"""Case pages shared by every plugin: the list, the detail page and its actions."""

import datetime
import re
from urllib.parse import urlencode

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from markupsafe import Markup
from peewee import JOIN
from wtforms import BooleanField
from wtforms import Form
from wtforms import HiddenField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from .. import documents
from .. import search
from ..access import has_permission
from ..access import requires
from ..attachments import takes_uploads
from ..audit import audit
from ..audit import audit_view
from ..calls import Lazy
from ..calls import call
from ..dates import nl_date
from ..dates import nl_datetime
from ..dates import today
from ..figures import _utc_midnight as utc_midnight  # local midnight as naive UTC
from ..forms import bounded_int
from ..forms import no_nul
from ..models import Case
from ..models import CaseChecklistItem
from ..models import CaseDeadline
from ..models import CaseDocument
from ..models import CaseEvent
from ..models import User
from ..models import UserRole
from ..models import utcnow
from ..registry import get_registry
from . import engine
from . import links
from . import listing
from . import starts
from .listing import Filters
from .listing import list_cases
from .visibility import get_visible
from .visibility import starter_types
from .visibility import visible_types

bp = Blueprint("cases", __name__, url_prefix="/<school>/zaken")

PAGE_SIZE = 25


class NoteForm(Form):
    text = TextAreaField(
        "Notitie of bericht", validators=[DataRequired("Schrijf eerst een tekst."), Length(max=10000), no_nul]
    )
    to_submitter = BooleanField("Zichtbaar voor de indiener (bericht aan de ouder)")
    # One-time: the same form sent twice (a double click) posts one message, one mail.
    form_token = HiddenField()


def _note_form(formdata=None):
    from .. import codes

    return NoteForm(formdata) if formdata is not None else NoteForm(data={"form_token": codes.new_token()})


def _cursor(value, sort):
    """Parse the keyset cursor: ``<iso timestamp>_<id>`` for the last change, with
    ``<sorted value>~`` in front for another order; None when absent or malformed."""
    if not value or "_" not in value:
        return None
    key = None
    if listing.SORT_KEYS.get(sort) is not None:
        key, tilde, value = value.rpartition("~")
        if not tilde:
            return None
        if sort == "termijn":
            try:
                key = datetime.date.fromisoformat(key)
            except ValueError:
                return None
        key = key[:80] if isinstance(key, str) else key
    stamp, _, ident = value.rpartition("_")
    try:
        tail = (datetime.datetime.fromisoformat(stamp), bounded_int(ident))
    except ValueError:
        return None
    return tail if key is None else (key, *tail)


# A reference, whole or its start (KL-2026-0007, kl-2026): the list narrows to references.
REFERENCE_RE = re.compile(r"[A-Za-z]{1,10}-\d[\d-]{0,20}")
DATE_ERROR = "Vul een datum in als dd-mm-jjjj, bijvoorbeeld 7-12-2026."


def _date_arg(raw):
    """A date typed in the filter (2026-12-07 from a date field, or 7-12-2026); raises ValueError."""
    raw = raw.strip()
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", raw)
    if m:
        raw = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(raw)
    day = datetime.date.fromisoformat(raw)
    if not 1900 <= day.year <= 2200:  # beyond, local midnight in UTC could fall off the calendar
        raise ValueError(raw)
    return day


def list_filters(args, errors):
    """The list's filters from the query string; problems with typed dates go in ``errors``
    ({field: Dutch message}) and that filter is left out."""
    reg = get_registry()
    q = " ".join(args.get("q", "").split())[:200]
    sort = args.get("sorteer", "") if args.get("sorteer", "") in listing.SORT_KEYS else "gewijzigd"
    direction = args.get("richting", "")
    if direction not in ("op", "af"):
        direction = listing.DEFAULT_DIRECTION[sort]
    dates = {}
    for name in ("van", "tot"):
        raw = args.get(name, "")[:40]
        if raw.strip():
            try:
                dates[name] = _date_arg(raw)
            except ValueError:
                errors[name] = DATE_ERROR
    if "van" in dates and "tot" in dates and dates["tot"] < dates["van"]:
        errors["tot"] = "De einddatum ligt vóór de begindatum."
        del dates["tot"]
    return Filters(
        case_type=args.get("soort", "") if args.get("soort", "") in reg.case_types else "",
        state=args.get("status", "")[:60],
        assignee=args.get("behandelaar", "") if args.get("behandelaar") in ("ik", "niemand") else "",
        include_closed=args.get("open") == "0",
        late_only=args.get("te_laat") == "1",
        reference=q.upper()[:40] if REFERENCE_RE.fullmatch(q) else "",
        words="" if REFERENCE_RE.fullmatch(q) else q,
        created_from=utc_midnight(dates["van"]) if "van" in dates else None,
        created_before=utc_midnight(dates["tot"] + datetime.timedelta(days=1)) if "tot" in dates else None,
        sort=sort,
        direction=direction,
        after=_cursor(args.get("na"), sort),
    )


# The list's parameters that the audit log records. The search words are not among them:
# they may be a child's name (the audit log holds no child's data); a reference is.
AUDITED_ARGS = ("soort", "status", "behandelaar", "open", "te_laat", "van", "tot", "sorteer", "richting")


def audit_detail(args, filters):
    parts = [f"{k}={v}" for k, v in sorted(args.items()) if k in AUDITED_ARGS]
    if filters.reference:
        parts.append(f"q={filters.reference}")
    elif filters.words:
        parts.append(f"zoekwoorden={len(search.words(filters.words))}")
    return " ".join(parts)[:200]


def visible_rows(filters, limit):
    """Rows of the list for the current user at this school, with their Dutch texts."""
    school = g.school
    reg = get_registry()
    viewable, confidential = visible_types(current_user, school)
    rows = list_cases(
        current_user.id,
        school.id,
        viewable,
        confidential,
        today(),
        filters,
        limit,
        starter=starter_types(school),
    )
    for row in rows:  # texts made here: Python is cheaper than the same calls in Jinja
        ct = reg.case_types.get(row.case_type)
        row.type_title = ct.title if ct else row.case_type
        row.state_title = ct.state(row.state).title if ct else row.state
        row.when = nl_datetime(row.updated_at)
        row.due_text = nl_date(row.due) if row.due else ""
    return rows, viewable


COLUMNS = (
    ("termijn", "Termijn"),
    ("status", "Status"),
    ("soort", "Soort"),
    ("gewijzigd", "Laatst gewijzigd"),
)
# The same orders in the filter form (a phone shows no column headers to click).
SORT_CHOICES = (
    ("gewijzigd", "Laatst gewijzigd"),
    ("termijn", "Termijn"),
    ("status", "Status"),
    ("soort", "Soort"),
)


def _sort_links(here, args, filters):
    """{sort: (link, aria-sort value or "")} for the sortable column headers: the first
    click sorts in the column's usual direction, the next one turns it round."""
    out = {}
    base = {k: v for k, v in args.items() if k not in ("sorteer", "richting", "na")}
    for sort, _label in COLUMNS:
        if filters.sort == sort:
            direction = "op" if filters.direction == "af" else "af"
            state = "ascending" if filters.direction == "op" else "descending"
        else:
            direction, state = listing.DEFAULT_DIRECTION[sort], ""
        out[sort] = (f"{here}?{urlencode({**base, 'sorteer': sort, 'richting': direction})}", state)
    return out


@bp.route("/")
@requires("portal.cases")
def index():
    reg = get_registry()
    args = request.args
    errors = {}
    filters = list_filters(args, errors)
    # Which list, searched for what: the filters, never a name (see AUDITED_ARGS).
    audit_view("case.list", detail=audit_detail(args, filters))
    rows, viewable = visible_rows(filters, PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    # This page's own address (what url_for("cases.index") gives, without building it):
    # the next page is it with the cursor added, a case is it plus the reference
    # (references are [A-Z0-9-]).
    here = request.script_root + request.path
    next_url = None
    if more:
        next_url = f"{here}?{urlencode({**args.to_dict(), 'na': rows[-1].cursor(filters.sort)})}"
    # The filters offer only what this user can find: their case types, and the states
    # of the chosen type (or of all their types).
    chosen = [filters.case_type] if filters.case_type in viewable else viewable
    query = urlencode({k: v for k, v in args.items() if k != "na"})
    return render_template(
        "cases/list.html",
        rows=rows,
        next_url=next_url,
        args=args.to_dict(),
        type_choices=[(name, reg.case_types[name].title) for name in viewable],
        state_choices=reg.state_choices(chosen),
        detail_prefix=here,
        errors=errors,
        columns=COLUMNS,
        sort_links=_sort_links(here, args, filters),
        sort_choices=SORT_CHOICES,
        sort=filters.sort,
        direction=filters.direction,
        export_query=f"?{query}" if query else "",
    ), (422 if errors else 200)


def _load(reference):
    case = get_visible(g.school, reference, current_user)
    if case is None:
        audit("case.view", outcome="denied", detail=reference[:40])
        abort(404)
    return case


def _render_detail(case, forms=None, note_form=None, status=200, refused=None):
    """The case page; ``refused``: (step, Dutch reason) of a step just refused, shown in the
    error summary of that step's form (or at the top when the step is no longer offered)."""
    ct = engine.case_type(case.case_type)
    summary = None
    if ct.summary_template:
        ctx = call(ct.summary_context, **_summary_arguments(case, ct)) if ct.summary_context else {}
        # The plugin's template was autoescaped when rendered: insert it as markup,
        # not as text (else its tags show up escaped on the page).
        summary = Markup(render_template(ct.summary_template, case=case, **ctx))  # noqa: S704
    events = list(
        CaseEvent.select(CaseEvent, User)
        .join(User, join_type=JOIN.LEFT_OUTER, on=(CaseEvent.user == User.id), attr="user_row")
        .where(CaseEvent.case == case.id)
        .order_by(CaseEvent.at, CaseEvent.id)
    )
    transitions = engine.allowed_transitions(case, current_user)
    if refused and refused[0] not in {t.name for t in transitions}:
        flash(refused[1], "error")
    forms = forms or {}
    for t in transitions:
        forms.setdefault(t.name, engine.make_form(t))
    checklist = list(
        CaseChecklistItem.select()
        .where(CaseChecklistItem.case == case.id)
        .order_by(CaseChecklistItem.position, CaseChecklistItem.id)
    )
    deadlines = list(
        CaseDeadline.select().where(CaseDeadline.case == case.id).order_by(CaseDeadline.due_date)
    )
    docs = list(
        CaseDocument.select(
            CaseDocument.id,
            CaseDocument.label,
            CaseDocument.version,
            CaseDocument.filename,
            CaseDocument.created_at,
            CaseDocument.sha256,
        )
        .where(CaseDocument.case == case.id)
        .order_by(CaseDocument.created_at.desc())
    )
    handle = ct.handle_permission or ct.view_permission
    may_handle = has_permission(current_user, g.school, handle)
    assignees = _assignable(case, handle) if may_handle else []
    return render_template(
        "cases/detail.html",
        case=case,
        ct=ct,
        summary=summary,
        events=events,
        transitions=transitions,
        forms=forms,
        refused=dict([refused]) if refused else {},
        checklist=checklist,
        deadlines=deadlines,
        documents=docs,
        offered=documents.offered(case, current_user),
        may_handle=may_handle,
        note_form=note_form or _note_form(),
        **_attachment_context(case),
        assignees=assignees,
        today=today(),
        now=utcnow(),
        is_required=lambda item: engine.is_required(case, item),
        **pupil_links.context(case, may_handle, forms),
        **_link_context(case),
    ), status


def _link_context(case):
    """The cases linked to this one that the user may see, and the cases they may start
    from it (``Start.follows``)."""
    reg = get_registry()
    linked = []
    for other, direction in links.linked(case, current_user, g.school):
        other_type = reg.case_types.get(other.case_type)
        linked.append(
            {
                "case": other,
                "direction": direction,
                "type_title": other_type.title if other_type else other.case_type,
                "state_title": other_type.state(other.state).title if other_type else other.state,
            }
        )
    follow_ups = [
        (start.label, url_for(starts.endpoint(ct, start), **{links.ORIGIN_ARG: case.reference}))
        for ct, start in links.follow_up_types(case, current_user, g.school)
    ]
    return {"linked_cases": linked, "follow_ups": follow_ups}


def _attachment_context(case):
    """The case's files (by timeline entry too) and the language a parent submitted in."""
    from .. import attachments
    from ..i18n import DUTCH_NAMES

    files = attachments.of_case(case)
    by_event = {}
    for row in files:
        if row.event_id:
            by_event.setdefault(row.event_id, []).append(row)
    return {
        "files": files,
        "files_by_event": by_event,
        "upload": {"field": attachments.FIELD, "accept": attachments.ACCEPT, "count": attachments.MAX_FILES},
        "submitted_language": DUTCH_NAMES.get(case.language or "", ""),
    }


def _summary_arguments(case, ct):
    return {
        "case": case,
        "detail": Lazy(lambda: engine.detail_of(case, ct)),
        "user": current_user,
        "school": g.school,
    }


def _assignable(case, permission):
    from ..access import roles_for_permission
    from ..models import CaseExclusion

    roles = roles_for_permission(permission, g.school)
    excluded = CaseExclusion.select(CaseExclusion.user).where(CaseExclusion.case == case.id)
    return list(
        User.select()
        .distinct()
        .join(UserRole)
        .where(
            ((UserRole.school == g.school.id) | UserRole.school.is_null())
            & UserRole.role.in_(list(roles) or [""])
            & User.active
            & User.id.not_in(excluded)
        )
        .order_by(User.name)
    )


@bp.route("/gemeld/<reference>")
@requires("portal.cases")
def started(reference):
    """The receipt after starting a case the starter may not see (see starts.py)."""
    from .starts import started as receipt

    case = Case.get_or_none((Case.school == g.school.id) & (Case.reference == reference[:40]))
    return receipt(case)


@bp.route("/<reference>")
@requires("portal.cases")
def detail(reference):
    case = _load(reference)
    audit_view("case.view", case=case)
    return _render_detail(case)


@bp.route("/<reference>/stap/<name>", methods=["POST"])
@requires("portal.cases")
def transition(reference, name):
    case = _load(reference)
    try:
        outcome = engine.run_transition(case, name, current_user, request.form)
    except engine.TransitionRefused as refused:
        forms = {name: refused.form} if refused.form is not None else None
        return _render_detail(case, forms=forms, status=422, refused=(name, refused.reason))
    flash(f"Status is nu: {engine.case_type(case.case_type).state(outcome.case.state).title}.")
    return redirect(url_for("cases.detail", reference=case.reference))


def _require_handle(case):
    ct = engine.case_type(case.case_type)
    if not has_permission(current_user, g.school, ct.handle_permission or ct.view_permission):
        abort(403)


@bp.route("/<reference>/notitie", methods=["POST"])
@requires("portal.cases")
@takes_uploads
def note(reference):
    case = _load(reference)
    _require_handle(case)
    from peewee import IntegrityError

    from .. import attachments
    from .. import codes

    form = _note_form(request.form)
    if not form.validate():
        return _render_detail(case, note_form=form, status=422)
    try:
        checked = attachments.check_all(attachments.posted_files())
    except attachments.Refused as refused:
        flash(f"{refused} Kies de bestanden opnieuw; de tekst staat er nog.", "error")
        return _render_detail(case, note_form=form, status=422)
    token = form.form_token.data
    try:
        event = engine.add_note(
            case,
            current_user,
            form.text.data,
            bool(form.to_submitter.data),
            token_hash=codes.token_hash(token) if token else None,
            after=(lambda event: attachments.store(case, checked, current_user, event)) if checked else None,
        )
    except IntegrityError:  # the same form raced itself (a double click): the first one stands
        event = None
    if event is not None:
        flash("Bericht aan de indiener geplaatst." if form.to_submitter.data else "Notitie opgeslagen.")
    return redirect(url_for("cases.detail", reference=case.reference))


@bp.route("/<reference>/checklist/<int:item_id>", methods=["POST"])
@requires("portal.cases")
def checklist(reference, item_id):
    case = _load(reference)
    _require_handle(case)
    item = CaseChecklistItem.get_or_none(
        (CaseChecklistItem.id == item_id) & (CaseChecklistItem.case == case.id)
    )
    if item is None:
        abort(404)
    if request.form.get("undo"):
        engine.untick(case, item, current_user)
        flash(f"Weer open: {item.label}")
    else:
        raw = request.form.get("done_on", "")
        try:
            done_on = datetime.date.fromisoformat(raw) if raw else today()
        except ValueError:
            flash("Vul een geldige datum in (dd-mm-jjjj).", "error")
            return redirect(url_for("cases.detail", reference=case.reference))
        # A one-line field: a line break in a posted note is folded into a space.
        note = " ".join(request.form.get("note", "").split())[:500]
        engine.tick(case, item, current_user, done_on, note)
        flash(f"Afgevinkt: {item.label}")
    return redirect(url_for("cases.detail", reference=case.reference))


@bp.route("/<reference>/toewijzen", methods=["POST"])
@requires("portal.cases")
def assign(reference):
    case = _load(reference)
    ct = engine.case_type(case.case_type)
    handle = ct.handle_permission or ct.view_permission
    _require_handle(case)
    raw = request.form.get("assignee", "")
    target = None
    if raw:
        allowed = {str(u.id): u for u in _assignable(case, handle)}
        if raw not in allowed:
            flash("Deze persoon kan deze zaak niet behandelen.", "error")
            return redirect(url_for("cases.detail", reference=case.reference))
        target = allowed[raw]
    engine.assign(case, target, current_user)
    flash("Toewijzing opgeslagen.")
    return redirect(url_for("cases.detail", reference=case.reference))


@bp.route("/<reference>/bewaarplicht", methods=["POST"])
@requires("portal.legal_hold")
def legal_hold(reference):
    """Put a case on legal hold (the purge skips it) or lift the hold; recorded on the timeline."""
    from ..db import atomic

    case = _load(reference)
    hold = request.form.get("hold") == "1"
    reason = " ".join(request.form.get("reason", "").split())[:500]  # one line, as typed in its field
    if hold and not reason:
        flash("Geef een reden voor de bewaarplicht.", "error")
        return redirect(url_for("cases.detail", reference=case.reference))
    with atomic():
        Case.update(legal_hold=hold).where(Case.id == case.id).execute()
        text = f"Bewaarplicht ingesteld: {reason}" if hold else "Bewaarplicht opgeheven"
        engine.add_event(case, "note", current_user, text)
    audit("case.legal_hold", case=case, detail="on" if hold else "off")
    flash(
        "Deze zaak wordt niet verwijderd zolang de bewaarplicht geldt."
        if hold
        else "De bewaarplicht is opgeheven."
    )
    return redirect(url_for("cases.detail", reference=case.reference))


@bp.route("/<reference>/brief/<name>", methods=["POST"])
@requires("portal.cases")
def make_document(reference, name):
    case = _load(reference)
    if name not in {d.name for d in documents.offered(case, current_user)}:
        decl = documents.declared_for(case, current_user, name)
        if decl is None:
            abort(403)  # not a letter of this case type, or not one this user may make
        # A letter of this case that waits for a step (a state, a conversation held): the
        # user is told so on the case page, which says what comes first; nothing is made.
        flash(
            f"‘{decl.label}’ kan bij deze zaak nu niet worden gemaakt. De brieven die nu "
            "kunnen, staan op deze pagina, met wat eerst nodig is.",
            "error",
        )
        return redirect(url_for("cases.detail", reference=case.reference))
    from ..letters import LetterRefused

    try:
        row = documents.produce(case, name, current_user)
    except LetterRefused as refused:
        # A fact the letter must carry is missing: nothing is archived, the reason says
        # what to fill in and where.
        flash(refused.reason, "error")
        return redirect(url_for("cases.detail", reference=case.reference))
    flash(f"{row.label} (versie {row.version}) is gemaakt.")
    return redirect(url_for("cases.detail", reference=case.reference))


@bp.route("/<reference>/document/<int:doc_id>")
@requires("portal.cases")
def download(reference, doc_id):
    case = _load(reference)
    doc = (
        CaseDocument.select(CaseDocument.id, CaseDocument.name, CaseDocument.version, CaseDocument.filename)
        .where((CaseDocument.id == doc_id) & (CaseDocument.case == case.id))
        .first()
    )
    if doc is None:
        abort(404)
    audit("case.document.download", case=case, detail=f"{doc.name} v{doc.version}")
    return documents.pdf_response(doc)


def init_app(app):
    app.register_blueprint(bp)


# The pupils section's routes are on this blueprint too (the module needs the ones above).
from . import export  # noqa: E402,F401 - the list's downloads, on this blueprint too
from . import pupil_links  # noqa: E402
