"""The register "Wie doet wat" (safety plan 3.3.1): who holds which role in a school year,
and the state of the BHV certificates. Reading it for the pages, the panels, the agenda,
the reminders and the other plugins (``contacts``); writing it for the register's pages.

A BHV certificate is an entry of the training register (kind ``bhv``); the one that
counts for a person is the one that runs longest.
"""

import datetime
from dataclasses import dataclass

import peewee

from portal import api

from .choices import PARENT_ROLES
from .choices import REQUIRED_ROLES
from .choices import ROLES
from .choices import SINGLE_ROLES
from .models import Assignment
from .models import Person
from .models import Training

# A certificate that ends within this many days is announced: the panel, the agenda and
# the mail to the directie (once) name it, in time to book the refresher course.
WARN_DAYS = 60

# How many BHV'ers the school needs (safety plan 3.5.2: "8 bedrijfshulpverleners").
BHV_SETTING = "organisatie.bhv_aantal"


def current_year():
    return api.school_year_of(api.today())


def year_text(year):
    return f"{year}-{year + 1}"


def role_label(key):
    return api.label(ROLES, key)


# ---------------------------------------------------------------- reading ----


def assignments(school, year, role=None):
    """The roles held in ``year``, each with its person, in the order of the roles, then by name."""
    query = (
        Assignment.select(Assignment, Person)
        .join(Person)
        .where((Assignment.school == school.id) & (Assignment.school_year == year))
    )
    if role is not None:
        query = query.where(Assignment.role == role)
    order = {key: n for n, (key, _label) in enumerate(ROLES)}
    return sorted(query, key=lambda a: (order.get(a.role, len(order)), a.person.name.lower(), a.id))


def by_role(school, year):
    """{role: [Assignment]} for every role of the register (empty lists for vacancies)."""
    out = {key: [] for key, _label in ROLES}
    for a in assignments(school, year):
        out.setdefault(a.role, []).append(a)
    return out


def missing_required(school, year):
    """The roles a school must have filled (pestcoördinator, contactpersoon) that are empty."""
    held = {
        a.role
        for a in Assignment.select(Assignment.role).where(
            (Assignment.school == school.id)
            & (Assignment.school_year == year)
            & Assignment.role.in_(REQUIRED_ROLES)
        )
    }
    return [key for key in REQUIRED_ROLES if key not in held]


def bhv_needed(school):
    return max(0, api.get_setting(school, BHV_SETTING) or 0)


def certificates(person_ids):
    """{person id: the BHV certificate that runs longest} (persons without one are absent)."""
    if not person_ids:
        return {}
    rows = (
        Training.select()
        .where((Training.kind == "bhv") & Training.person.in_(list(person_ids)))
        .order_by(Training.person, Training.completed_on, Training.id)
    )
    best = {}
    for t in rows:
        if t.person_id not in best or _lasts(t) > _lasts(best[t.person_id]):
            best[t.person_id] = t
    return best


def _lasts(certificate):
    # Without an expiry date a certificate runs longest of all.
    return (certificate.expires_on or datetime.date.max, certificate.completed_on, certificate.id)


@dataclass(frozen=True)
class BhvLine:
    """One BHV'er and the state of their certificate on a day."""

    assignment: Assignment
    certificate: Training | None
    state: str  # geldig, verloopt, verlopen, geen

    @property
    def person(self):
        return self.assignment.person

    @property
    def valid(self):
        return self.state in ("geldig", "verloopt")

    @property
    def text(self):
        c = self.certificate
        if c is None:
            return "geen certificaat"
        if c.expires_on is None:
            return f"certificaat van {api.nl_date(c.completed_on)}"
        if self.state == "verlopen":
            return f"verlopen op {api.nl_date(c.expires_on)}"
        if self.state == "verloopt":
            return f"verloopt op {api.nl_date(c.expires_on)}"
        return f"geldig tot {api.nl_date(c.expires_on)}"


def certificate_state(certificate, day):
    if certificate is None:
        return "geen"
    if certificate.expires_on is None:
        return "geldig"
    if certificate.expires_on < day:
        return "verlopen"
    if certificate.expires_on <= day + datetime.timedelta(days=WARN_DAYS):
        return "verloopt"
    return "geldig"


@dataclass(frozen=True)
class BhvStatus:
    lines: tuple
    needed: int

    @property
    def valid(self):
        return sum(1 for line in self.lines if line.valid)

    @property
    def count(self):
        return len(self.lines)

    def having(self, state):
        return [line for line in self.lines if line.state == state]

    @property
    def summary(self):
        """ "7 van 8 BHV'ers met geldig certificaat" (the dashboard's line)."""
        return f"{self.valid} van {self.count} BHV'ers met geldig certificaat"


def bhv_status(school, year, day=None):
    day = day or api.today()
    bhv = assignments(school, year, "bhv")
    certs = certificates({a.person_id for a in bhv})
    lines = []
    for a in bhv:
        cert = certs.get(a.person_id)
        lines.append(BhvLine(a, cert, certificate_state(cert, day)))
    return BhvStatus(tuple(lines), bhv_needed(school))


def vacancies(school, year):
    """What the register lacks in ``year``, as Dutch lines: roles nobody holds, and BHV'ers
    short of the number the school needs."""
    held = by_role(school, year)
    out = [f"Geen {role_label(key).lower()}" for key, _label in ROLES if key != "bhv" and not held[key]]
    needed, count = bhv_needed(school), len(held["bhv"])
    if count < needed:
        out.append(f"BHV: {count} van de {needed} BHV'ers ingevuld")
    return out


def people(school):
    """The register's people, by name."""
    return list(Person.select().where(Person.school == school.id).order_by(Person.name, Person.id))


def person_of(school, person_id):
    return Person.get_or_none((Person.id == person_id) & (Person.school == school.id))


def contacts(school):
    """The ``school_contacts`` hook: the roles of the current school year."""
    return [
        api.SchoolContact(
            name=f"organisatie.contact.{a.id}",
            role=a.role,
            person=a.person.name,
            phone=a.person.phone,
            email=a.person.email,
            organisation=a.person.organisation,
            user_id=a.person.user_id,
            page="organisatie.contactpersonen" if a.role in PARENT_ROLES else "",
        )
        for a in assignments(school, current_year())
    ]


# ---------------------------------------------------------------- writing ----


class RoleTaken(Exception):
    """The role admits one person and has one; ``holder`` is the Assignment."""

    def __init__(self, holder):
        super().__init__(holder.person.name)
        self.holder = holder


def person_for_user(school, user):
    """The register's person for a portal user (made with the user's name the first time)."""
    found = Person.get_or_none((Person.school == school.id) & (Person.user == user.id))
    return found or Person.create(school=school.id, user=user.id, name=user.name[:200])


def chosen(school, choice):
    """The person a form's choice names: ``p<id>`` one of the register, ``u<id>`` a colleague's
    account (added to the register now); None when it is not (or no longer) this school's."""
    kind, number = choice[:1], choice[1:]
    if not number.isdigit():
        return None
    if kind == "p":
        return person_of(school, int(number))
    if kind == "u":
        user = next((u for u in api.staff_of(school) if u.id == int(number)), None)
        return person_for_user(school, user) if user else None
    return None


def assign(school, year, person, role, user, replace=False):
    """Give ``person`` ``role`` in ``year`` (inside a transaction). A single role
    (pestcoördinator) that someone else holds raises ``RoleTaken`` unless ``replace``;
    then the other person's turn ends in the same transaction. Returns the Assignment,
    and the one it replaced or None."""
    replaced = None
    if role in SINGLE_ROLES:
        holder = (
            Assignment.select(Assignment, Person)
            .join(Person)
            .where(
                (Assignment.school == school.id)
                & (Assignment.school_year == year)
                & (Assignment.role == role)
            )
            .first()
        )
        if holder is not None and holder.person_id != person.id:
            if not replace:
                raise RoleTaken(holder)
            Assignment.delete().where(Assignment.id == holder.id).execute()
            replaced = holder
    existing = Assignment.get_or_none(
        (Assignment.school == school.id)
        & (Assignment.school_year == year)
        & (Assignment.role == role)
        & (Assignment.person == person.id)
    )
    if existing is not None:
        return existing, replaced
    try:
        with api.atomic():
            made = Assignment.create(
                school=school.id, school_year=year, person=person.id, role=role, created_by=user.id
            )
    except peewee.IntegrityError:
        # Someone else gave the single role away at the same moment (the partial index).
        holder = Assignment.get(
            (Assignment.school == school.id) & (Assignment.school_year == year) & (Assignment.role == role)
        )
        raise RoleTaken(holder) from None
    return made, replaced


def copy_year(school, year, user):
    """Give every role of the year before ``year`` to the same people in ``year`` (those not
    held yet; a single role only when nobody holds it). Returns how many were added."""
    held = {(a.role, a.person_id) for a in assignments(school, year)}
    added = 0
    for a in assignments(school, year - 1):
        if (a.role, a.person_id) in held:
            continue
        try:
            assign(school, year, a.person, a.role, user)
        except RoleTaken:
            continue
        added += 1
    return added
