"""What the case page and the letters need to know about one event (its ``detail`` row,
``TraumaEvent``, handed over by the core)."""

import re

from portal import api

from .choices import HANDLED
from .choices import KINDS
from .choices import SCOPES
from .models import TraumaEngagement

LETTER_SETTING = "trauma.ouderbrief"

# Paragraphs are separated by a blank line; a single newline is kept as a line break.
DEFAULT_LETTER = "\n\n".join(
    (
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
    )
)

PLACEHOLDERS = (
    ("groep", "de groep(en) of 'onze school'"),
    ("datum", "de datum van de gebeurtenis"),
    ("soort", "wat er is gebeurd (bijvoorbeeld: ernstig ongeval)"),
    ("bericht", "wat de ouders mogen weten (vult u per zaak in)"),
    ("contact", "de behandelaar van de zaak"),
    ("telefoon", "het telefoonnummer van de school"),
    ("school", "de naam van de school"),
)


def _name(user_id):
    person = api.User.get_or_none(api.User.id == user_id) if user_id else None
    return person.name if person else ""


FAMILY_ITEM = "trauma.familie"


def family_item(case):
    """The case's step "Contact opnemen met de familie" (its label as the school named it), or
    None where the school's plan has no such step."""
    return api.CaseChecklistItem.get_or_none(
        (api.CaseChecklistItem.case == case.id) & (api.CaseChecklistItem.name == FAMILY_ITEM)
    )


def family_contacted(case):
    """The letter to the group's parents tells them about a family's loss or a child's injury:
    only once the contact with the family is recorded (the plan's step 'familie' ticked), so
    that what the letter says is agreed with them (AVG: a special category of data)."""
    item = family_item(case)
    return item is None or item.done_at is not None


def letter_waits(case):
    """Why the letter to the group's parents cannot be made yet (Dutch), or ""."""
    if case.closed_at is not None or case.state not in ("zelf", "extern") or family_contacted(case):
        return ""
    return (
        "De informatiebrief aan de ouders van de groep kan pas worden gemaakt als het contact met "
        f"de familie is vastgelegd: vink eerst ‘{family_item(case).label}’ af in de checklist."
    )


def summary_data(case, detail):
    return {
        "letter_waits": letter_waits(case),
        "ev": detail,
        "kind": api.label(KINDS, detail.kind),
        "scope": api.label(SCOPES, detail.scope),
        "handled": api.label(HANDLED, detail.handled_by) if detail.handled_by else "nog niet ingeschat",
        "reporter": _name(case.created_by_id),
        "engagements": list(
            TraumaEngagement.select()
            .where(TraumaEngagement.case == case.id)
            .order_by(TraumaEngagement.contacted_on, TraumaEngagement.id)
        ),
    }


def paragraphs(text):
    """Blank lines separate paragraphs; each paragraph is a list of lines (escaped by Jinja)."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [b.split("\n") for b in blocks if b.strip()]


def letter_values(case, detail):
    kind = api.label(KINDS, detail.kind).lower()
    if detail.group_name:
        group = detail.group_name
    else:
        group = "onze school" if detail.scope == "school" else "de groep"
    message = detail.parent_info.strip() or f"er heeft zich een ingrijpende gebeurtenis voorgedaan ({kind})."
    return {
        "groep": group,
        "datum": api.nl_date(detail.occurred_on),
        "soort": kind,
        "bericht": message,
        "contact": _name(case.assignee_id or case.created_by_id) or "de directie",
        "telefoon": case.school.phone or "de school",
        "school": case.school.name,
    }


def parents_letter_context(case, detail, school):
    text = api.get_setting(school, LETTER_SETTING) or DEFAULT_LETTER
    return {"paragraphs": paragraphs(api.fill(text, letter_values(case, detail)))}


def file_summary_context(case, detail):
    data = summary_data(case, detail)
    data["checklist"] = list(
        api.CaseChecklistItem.select()
        .where(api.CaseChecklistItem.case == case.id)
        .order_by(api.CaseChecklistItem.position, api.CaseChecklistItem.id)
    )
    data["state"] = api.case_type(case.case_type).state(case.state).title
    return data
