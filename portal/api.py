"""The public plugin API: everything a plugin may use of the core, in one module.

A plugin imports core names from here and from nowhere else (a test checks the
built-in plugins). What is not here is the core's own business and may change.
docs/plugins.md lists every name with what it is for.

Plugins read the core's tables (``Case``, ``CaseEvent``, ...) for their pages and
figures, but they never write them: a case changes only through the engine
functions below (``start_case``, ``run_transition``, ``add_event``, ``assign``,
``add_deadline``, ``set_checklist_due``, ``tick``, ...).
"""

from flask import abort
from flask import g
from flask import has_request_context
from flask import url_for
from flask_login import current_user

from .access import LOGIN
from .access import has_permission
from .access import holders_of
from .access import public
from .access import requires
from .access import schools_enabling
from .access import staff_named
from .access import staff_of
from .access import users_with_permission
from .audit import audit
from .calls import call
from .cases.engine import TransitionRefused
from .cases.engine import add_checklist_item
from .cases.engine import add_deadline
from .cases.engine import add_event
from .cases.engine import add_note
from .cases.engine import assign
from .cases.engine import backdate
from .cases.engine import case_type
from .cases.engine import detail_of
from .cases.engine import exclude
from .cases.engine import excluded
from .cases.engine import fill
from .cases.engine import include
from .cases.engine import keep_pupil_names
from .cases.engine import rows
from .cases.engine import run_transition
from .cases.engine import set_checklist_due
from .cases.engine import set_confidential
from .cases.engine import start_case
from .cases.engine import step_user
from .cases.engine import tick
from .cases.links import linked as linked_cases
from .cases.starts import endpoint as start_endpoint
from .cases.visibility import can_view
from .cases.visibility import get_visible
from .cases.visibility import visible_condition
from .contacts import CONTACT_ROLES
from .contacts import SchoolContact
from .contacts import school_contacts
from .dates import local
from .dates import nl_date
from .dates import nl_datetime
from .dates import school_year_bounds
from .dates import school_year_of
from .dates import to_utc
from .dates import today
from .db import BaseModel
from .db import atomic
from .db import is_sqlite
from .declarations import ROLES
from .declarations import STAFF_ROLES
from .declarations import CaseType
from .declarations import ChecklistItem
from .declarations import Deadline
from .declarations import DocumentTemplate
from .declarations import NavItem
from .declarations import Panel
from .declarations import Permission
from .declarations import PlanSection
from .declarations import ReportFigure
from .declarations import Setting
from .declarations import Start
from .declarations import State
from .declarations import Transition
from .declared import Plugin
from .documents import html_to_pdf
from .documents import pdf_download
from .documents import render_letter
from .figures import COARSE
from .figures import at_school
from .figures import coarse
from .figures import count
from .figures import count_by
from .figures import count_if
from .figures import done_item
from .figures import in_school_year
from .figures import open_item
from .figures import overdue
from .figures import per_month
from .figures import per_school
from .figures import sum_by
from .figures import top
from .figures import total
from .figures import totals
from .figures import year_rows
from .forms import BooleanField
from .forms import CaseField
from .forms import ConfirmField
from .forms import DataRequired
from .forms import DateField
from .forms import Email
from .forms import EmailField
from .forms import Form
from .forms import HiddenField
from .forms import InputRequired
from .forms import IntegerField
from .forms import Length
from .forms import MultiCheckboxField
from .forms import NumberRange
from .forms import Optional
from .forms import RadioField
from .forms import SelectField
from .forms import StringField
from .forms import TelField
from .forms import TextAreaField
from .forms import TimeField
from .forms import ValidationError
from .forms import WebAddressField
from .forms import bounded_int
from .forms import clean
from .forms import date_field
from .forms import email_field
from .forms import label
from .forms import line
from .forms import name_field
from .forms import no_nul
from .forms import not_in_future
from .forms import one_line
from .forms import phone_characters
from .forms import phone_field
from .forms import posted
from .forms import text
from .forms import text_form
from .hookspecs import hookimpl
from .i18n import N_
from .i18n import lazy_gettext as translatable
from .i18n import parents
from .letters import LetterRefused
from .letters import board as letter_board
from .letters import require_setting
from .letters import salutation
from .letters import signer
from .letters import words
from .mail import queue as queue_mail
from .models import Case
from .models import CaseChecklistItem
from .models import CaseDeadline
from .models import CaseDocument
from .models import CaseEvent
from .models import CaseExclusion
from .models import CasePupil
from .models import Partner
from .models import School
from .models import User
from .models import utcnow
from .partners import PARTNER_KINDS
from .partners import adopt_partners
from .partners import partner_choices
from .partners import partner_kind_label
from .partners import tel_link
from .public import start_public_case
from .pupils import CASE_ROLES as PUPIL_ROLES
from .pupils import PupilRefused
from .pupils import case_pupils
from .pupils import full_name as pupil_name
from .pupils import link as link_pupil
from .pupils.demo import demo_pupil
from .pupils.field import PupilField
from .pupils.field import PupilNameField
from .schoolcalendar import SchoolCalendar
from .schoolcalendar import term_end
from .sessions import PortalUser
from .settings import get_setting
from .settings import set_setting
from .throttle import Limit as ThrottleLimit
from .throttle import attempt as throttle_attempt
from .throttle import forgive as throttle_forgive
from .throttle import record_failure as throttle_record
from .throttle import wait_seconds as throttle_wait
from .urls import case_url
from .urls import external_url
from .webaddress import AddressError as WebAddressError
from .webaddress import covers as domain_covers
from .webaddress import domain_of as web_domain
from .webaddress import link as web_link
from .webaddress import parse as parse_web_address


def acting_user(user):
    """A ``User`` row as the engine expects the one who acts (outside a request: demo data,
    commands)."""
    return PortalUser(user, None)


def visible_case(reference, type_name=None):
    """For a plugin's own page about one case: the case ``reference`` of the request's
    school, if the user may see it (and it is of ``type_name``). Otherwise the refusal is
    audited and the answer is 404, which does not tell whether the case exists."""
    case = get_visible(g.school, str(reference)[:40], current_user)
    if case is None or (type_name is not None and case.case_type != type_name):
        audit("case.view", outcome="denied", detail=str(reference)[:40])
        abort(404)
    return case


def open_cases(user, school, type_name):
    """How many open cases of ``type_name`` at ``school`` ``user`` may see (for a panel)."""
    return _open_counts(user, school).get(type_name, 0)


def _open_counts(user, school):
    """The open cases ``user`` may see at ``school``, per case type, in one statement, kept
    for the rest of the request: a dashboard asks for about ten types, and building the
    visibility rule's SQL ten times cost more than running it. ``case_type IN (…)`` keeps
    it to the open cases of each type (the (school, type, closed_at) index), not the
    school's history."""
    from peewee import fn

    from .registry import get_registry

    kept = g.setdefault("portal_open_counts", {}) if has_request_context() else {}
    key = (user.id, school.id)
    if key not in kept:
        types = sorted(get_registry().case_types)
        kept[key] = dict(
            Case.select(Case.case_type, fn.COUNT(Case.id))
            .where(visible_condition(user, school) & Case.case_type.in_(types) & Case.closed_at.is_null())
            .group_by(Case.case_type)
            .tuples()
        )
    return kept[key]


def open_cases_line(label, user, school, type_name):
    """A dashboard panel's line: how many open cases of ``type_name`` the user may see, as a
    link to them in the case list."""
    return (label, open_cases(user, school, type_name), url_for("cases.index", soort=type_name))


__all__ = [
    "term_end",
    "done_item",
    "LetterRefused",
    "letter_board",
    "require_setting",
    "salutation",
    "signer",
    "words",
    "N_",
    "translatable",
    "BaseModel",
    "BooleanField",
    "Case",
    "CaseChecklistItem",
    "CaseDeadline",
    "CaseDocument",
    "CaseEvent",
    "CaseExclusion",
    "CaseField",
    "CasePupil",
    "CaseType",
    "CONTACT_ROLES",
    "ChecklistItem",
    "ConfirmField",
    "DataRequired",
    "DateField",
    "Deadline",
    "DocumentTemplate",
    "Email",
    "EmailField",
    "Form",
    "HiddenField",
    "InputRequired",
    "IntegerField",
    "LOGIN",
    "Length",
    "MultiCheckboxField",
    "NavItem",
    "NumberRange",
    "Optional",
    "PARTNER_KINDS",
    "Panel",
    "Partner",
    "Permission",
    "PlanSection",
    "Plugin",
    "PUPIL_ROLES",
    "PupilField",
    "PupilNameField",
    "PupilRefused",
    "ROLES",
    "RadioField",
    "ReportFigure",
    "STAFF_ROLES",
    "School",
    "SchoolContact",
    "SchoolCalendar",
    "SelectField",
    "Setting",
    "Start",
    "State",
    "StringField",
    "TelField",
    "TextAreaField",
    "ThrottleLimit",
    "TimeField",
    "Transition",
    "TransitionRefused",
    "User",
    "ValidationError",
    "WebAddressError",
    "WebAddressField",
    "acting_user",
    "add_checklist_item",
    "add_deadline",
    "add_event",
    "add_note",
    "adopt_partners",
    "assign",
    "at_school",
    "atomic",
    "audit",
    "backdate",
    "bounded_int",
    "call",
    "can_view",
    "case_pupils",
    "case_type",
    "case_url",
    "clean",
    "coarse",
    "COARSE",
    "count",
    "count_by",
    "count_if",
    "date_field",
    "demo_pupil",
    "detail_of",
    "domain_covers",
    "email_field",
    "exclude",
    "excluded",
    "external_url",
    "fill",
    "get_setting",
    "get_visible",
    "has_permission",
    "holders_of",
    "hookimpl",
    "html_to_pdf",
    "in_school_year",
    "include",
    "is_sqlite",
    "keep_pupil_names",
    "label",
    "line",
    "linked_cases",
    "link_pupil",
    "local",
    "to_utc",
    "name_field",
    "nl_date",
    "nl_datetime",
    "no_nul",
    "not_in_future",
    "one_line",
    "open_cases",
    "open_cases_line",
    "open_item",
    "overdue",
    "parse_web_address",
    "partner_choices",
    "partner_kind_label",
    "pdf_download",
    "per_month",
    "per_school",
    "phone_characters",
    "phone_field",
    "posted",
    "parents",
    "public",
    "pupil_name",
    "queue_mail",
    "render_letter",
    "requires",
    "rows",
    "run_transition",
    "school_contacts",
    "school_year_bounds",
    "school_year_of",
    "schools_enabling",
    "set_checklist_due",
    "set_confidential",
    "set_setting",
    "staff_named",
    "staff_of",
    "start_case",
    "step_user",
    "start_endpoint",
    "start_public_case",
    "sum_by",
    "tel_link",
    "text",
    "text_form",
    "throttle_attempt",
    "throttle_forgive",
    "throttle_record",
    "throttle_wait",
    "tick",
    "today",
    "top",
    "total",
    "totals",
    "users_with_permission",
    "utcnow",
    "visible_case",
    "visible_condition",
    "web_domain",
    "web_link",
    "year_rows",
]
