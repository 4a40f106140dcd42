"""What the case page, the letters and the figures need to know about one event."""

import re

from portal.cases.engine import case_type
from portal.dates import nl_date
from portal.models import CaseChecklistItem
from portal.models import User
from portal.settings import get_setting

from .models import TraumaEngagement
from .models import TraumaEvent
from .vocab import HANDLED
from .vocab import KINDS
from .vocab import SCOPES
from .vocab import label

LETTER_SETTING = "trauma.ouderbrief"

# Paragraphs are separated by a blank line; a single newline is kept as a line break.
DEFAULT_LETTER = "\n\n".join((
    "Beste ouders en verzorgers van {groep},",
    "Met deze brief informeren wij u over een ingrijpende gebeurtenis die de kinderen van "
    "{groep} raakt. Op {datum} is het volgende gebeurd: {bericht}",
    "Wij besteden in de groep aandacht aan wat er is gebeurd en geven de kinderen de ruimte om "
    "erover te praten. Het kan zijn dat uw kind thuis vragen stelt of anders reageert dan u "
    "gewend bent. Dat is normaal. Praat er samen over en laat het ons weten als u zich zorgen "
    "maakt.",
    "Heeft u vragen, neem dan contact op met {contact} via {telefoon}.",
    "Met vriendelijke groet,",
    "Het team van {school}",
))

PLACEHOLDERS = (
    ("groep", "de groep(en) of 'onze school'"),
    ("datum", "de datum van de gebeurtenis"),
    ("soort", "wat er is gebeurd (bijvoorbeeld: ernstig ongeval)"),
    ("bericht", "wat de ouders mogen weten (vult u per zaak in)"),
    ("contact", "de behandelaar van de zaak"),
    ("telefoon", "het telefoonnummer van de school"),
    ("school", "de naam van de school"),
)


def event_of(case):
    return TraumaEvent.get(TraumaEvent.case == case.id)


def engagements_of(case):
    return list(TraumaEngagement.select().where(TraumaEngagement.case == case.id)
                .order_by(TraumaEngagement.contacted_on, TraumaEngagement.id))


def summary_data(case):
    ev = event_of(case)
    reporter = User.get_or_none(User.id == case.created_by_id) if case.created_by_id else None
    return {
        "ev": ev,
        "kind": label(KINDS, ev.kind),
        "scope": label(SCOPES, ev.scope),
        "handled": label(HANDLED, ev.handled_by) if ev.handled_by else "nog niet ingeschat",
        "reporter": reporter.name if reporter else "",
        "engagements": engagements_of(case),
    }


def fill(text, values):
    """Replace ``{name}`` by its value; unknown names stay as typed.

    A plain substitution on purpose: ``str.format`` on a text the school types
    could reach attributes (``{x.__class__}``).
    """
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


def paragraphs(text):
    """Blank lines separate paragraphs; each paragraph is a list of lines (escaped by Jinja)."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [b.split("\n") for b in blocks if b.strip()]


def letter_values(case):
    ev = event_of(case)
    kind = label(KINDS, ev.kind).lower()
    if ev.group_name:
        group = ev.group_name
    else:
        group = "onze school" if ev.scope == "school" else "de groep"
    contact_id = case.assignee_id or case.created_by_id
    contact = User.get_or_none(User.id == contact_id) if contact_id else None
    message = ev.parent_info.strip() or f"er heeft zich een ingrijpende gebeurtenis voorgedaan ({kind})."
    return {
        "groep": group,
        "datum": nl_date(ev.occurred_on),
        "soort": kind,
        "bericht": message,
        "contact": contact.name if contact else "de directie",
        "telefoon": case.school.phone or "de school",
        "school": case.school.name,
    }


def parents_letter_context(case):
    text = get_setting(case.school, LETTER_SETTING) or DEFAULT_LETTER
    return {"paragraphs": paragraphs(fill(text, letter_values(case)))}


def file_summary_context(case):
    data = summary_data(case)
    data["checklist"] = list(
        CaseChecklistItem.select().where(CaseChecklistItem.case == case.id)
        .order_by(CaseChecklistItem.position, CaseChecklistItem.id))
    data["state"] = case_type(case.case_type).state(case.state).title
    return data
