"""The letter kit: what every letter on the school's letterhead shares.

- ``LetterRefused``: a letter's context raises it when a fact the letter must carry is
  missing (the objection address, the vertrouwenspersoon's contact details); the case page
  shows its Dutch reason, which says what to fill in and where, and nothing is archived.
- ``signer(user, school)``: who signs, with their function (every signature has one).
- ``words(n)``: numbers up to twenty in words in running text ("zes weken").
- ``salutation(form, surname)``: "Geachte mevrouw Çelik," or "Geachte ouder/verzorger,".
- ``place(school)``: the date line's place, without postcode ("Almere").
- ``require_setting(school, name, label, what)``: a setting's value, or LetterRefused.
- ``objection(...)``: the facts of the objection clause (``letters/kit.html`` writes it).
The macros in ``templates/letters/kit.html`` write the objection clause and the signature.
"""

import re
from dataclasses import dataclass

from flask import url_for

WORDS = (
    "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
    "vijftien zestien zeventien achttien negentien twintig"
).split()

# The function under a signature, from the signer's role at the school (the highest first).
FUNCTIONS = (
    ("bestuur", "bestuurder"),
    ("directie", "directeur"),
    ("aandachtsfunctionaris", "aandachtsfunctionaris kindermishandeling en huiselijk geweld"),
    ("ib", "intern begeleider"),
    ("contactpersoon", "contactpersoon"),
    ("leerkracht", "leerkracht"),
    ("ondersteunend", "onderwijsondersteuner"),
    ("beheerder", "functioneel beheerder"),
)

SETTINGS_PAGE = "Beheer, ‘Schoolgegevens en instellingen’"


class LetterRefused(Exception):
    """A letter cannot be made yet; ``reason`` (Dutch) says what is missing and where to fill it in."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Signer:
    name: str
    function: str


def words(n):
    """A number up to twenty in words ("zes"); larger numbers as digits."""
    try:
        n = int(n)
    except (TypeError, ValueError):
        return n
    return WORDS[n] if 0 <= n <= 20 else str(n)


def salutation(form="", surname=""):
    """ "Geachte mevrouw Çelik," / "Geachte heer De Vries," when the form of address and the
    surname are known, else "Geachte ouder/verzorger,"."""
    form = (form or "").strip().lower()
    surname = (surname or "").strip()
    if form in ("mevrouw", "heer") and surname:
        return f"Geachte {form} {surname[:1].upper()}{surname[1:]},"
    return "Geachte ouder/verzorger,"


def place(school):
    """The place of the date line, without postcode: the school's city, else the last part
    of its address with a postcode taken off."""
    city = (school.city or "").strip()
    if not city and school.address:
        city = school.address.split(",")[-1].strip()
    return re.sub(r"^\d{4}\s?[A-Za-z]{2}\s+", "", city).strip()


def signer(user, school, function=""):
    """The signer's name and function: ``function`` when given, else from the user's role at
    the school (or at the whole board)."""
    from .models import UserRole

    if user is None:
        return Signer("", function or "")
    if not function:
        held = {
            r.role
            for r in UserRole.select(UserRole.role).where(
                (UserRole.user == user.id) & ((UserRole.school == school.id) | UserRole.school.is_null())
            )
        }
        function = next((f for role, f in FUNCTIONS if role in held), "")
    return Signer(user.name, function)


def settings_link(school):
    try:
        return url_for("admin.school_settings", school=school.slug)
    except RuntimeError:  # outside a request (the demo): the page's name suffices
        return ""


def require_setting(school, name, label, what):
    """The value of setting ``name``, or LetterRefused naming the field (``label``), the
    page, and what to fill in (``what``)."""
    from .settings import get_setting

    value = (get_setting(school, name) or "").strip()
    if not value:
        link = settings_link(school)
        where = f"{SETTINGS_PAGE}{f' ({link})' if link else ''}"
        raise LetterRefused(
            f"Deze brief kan nog niet worden gemaakt: ‘{label}’ is niet ingevuld. Vul dit in bij "
            f"{where}: {what}"
        )
    return value


def board(school):
    """The bevoegd gezag by name, from the school's data (never a name written into a
    template); LetterRefused when the school has not filled it in."""
    name = (school.board_name or "").strip()
    if not name:
        raise LetterRefused(
            "Deze brief kan nog niet worden gemaakt: de naam van het bestuur (het bevoegd gezag) "
            f"ontbreekt. Vul die in bij {SETTINGS_PAGE}, in het veld ‘Bestuur’ (bijvoorbeeld: "
            "Stichting Openbaar Onderwijs Almere)."
        )
    return name


def contact_reach(school, role):
    """How parents reach the people in ``role`` at the school, from the register ("Wie doet
    wat"): "Anouk Meijer (Vertrouwenspersonen Flevoland), 036 000 2201, a@b.nl"; "" when
    the register names nobody."""
    from .contacts import school_contacts

    return "; ".join(c.reach() for c in school_contacts(school, role))


def require(value, reason):
    """``value`` when it holds text, else LetterRefused with ``reason`` (for a template)."""
    if value is None or not str(value).strip():
        raise LetterRefused(reason)
    return value


VERTROUWENSPERSOON_MISSING = (
    "Deze brief kan nog niet worden gemaakt: de brief noemt de externe vertrouwenspersoon, maar "
    "diens naam en bereikbaarheid (telefoon of e-mail) zijn niet bekend. Zet de "
    "vertrouwenspersoon in het register ‘Wie doet wat’, of vul bij "
    f"{SETTINGS_PAGE} het veld ‘Klachten: externe vertrouwenspersoon (naam en bereikbaarheid)’ in."
)


def vertrouwenspersoon(school, fallback=""):
    """The external vertrouwenspersoon's name and contact details for a letter: from the
    register, else ``fallback`` (the school's setting); LetterRefused when neither has them."""
    return require(contact_reach(school, "vertrouwenspersoon") or fallback, VERTROUWENSPERSOON_MISSING)


def klachtencommissie(school):
    """The klachtencommissie the board is affiliated with, with its contact details
    (the core's setting ``portal.klachtencommissie``), or LetterRefused."""
    return require_setting(
        school,
        "portal.klachtencommissie",
        "Klachtencommissie waarbij het bestuur is aangesloten",
        "de naam van de klachtencommissie met haar postadres, telefoonnummer en e-mailadres "
        "(bijvoorbeeld: Landelijke Klachtencommissie Onderwijs, Postbus 85191, 3508 AD Utrecht, "
        "030 280 9590, info@onderwijsgeschillen.nl).",
    )
