"""Turning a submitted form into a complaint case, and finding it again with a code."""

from flask import has_request_context
from flask import url_for
from peewee import IntegrityError

from portal import mail
from portal import throttle
from portal.access import users_with_permission
from portal.audit import audit
from portal.cases import engine
from portal.db import atomic
from portal.models import Case
from portal.settings import get_setting

from . import codes
from . import sensitive
from .choices import CATEGORIES
from .choices import TYPE_NAME
from .choices import label
from .models import Klacht

SUBMITTER = "Indiener (ouder/verzorger)"
SUBMIT_KIND = "klachten.indienen"  # the audit action and the throttle kind of a submission


def _follow_url(school):
    if has_request_context():
        return url_for("klachten.volgen", school=school.slug, _external=True)
    return f"de volgpagina van {school.name}"


def submit(school, data, form_token="", code=None, throttle_keys=()):
    """Create the complaint; return (case, code) or (existing case, None) for a repeated form.

    The case, its details, the timeline, the mail, the audit row and the submission's
    count towards the throttle (``throttle_keys``) are one transaction: once it has
    committed nothing else is written, so a parent whose complaint was stored always
    gets the receipt with the code."""
    code = code or codes.new_code()
    token_hash = codes.token_hash(form_token) if form_token else None
    try:
        with atomic():
            if token_hash:
                earlier = Klacht.get_or_none(Klacht.form_token_hash == token_hash)
                if earlier is not None:
                    return Case.get_by_id(earlier.case_id), None
            case = _create(school, data, code, token_hash)
            audit(SUBMIT_KIND, case=case, school=school)
            if throttle_keys:
                throttle.record_failure(SUBMIT_KIND, throttle_keys)
    except IntegrityError:
        # A double click raced the first submission on PostgreSQL: that one won.
        earlier = Klacht.get(Klacht.form_token_hash == token_hash)
        return Case.get_by_id(earlier.case_id), None
    return case, code


def _create(school, data, code, token_hash):
    email = (data.get("contact_email") or "").strip()
    case = engine.create_case(
        school, TYPE_NAME, f"Klacht: {label(CATEGORIES, data['category']).lower()}",
        None, confidential=True, actor=SUBMITTER, text="Klacht ingediend via het klachtformulier.",
        submitter_email=email, access_code_hash=codes.code_hash(code),
    )
    Klacht.create(
        case=case, category=data["category"],
        pupil_name=data.get("pupil_name") or "", pupil_group=data.get("pupil_group") or "",
        what_happened=data["what_happened"], happened_when=data.get("happened_when") or "",
        tried_teacher=bool(data.get("tried_teacher")),
        tried_directie=bool(data.get("tried_directie")),
        tried_other=data.get("tried_other") or "", hoped_for=data.get("hoped_for") or "",
        contact_name=data.get("contact_name") or "", contact_email=email,
        contact_phone=data.get("contact_phone") or "", staff_named=data.get("staff_named") or "",
        form_token_hash=token_hash,
    )
    if email:
        # The reference only: the code is never sent, so a read mailbox cannot open the case.
        mail.queue(
            email, f"Uw klacht is ontvangen ({case.reference})",
            f"Beste ouder of verzorger,\n\n{school.name} heeft uw klacht ontvangen. Uw "
            f"referentie is {case.reference}.\n\nU volgt uw klacht op {_follow_url(school)} met "
            "deze referentie en de code die u na het indienen kreeg. De code staat om "
            "veiligheidsredenen niet in deze e-mail.\n\nMet vriendelijke groet,\n"
            f"de contactpersoon van {school.name}", school=school)
    notify_staff(case, f"Nieuwe klacht ontvangen ({case.reference})",
                 f"Bij {school.name} is een nieuwe klacht binnengekomen: {case.reference}.\n"
                 "Log in op het Veiligheidsportaal om die te bekijken. Deze e-mail bevat "
                 "bewust geen details.")
    if sensitive.is_sexual_by_staff(data["category"], data.get("staff_named")):
        sensitive.start_reporting_duty(case)
    return case


def notify_staff(case, subject, body):
    """Mail whoever should hear of a complaint: its assignee, or else the holders of
    klachten.notify (the contactpersoon) plus the school's extra address."""
    from portal.models import CaseExclusion
    from portal.models import User

    excluded = {e.user_id for e in CaseExclusion.select().where(CaseExclusion.case == case.id)}
    if case.assignee_id:
        people = [User.get_by_id(case.assignee_id)]
    else:
        people = users_with_permission(case.school, "klachten.notify")
    sent = set()
    for user in people:
        if user.id not in excluded and user.email and user.email not in sent:
            mail.queue(user.email, subject, body, school=case.school)
            sent.add(user.email)
    extra = get_setting(case.school, "klachten.notify_email")
    if extra and extra not in sent:
        mail.queue(extra, subject, body, school=case.school)


def find(school, reference, code):
    """The complaint with this reference and code, or None: the same for every failure."""
    reference = (reference or "").strip().upper()[:40]
    case = Case.get_or_none(
        (Case.school == school.id) & (Case.reference == reference)
        & (Case.case_type == TYPE_NAME))
    # Always compare, also without a case, so a missing reference is not faster.
    stored = case.access_code_hash if case is not None else ""
    if not codes.matches(code, stored):
        return None
    case.school = school
    return case


def add_information(case, text):
    with atomic():
        engine.add_event(case, "submitter", None, text, visible_to_submitter=True,
                         actor="Indiener")
        notify_staff(case, f"Aanvulling op klacht {case.reference}",
                     f"De indiener heeft informatie toegevoegd aan klacht {case.reference}.\n"
                     "Log in op het Veiligheidsportaal om die te lezen.")
    audit("klachten.aanvulling", case=case)
