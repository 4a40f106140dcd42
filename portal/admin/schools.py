"""A school's details (the letterhead), a new school, archiving, and the set-up checklist.

One form for the board-wide beheerder's school pages, a school's own settings page and
``flask --app portal school add|edit``: the same checks and the same Dutch messages
everywhere. What ends up on every letterhead is checked: an e-mail address, a phone
number, a Dutch postcode and a website.

A new school starts with the default settings (no rows of its own), no plugins enabled
and no users; its beheer page lists what to set up. Archiving closes a school: nobody
can open its pages or its public forms any more (its URLs answer 404), and nobody sees
it in their list of schools; its cases, letters and audit rows stay until their
retention periods end. Restoring opens it again as it was.
"""

import re
from dataclasses import dataclass

from flask import current_app
from flask import url_for
from wtforms.validators import ValidationError

from ..audit import audit
from ..dates import today
from ..db import atomic
from ..forms import Form
from ..forms import StringField
from ..forms import WebAddressField
from ..forms import email_field
from ..forms import line
from ..forms import phone_field
from ..models import School
from ..models import SchoolPlugin
from ..models import User
from ..models import UserRole
from ..models import Vacation
from ..models import utcnow

SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?")
# A Dutch postcode: four digits (not starting with 0) and two letters.
POSTCODE_RE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
# Each field of the form and the column it fills, in the order the letterhead shows them.
FIELDS = ("name", "address", "postcode", "city", "phone", "email", "website", "board_name")


class SchoolRefused(ValueError):
    """The details cannot be saved; ``errors`` is {field: [Dutch message]}."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def dutch_postcode(form, field):
    value = (field.data or "").strip()
    if not value:
        return
    match = POSTCODE_RE.fullmatch(value)
    if not match:
        raise ValidationError("Vul een postcode in van vier cijfers en twee letters, zoals 1234 AB.")
    field.data = f"{match.group(1)} {match.group(2).upper()}"


class SchoolForm(Form):
    name = line("Naam van de school", required="Vul de naam van de school in.")
    address = line("Straat en huisnummer", 300, render_kw={"autocomplete": "street-address"})
    postcode = StringField("Postcode", render_kw={"autocomplete": "postal-code"}, validators=[dutch_postcode])
    city = line("Plaats", 100, render_kw={"autocomplete": "address-level2"})
    phone = phone_field("Telefoonnummer")
    email = email_field("E-mailadres van de school")
    website = WebAddressField("Website")
    board_name = line("Bestuur", 200)


def reserved_slugs():
    """First path parts the portal uses itself (/login, /beheer, /static, …): a school
    with such a slug would be shadowed by the portal's own page."""
    taken = set()
    for rule in current_app.url_map.iter_rules():
        first = rule.rule.lstrip("/").split("/")[0]
        if first and "<" not in first:
            taken.add(first)
    return taken


def check_slug(form, field):
    value = (field.data or "").strip()
    if not SLUG_RE.fullmatch(value):
        raise ValidationError(
            "Gebruik alleen kleine letters, cijfers en streepjes (niet aan het begin of eind), "
            "hoogstens 60 tekens, zoals de-linde."
        )
    if value in reserved_slugs():
        raise ValidationError("Dit adres gebruikt het portaal zelf al. Kies een ander.")
    if School.select().where(School.slug == value).exists():
        raise ValidationError("Er is al een school met dit adres.")


class NewSchoolForm(SchoolForm):
    slug = StringField(
        "Adres in het portaal",
        description="Kleine letters, cijfers en streepjes; komt in elke link: /de-linde/. "
        "Later wijzigen kan niet (ouders en brieven gebruiken de links).",
        validators=[check_slug],
    )


def values_of(form):
    """{column: value} of a validated form."""
    out = {}
    for name in FIELDS:
        data = form[name].data
        out[name] = (data or "").strip() if isinstance(data, str) or data is None else data
    return out


def changed_fields(school, values):
    return [name for name in FIELDS if getattr(school, name) != values[name]]


def create_school(slug, values, via=""):
    """A new school with the default settings and no plugins; audited. Inside a request the
    audit row names the beheerder, from the command line ``via=cli``."""
    with atomic():
        school = School.create(slug=slug, **values)
        audit("admin.school.new", school=school, detail=" ".join(filter(None, [f"school={slug}", via])))
    return school


def update_school(school, values, via=""):
    changed = changed_fields(school, values)
    if not changed:
        return changed
    with atomic():
        School.update(**values).where(School.id == school.id).execute()
        audit("admin.school.edit", school=school, detail=" ".join(filter(None, [*changed, via])))
    return changed


def archive_school(school, via=""):
    with atomic():
        done = (
            School.update(archived_at=utcnow())
            .where((School.id == school.id) & School.archived_at.is_null())
            .execute()
        )
        if done:
            audit("admin.school.archive", school=school, detail=via)
    return bool(done)


def restore_school(school, via=""):
    with atomic():
        done = (
            School.update(archived_at=None)
            .where((School.id == school.id) & School.archived_at.is_null(False))
            .execute()
        )
        if done:
            audit("admin.school.restore", school=school, detail=via)
    return bool(done)


def validate_details(data, form_class=SchoolForm):
    """The form for ``data`` (a dict, from the command line), validated; SchoolRefused with
    the Dutch messages otherwise."""
    from werkzeug.datastructures import MultiDict

    form = form_class(MultiDict({k: v for k, v in data.items() if v is not None}))
    if not form.validate():
        raise SchoolRefused(form.errors)
    return form


# ---------------------------------------------------------------- checklist ----


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    hint: str
    link: str


def checklist(school):
    """What a school needs before it can work, each with where to do it."""
    from ..settings import get_setting

    school = School.get_by_id(school.id)  # every column (a request's school has the common ones)
    contact = school.phone or get_setting(school, "portal.contact_phone")
    plugins = SchoolPlugin.select().where(SchoolPlugin.school == school.id).exists()
    vacations = Vacation.select().where((Vacation.school == school.id) & (Vacation.end >= today())).exists()
    staff = (
        UserRole.select()
        .join(User)
        .where((UserRole.school == school.id) & (User.active == True))  # noqa: E712
        .exists()
    )
    letterhead = bool(school.name and school.address and school.postcode and school.city)
    settings = url_for("admin.school_settings", school=school.slug)
    return [
        Step(
            "Naam en adres voor het briefhoofd",
            letterhead,
            "Straat, postcode en plaats staan op elke brief.",
            settings,
        ),
        Step(
            "Naam van het bestuur",
            bool((school.board_name or "").strip()),
            "Brieven over schorsing, verwijdering en klachten noemen het bevoegd gezag bij naam.",
            settings,
        ),
        Step("Telefoonnummer voor spoed", bool(contact), "Ouders zien het op elke pagina.", settings),
        Step(
            "Onderdelen inschakelen",
            plugins,
            "Kies welke protocollen de school gebruikt (klachten, schorsing, …).",
            url_for("admin.index", school=school.slug) + "#onderdelen",
        ),
        Step(
            "Vakanties in de schoolkalender",
            vacations,
            "Termijnen in schooldagen tellen de vakanties niet mee.",
            url_for("calendar.index", school=school.slug),
        ),
        Step(
            "Gebruikers en rollen",
            staff,
            "Minstens de directie, de contactpersoon en de intern begeleider.",
            url_for("admin.user", school=school.slug),
        ),
    ]
