"""Creating cases and moving them through their workflow: the one way a case changes.

``run_transition`` checks, in order: the state allows it, the user holds the
permission, the form is valid, the transition's guard and the
``check_transition`` hook agree, and a closing state finds the required
checklist done. Then one transaction writes the case, the event, the plugin's
data and any mail; after the commit the ``case_transitioned`` hook runs.
"""

import datetime
import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from .. import mail
from .. import pupils
from .. import search
from ..access import has_permission
from ..access import users_with_permission
from ..audit import audit
from ..calls import Lazy
from ..calls import call
from ..dates import local
from ..dates import to_utc
from ..db import atomic
from ..db import database
from ..db import is_sqlite
from ..models import Case
from ..models import CaseChecklistItem
from ..models import CaseCounter
from ..models import CaseDeadline
from ..models import CaseEvent
from ..models import utcnow
from ..registry import get_pm
from ..registry import get_registry
from ..schoolcalendar import SchoolCalendar
from . import links


class TransitionRefused(Exception):
    """A transition was refused; ``reason`` is Dutch and shown to the user."""

    def __init__(self, reason, form=None):
        super().__init__(reason)
        self.reason = reason
        self.form = form


@dataclass
class Outcome:
    case: Case
    event: CaseEvent


def case_type(name):
    return get_registry().case_types[name]


def detail_of(case, ct=None):
    """The case's row in its type's detail table (``CaseType.detail``), or None."""
    ct = ct or case_type(case.case_type)
    if ct.detail is None:
        return None
    return ct.detail.get_or_none(ct.detail.case == case.id)


def rows(case, model, *order_by):
    """The rows of a plugin table that belong to ``case`` (recorded steps: conversations,
    hearings), in ``order_by`` (default: as they were made)."""
    return list(model.select().where(model.case == case.id).order_by(*(order_by or (model.id,))))


def _arguments(case, ct, form=None, user=None):
    """What a plugin function of this case may ask for (the detail row only when it does)."""
    return {
        "case": case,
        "detail": Lazy(lambda: detail_of(case, ct)),
        "form": form,
        "user": user,
        "school": case.school,
    }


def _copy_to_detail(case, ct, t, form):
    """Write the form fields a transition names in ``copy`` onto the detail row."""
    if not t.copy:
        return
    if ct.detail is None:
        raise RuntimeError(f"transition {t.name} copies fields, but {ct.name} has no detail model")
    values = {column: _stored(form[field].data) for field, column in t.copied_fields()}
    ct.detail.update(**values).where(ct.detail.case == case.id).execute()


def _stored(value):
    return value.strip() if isinstance(value, str) else value


def _record_row(model, case, form, user, fixed):
    """A new row of ``model`` from the step's form (``Transition.record``)."""
    values = {**_form_values(model, form), **fixed}
    if "created_by" in model._meta.fields and user is not None:
        values["created_by"] = user.id
    return model.create(case=case.id, **values)


CHECK_FIELDS = "Controleer de gemarkeerde velden."


def guard_reason(answer, form):
    """A guard's answer as a refusal reason: {field: message} marks those fields."""
    if isinstance(answer, dict):
        for name, message in answer.items():
            form[name].errors = [*(form[name].errors or []), message]
        return CHECK_FIELDS if answer else None
    return answer


# ------------------------------------------------------------ references ----


def next_reference(school, ct, year):
    """Next number for (school, prefix, year), inside the caller's write transaction.

    An UPDATE … RETURNING on one counter row serialises concurrent creators on
    both SQLite (BEGIN IMMEDIATE) and PostgreSQL (row lock): no duplicates, no gaps.
    """
    CaseCounter.insert(school=school.id, prefix=ct.prefix, year=year, last=0).on_conflict_ignore().execute()
    cursor = database.execute_sql(
        'UPDATE "portal_case_counter" SET "last" = "last" + 1 '
        'WHERE "school_id" = %s AND "prefix" = %s AND "year" = %s RETURNING "last"'.replace(
            "%s", database.param
        ),
        (school.id, ct.prefix, year),
    )
    number = cursor.fetchone()[0]
    return f"{ct.prefix}-{year}-{number:04d}"


# -------------------------------------------------------------- creation ----


def create_case(
    school,
    type_name,
    title,
    user=None,
    *,
    confidential=False,
    actor="",
    text="",
    data=None,
    submitter_email="",
    access_code_hash="",
    assignee=None,
):
    """Create a case in its initial state. Call inside ``atomic()`` with the plugin's own rows."""
    ct = case_type(type_name)
    now = utcnow()
    with atomic():
        case = Case.create(
            school=school.id,
            case_type=ct.name,
            reference=next_reference(school, ct, local(now).year),
            state=ct.initial,
            title=title[:300],
            created_by=user.id if user else None,
            assignee=assignee.id if assignee else None,
            created_at=now,
            updated_at=now,
            confidential=confidential,
            submitter_email=submitter_email,
            access_code_hash=access_code_hash,
        )
        case.school = school
        for pos, item in enumerate(ct.checklist):
            CaseChecklistItem.create(
                case=case,
                name=item.name,
                label=item.label,
                position=pos,
                required=item.required if isinstance(item.required, bool) else False,
            )
        CaseEvent.create(
            case=case,
            at=now,
            kind="created",
            user=user.id if user else None,
            actor=actor or (user.name if user else ""),
            to_state=ct.initial,
            text=text,
            data=data,
        )
        # A deadline counted from a moment of the detail row starts in start_case.
        _start_deadlines(case, ct, "created", now, since=False if ct.detail else None)
        search.refresh(case)
    return case


def start_case(
    school,
    type_name,
    form,
    user=None,
    *,
    title=None,
    actor="",
    text="",
    confidential=None,
    submitter_email="",
    access_code_hash="",
    values=None,
    after=None,
    origin=None,
    start=None,
):
    """Begin a case of ``type_name`` from its start form: the one way every case begins.

    In one transaction: the case in its initial state (reference, checklist, the first
    timeline entry, deadlines), its detail row (the form fields whose names are columns
    of the type's detail model, plus ``Start.values`` and ``values``), ``Start.after``
    and ``after`` (more rows of the plugin), mail to the holders of ``Start.notify``
    (the reference only, never details) and the audit row ``case.create``. A public
    start (a parent's form) passes its submitter's address and code hash. ``origin``: the
    case this one follows from (``Start.follows``), linked to it in the same transaction.
    ``start``: which of the type's starts (``CaseType.more_starts``); None: ``CaseType.start``.
    """
    ct = case_type(type_name)
    start = start or ct.start
    if start.follow_up_only and origin is None:
        raise ValueError(f"{type_name}: {start.label!r} starts only from another case (follow_up_only)")
    kw = {"form": form, "user": user, "school": school, "origin": origin}
    if title is None:
        title = call(start.title, **kw) if callable(start.title) else fill_title(start.title, form)
    detail_values = _form_values(ct.detail, form)
    if start.values:
        detail_values.update(call(start.values, **kw))
    detail_values.update(values or {})
    with atomic():
        case = create_case(
            school,
            type_name,
            title or ct.title,
            user,
            confidential=start.confidential if confidential is None else confidential,
            actor=actor,
            text=text or start.text,
            submitter_email=submitter_email,
            access_code_hash=access_code_hash,
            assignee=user if start.assign_to_starter else None,
        )
        detail = ct.detail.create(case=case.id, **detail_values) if ct.detail else None
        if detail is not None:
            _start_deadlines(case, ct, "created", case.created_at, since=True)
        _name_pupils(case, form, user)
        if origin is not None:
            links.link(origin, case, user)
        for extra in (start.after, after):
            if extra is not None:
                call(extra, case=case, detail=detail, **kw)
        if start.notify:
            _notify_start(case, ct, start, user, detail)
        search.refresh(case)  # again: with the detail row and the names typed for pupils
        audit("case.create", case=case, school=school, detail=type_name)
    return case


def _name_pupils(case, form, user):
    """The pupils the start form names: a pupil chosen in the register (``PupilField``) is
    linked with the field's role; a name someone typed (``PupilNameField``) is kept as a
    pupil "niet gekoppeld", for staff to link."""
    for field in form or ():
        kind = getattr(field, "kind", "")
        if kind == "pupil" and field.pupil is not None:
            pupils.link(case, field.pupil, user, field.role)
        elif kind == "pupil_name":
            pupils.note_name(case, field.data, field.role)


def _form_values(model, form):
    """The form's values for the detail model's columns of the same name (text stripped)."""
    if model is None or form is None:
        return {}
    columns = set(model._meta.fields) - {"id", "case"}
    # A field missing from the post (None) is left out, so the column's default applies.
    return {
        f.name: _stored(f.data)
        for f in form
        if f.name in columns and f.data is not None and not isinstance(f.data, list)
    }


def fill(text, values):
    """``{name}`` in ``text`` replaced by ``values[name]``; unknown names stay as typed. A plain
    substitution on purpose: ``str.format`` on a text a school types could reach attributes
    (``{x.__class__}``)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text or "")


def fill_title(template, form):
    """A title from a text with ``{field}`` placeholders filled from the form (a choice shows
    its label)."""
    return fill(template, {f.name: display(f).strip() for f in form} if form is not None else {})


def _notify_start(case, ct, start, starter, detail):
    """Mail who must know a case began: the reference only, never what it is about (or the
    start's own ``notify_text``)."""
    if start.notify_text is not None:
        subject, body = call(start.notify_text, case=case, detail=detail, user=starter, school=case.school)
    else:
        subject = f"Nieuwe zaak {case.reference}: {ct.title.lower()}"
        body = (
            f"Bij {case.school.name} is een nieuwe zaak gestart: {case.reference} "
            f"({ct.title.lower()}).\nLog in op het Veiligheidsportaal om die te bekijken. Deze "
            "e-mail bevat bewust geen details."
        )
    for person in users_with_permission(case.school, start.notify):
        if starter is None or person.id != starter.id:
            mail.queue(person.email, subject, body, case=case)


# ------------------------------------------------------------ transitions ----


def allowed_transitions(case, user):
    """Transitions the user may take from the case's current state."""
    ct = case_type(case.case_type)
    return [
        t
        for t in sorted(ct.transitions, key=lambda t: t.order)  # stable: as declared within an order
        if case.state in t.sources and has_permission(user, case.school, t.permission)
    ]


def make_form(transition, formdata=None):
    if transition.form is None:
        return None
    return transition.form(formdata=formdata)


def run_transition(case, name, user, formdata=None):
    """Take transition ``name``; return an ``Outcome`` or raise ``TransitionRefused``."""
    ct = case_type(case.case_type)
    try:
        t = ct.transition(name)
    except KeyError:
        audit("case.transition", case=case, outcome="refused", detail=str(name)[:80])
        raise TransitionRefused("Deze stap bestaat niet voor dit soort zaak.") from None
    form = make_form(t, MultiDict(formdata or {}))
    target = ct.state(t.target)
    # Every refusal is audited, not only the guard's (ASVS 16.3: failed authorisation too).
    if case.state not in t.sources:
        reason = f"De stap ‘{t.label}’ kan niet vanuit de status ‘{ct.state(case.state).title}’."
    elif not has_permission(user, case.school, t.permission):
        reason = f"U mag de stap ‘{t.label}’ niet zetten."
    elif form is not None and not form.validate():
        reason = "Controleer de gemarkeerde velden."
    else:
        reason = guard_reason(call(t.guard, **_arguments(case, ct, form, user)), form) if t.guard else None
        reason = reason or get_pm().hook.check_transition(case=case, transition=t, user=user)
        if not reason and target.closed:
            reason = closing_blocker(case, ct)
    if reason:
        audit("case.transition", case=case, outcome="refused", detail=t.name)
        raise TransitionRefused(reason, form)

    now = utcnow()
    try:
        event = _commit_transition(case, ct, t, target, form, user, now)
    except TransitionRefused:
        audit("case.transition", case=case, outcome="refused", detail=f"{t.name} (gelijktijdig)")
        raise
    get_pm().hook.case_transitioned(case=case, transition=t, user=user, event=event)
    return Outcome(case, event)


def _locked_case(case_id):
    """The case row, read again inside the write transaction and locked until it ends.

    Two people taking a step on the same case at the same moment: the second waits for
    the first and then sees the new state (and is refused). On PostgreSQL that needs
    ``SELECT … FOR UPDATE``; SQLite's write transactions (BEGIN IMMEDIATE) already
    run one at a time."""
    query = Case.select().where(Case.id == case_id)
    if not is_sqlite():
        query = query.for_update()
    return query.get()


def _commit_transition(case, ct, t, target, form, user, now):
    with atomic():
        fresh = _locked_case(case.id)
        if fresh.state != case.state:
            raise TransitionRefused(
                "De zaak is intussen door iemand anders gewijzigd. Bekijk de "
                "nieuwe stand en probeer het zo nodig opnieuw.",
                form,
            )
        data = _form_data(form)
        _copy_to_detail(case, ct, t, form)
        if t.record is not None:
            _record_row(t.record, case, form, user, t.fixed)
        extra_text = call(t.apply, **_arguments(case, ct, form, user)) if t.apply else None
        case.state = t.target
        case.updated_at = now
        if target.closed:
            case.closed_at = now
            case.retention_until = local(now).date() + datetime.timedelta(days=retention_days(case, ct))
        elif case.closed_at is not None:
            case.closed_at = None
            case.retention_until = None
        case.save(only=[Case.state, Case.updated_at, Case.closed_at, Case.retention_until])
        event = CaseEvent.create(
            case=case,
            at=now,
            kind="transition",
            user=user.id,
            actor=user.name,
            transition=t.name,
            from_state=fresh.state,
            to_state=t.target,
            text=extra_text or "",
            data=data,
            visible_to_submitter=t.public,
        )
        _meet_deadlines(case, ct, t.name, target.closed, now)
        _start_deadlines(case, ct, t.name, now)
        search.refresh(case)
        # In the same transaction: the change and its audit row stand or fall together.
        audit("case.transition", case=case, detail=t.name)
    return event


def retention_days(case, ct):
    """How many days a closed case of ``ct`` is kept: ``CaseType.retention_days``, a number or
    a callable (a period each school sets); never less than a day."""
    days = ct.retention_days
    if callable(days):
        days = call(days, **_arguments(case, ct))
    return max(1, int(days))


def closing_blocker(case, ct):
    """Dutch reason why the case may not close yet (required checklist items), or None."""
    decls = {c.name: c for c in ct.checklist}
    missing = []
    for item in (
        CaseChecklistItem.select()
        .where((CaseChecklistItem.case == case.id) & CaseChecklistItem.done_at.is_null())
        .order_by(CaseChecklistItem.position)
    ):
        decl = decls.get(item.name)
        required = item.required
        if decl is not None and callable(decl.required):
            required = bool(call(decl.required, **_arguments(case, ct)))
        if required:
            missing.append(item.label)
    if missing:
        return "De zaak kan nog niet worden afgesloten. Nog af te vinken: " + "; ".join(missing) + "."
    return None


def is_required(case, item):
    ct = case_type(case.case_type)
    decl = {c.name: c for c in ct.checklist}.get(item.name)
    if decl is not None and callable(decl.required):
        return bool(call(decl.required, **_arguments(case, ct)))
    return item.required


def _form_data(form):
    """What the form held, for the timeline: raw ``values`` and ``shown`` (label, text) pairs."""
    if form is None:
        return None
    values, shown = {}, []
    for f in form:
        if f.type in ("CSRFTokenField", "SubmitField", "HiddenField"):
            continue
        value = f.data
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        values[f.name] = value
        text = display(f)
        if text:
            shown.append([f.label.text, text])
    return {"values": values, "shown": shown}


def display(field):
    """A field's value as Dutch text: choice labels, dates written out, ja/nee."""
    from ..dates import nl_date

    value = field.data
    if value is None or value == "" or value == []:
        return ""
    choices = dict(getattr(field, "choices", None) or [])
    if choices:
        if isinstance(value, list | tuple):
            return ", ".join(str(choices.get(v, v)) for v in value)
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return "ja" if value else ""
    if isinstance(value, datetime.date):
        return nl_date(value)
    return str(value)


# -------------------------------------------------------------- deadlines ----


def _start_deadlines(case, ct, event_name, now, since=None):
    """Start the deadlines of ``ct`` that start at ``event_name``, which happened at ``now``
    (naive UTC). ``since`` False: leave out those counted from a moment of the detail row
    (``Deadline.since``), which does not exist yet; True: only those."""
    cal = None
    day = local(now).date()
    for d in ct.deadlines:
        if d.start != event_name or (since is not None and since != (d.since is not None)):
            continue
        if d.due is not None:
            due = call(d.due, **_arguments(case, ct))
            if due is not None:
                add_deadline(case, d.name, d.label, due)
            continue
        days = call(d.days, **_arguments(case, ct)) if callable(d.days) else d.days
        if d.hours:
            begin = call(d.since, **_arguments(case, ct)) if d.since else None
            begin = now if begin is None else to_utc(begin)
            due_at = begin + datetime.timedelta(hours=days)
            add_deadline(case, d.name, d.label, local(due_at).date(), due_at=due_at)
            continue
        if d.school_days:
            cal = cal or SchoolCalendar.for_school(case.school)
            due = cal.add_school_days(day, days)
        else:
            due = day + datetime.timedelta(days=days)
        add_deadline(case, d.name, d.label, due)


def add_deadline(case, name, label, due_date, due_at=None):
    """Add or move a deadline of a case (plugins call this for their own dates); ``due_at``
    (naive UTC) for one due at a moment, such as 72 hours after a discovery."""
    (
        CaseDeadline.insert(case=case.id, name=name, label=label, due_date=due_date, due_at=due_at)
        .on_conflict(
            conflict_target=[CaseDeadline.case, CaseDeadline.name],
            update={
                CaseDeadline.due_date: due_date,
                CaseDeadline.due_at: due_at,
                CaseDeadline.label: label,
                CaseDeadline.met_at: None,
            },
        )
        .execute()
    )


def _meet_deadlines(case, ct, transition_name, closing, now):
    names = [d.name for d in ct.deadlines if transition_name in d.met_by]
    q = CaseDeadline.update(met_at=now).where((CaseDeadline.case == case.id) & CaseDeadline.met_at.is_null())
    if closing:
        q.execute()
    elif names:
        q.where(CaseDeadline.name.in_(names)).execute()


# --------------------------------------------------------- other changes ----


def add_event(case, kind, user=None, text="", visible_to_submitter=False, actor="", data=None):
    """Append to the timeline and mark the case changed (call inside ``atomic()``)."""
    now = utcnow()
    Case.update(updated_at=now).where(Case.id == case.id).execute()
    event = CaseEvent.create(
        case=case.id,
        at=now,
        kind=kind,
        user=user.id if user else None,
        actor=actor or (user.name if user else ""),
        text=text,
        visible_to_submitter=visible_to_submitter,
        data=data,
    )
    search.refresh(case.id)
    return event


def step_user(case, transition):
    """Who took step ``transition`` of ``case`` last (the signer of a letter about it), or
    None (the step was not taken, or its user was removed)."""
    event = (
        CaseEvent.select()
        .where((CaseEvent.case == case.id) & (CaseEvent.transition == transition))
        .order_by(CaseEvent.id.desc())
        .first()
    )
    return event.user if event is not None and event.user_id else None


def add_note(case, user, text, visible_to_submitter=False, token_hash=None, after=None):
    """A note, or a message to the parent (who is told by mail, in their language, when they
    left an address). ``token_hash``: of the form that posted it, so that the same form sent
    again adds nothing (``add_note`` then returns None); ``after(event)`` runs in the same
    transaction (attachments of the entry)."""
    from ..public import tell_parent

    with atomic():
        if token_hash and CaseEvent.select().where(CaseEvent.form_token_hash == token_hash).exists():
            return None
        kind = "message" if visible_to_submitter else "note"
        event = add_event(case, kind, user, text, visible_to_submitter)
        if token_hash:
            event.form_token_hash = token_hash
            event.save(only=[CaseEvent.form_token_hash])
        if after is not None:
            after(event)
        if visible_to_submitter:
            tell_parent(case)
        audit("case.message" if visible_to_submitter else "case.note", case=case)
    return event


def tick(case, item, user, done_on=None, note=""):
    """Tick a checklist item (a row, or its name: then only if the case has it and it is
    still open, else nothing happens)."""
    if isinstance(item, str):
        item = CaseChecklistItem.get_or_none(
            (CaseChecklistItem.case == case.id)
            & (CaseChecklistItem.name == item)
            & CaseChecklistItem.done_at.is_null()
        )
        if item is None:
            return
    with atomic():
        CaseChecklistItem.update(
            done_at=done_on or local(utcnow()).date(), done_by=user.id, note=note[:500]
        ).where(CaseChecklistItem.id == item.id).execute()
        add_event(case, "checklist", user, f"Afgevinkt: {item.label}", data={"item": item.name})
        CaseDeadline.update(met_at=utcnow()).where(
            (CaseDeadline.case == case.id) & (CaseDeadline.name == f"checklist:{item.name}")
        ).execute()
    audit("case.checklist", case=case, detail=item.name)


def untick(case, item, user):
    with atomic():
        CaseChecklistItem.update(done_at=None, done_by=None).where(CaseChecklistItem.id == item.id).execute()
        add_event(case, "checklist", user, f"Weer open: {item.label}", data={"item": item.name})
        CaseDeadline.update(met_at=None).where(
            (CaseDeadline.case == case.id) & (CaseDeadline.name == f"checklist:{item.name}")
        ).execute()
    audit("case.checklist", case=case, detail=f"undo {item.name}")


def add_checklist_item(case, name, label, required=False, due_date=None, assignee=None):
    """Add an item to one case's checklist (e.g. from a school's own step plan).

    An item with a due date also becomes a deadline ``checklist:<name>`` that
    ticking the item meets.
    """
    pos = CaseChecklistItem.select().where(CaseChecklistItem.case == case.id).count()
    item = CaseChecklistItem.create(
        case=case.id,
        name=name,
        label=label[:300],
        required=required,
        position=pos,
        due_date=due_date,
        assignee=assignee,
    )
    if due_date is not None:
        add_deadline(case, f"checklist:{name}", label[:300], due_date)
    return item


def assign(case, assignee, user):
    """Make ``assignee`` (None: nobody) the case's handler; on the timeline, in the audit log,
    and a mail to the new assignee unless they assigned themselves. Inside a transition's
    ``apply`` it joins that transaction."""
    with atomic():
        Case.update(assignee=assignee.id if assignee else None).where(Case.id == case.id).execute()
        # The id, not the object: ``assignee`` may be a PortalUser, which peewee would keep
        # as the foreign key's value.
        case.assignee_id = assignee.id if assignee else None
        text = f"Toegewezen aan {assignee.name}" if assignee else "Toewijzing opgeheven"
        add_event(case, "assign", user, text)
        if assignee is not None and assignee.email and (user is None or assignee.id != user.id):
            mail.queue(
                assignee.email,
                f"Zaak {case.reference} is aan u toegewezen",
                f"De zaak {case.reference} is aan u toegewezen. Log in om die te bekijken.",
                case=case,
            )
        audit("case.assign", case=case, detail=str(assignee.id if assignee else ""))


def set_checklist_due(case, name, due_date):
    """Give checklist item ``name`` of the case a due date, which also becomes the deadline
    ``checklist:<name>`` that ticking the item meets (call inside a transaction)."""
    item = CaseChecklistItem.get_or_none(
        (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == name)
    )
    if item is None:
        raise KeyError(f"{case.reference} has no checklist item {name!r}")
    CaseChecklistItem.update(due_date=due_date).where(CaseChecklistItem.id == item.id).execute()
    add_deadline(case, f"checklist:{name}", item.label, due_date)


def exclude(case, person, by, reason=""):
    """``person`` never sees this case again (the staff member a complaint is about): not in
    any list, count or page; an assignment to them ends. On the timeline; audited."""
    from ..models import CaseExclusion

    with atomic():
        CaseExclusion.insert(case=case.id, user=person.id).on_conflict_ignore().execute()
        if case.assignee_id == person.id:
            Case.update(assignee=None).where(Case.id == case.id).execute()
            case.assignee = None
        add_event(
            case, "note", by, reason or f"{person.name} is uitgesloten van deze zaak en ziet die nergens."
        )
        audit("case.exclude", case=case, detail=f"user={person.id}")


def include(case, person, by, reason=""):
    """Undo an exclusion (a wrong match): ``person`` may see the case again as their roles
    allow. On the timeline; audited."""
    from ..models import CaseExclusion

    with atomic():
        CaseExclusion.delete().where(
            (CaseExclusion.case == case.id) & (CaseExclusion.user == person.id)
        ).execute()
        add_event(case, "note", by, reason or f"{person.name} is niet langer uitgesloten van deze zaak.")
        audit("case.include", case=case, detail=f"user={person.id}")


def excluded(case):
    """The people excluded from ``case``."""
    from ..models import CaseExclusion
    from ..models import User

    return list(
        User.select()
        .join(CaseExclusion, on=(CaseExclusion.user == User.id))
        .where(CaseExclusion.case == case.id)
        .order_by(User.name)
    )


def set_confidential(case, confidential, by=None, text=""):
    """Make a case confidential (only its assignee and the type's confidential roles see it)
    or open to every holder of the type's view permission (e.g. shared with the board)."""
    with atomic():
        Case.update(confidential=confidential).where(Case.id == case.id).execute()
        case.confidential = confidential
        if text:
            add_event(case, "note", by, text, actor="" if by else "Veiligheidsportaal")
        audit("case.confidential", case=case, detail="on" if confidential else "off")


def backdate(case, created_at, closed_at=None, deadlines=True):
    """Move a case's creation (and closing) into the past: for demo data and imports only,
    so that deadlines and figures have something to show. The type's deadlines that start
    at creation are counted again from the new date."""
    with atomic():
        if deadlines:
            case.created_at = created_at
            _start_deadlines(case, case_type(case.case_type), "created", created_at)
        values = {Case.created_at: created_at, Case.updated_at: max(created_at, closed_at or created_at)}
        if closed_at is not None:
            values[Case.closed_at] = closed_at
        Case.update(values).where(Case.id == case.id).execute()
        CaseEvent.update(at=created_at).where(
            (CaseEvent.case == case.id) & (CaseEvent.kind == "created")
        ).execute()


def keep_pupil_names(db, table, column, role="betrokken", lines=False):
    """For a plugin's migration, once the pupil register exists: the name of a pupil that a
    case's row in ``table`` keeps as text in ``column`` (typed before there was a register)
    becomes a pupil of that case "niet gekoppeld" (``portal_case_pupil`` without a pupil),
    with ``role``: the case page shows the child, and staff can link the register's pupil.
    ``lines``: every line of the text is a name. The text itself stays as it is. A case that
    already names a pupil keeps what it has, so running it again adds nothing. Returns the
    number of names kept."""
    if "portal_case_pupil" not in db.get_tables():
        # Only a database built to an artificial state (a test's) lacks the table: the
        # core's migrations, which make it, always run before any plugin's.
        return 0
    rows = db.execute_sql(
        f'SELECT t."case_id", t."{column}", c."created_at" FROM "{table}" t '  # noqa: S608 - names from code
        'JOIN "portal_case" c ON c."id" = t."case_id" '
        'WHERE t."case_id" NOT IN (SELECT "case_id" FROM "portal_case_pupil") ORDER BY t."case_id"'
    ).fetchall()
    insert = (
        'INSERT INTO "portal_case_pupil" ("case_id", "pupil_id", "name", "role", "linked_at") '
        "VALUES (%s, NULL, %s, %s, %s)"
    ).replace("%s", db.param)
    kept = 0
    for case_id, text, created_at in rows:
        names = (text or "").splitlines() if lines else [text or ""]
        # The column takes 200 characters; a name is never longer (a longer line is a text).
        for name in dict.fromkeys(n.strip()[:200] for n in names if n.strip()):
            db.execute_sql(insert, (case_id, name, role, created_at))
            kept += 1
    return kept
