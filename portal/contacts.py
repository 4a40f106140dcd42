"""Who holds a safety role at a school: the contacts every protocol may name.

The complaint letters name the external vertrouwenspersoon, the meldcode plugin its
aandachtsfunctionaris, a parents' page the contactpersoon and the pestcoördinator. A
plugin that keeps a register of these people (``organisatie``: "Wie doet wat")
hands them over through the hook ``school_contacts``; any plugin reads them with
``school_contacts(school, role)``. Only plugins the school enabled are asked, so a
school without such a register gets an empty list and the reader falls back to its
own text (a setting, "de externe vertrouwenspersoon").
"""

from dataclasses import dataclass

from .access import enabled_plugins
from .i18n import N_
from .plugins import collect
from .registry import get_pm

# The roles of the safety plan (3.3.1, 3.5.1-3.5.3), in the order a register shows them.
# The labels are marked for the catalogue: the parents' contact page shows them in the
# parent's language (portal/i18n.py); staff pages show them as they are.
CONTACT_ROLES = (
    ("directie", N_("Directie")),
    ("clusterdirecteur", N_("Clusterdirecteur")),
    ("ib", N_("Intern begeleider")),
    ("aandachtsfunctionaris", N_("Aandachtsfunctionaris meldcode")),
    ("pestcoordinator", N_("PBS-pestcoördinator")),
    ("contactpersoon", N_("Contactpersoon")),
    ("vertrouwenspersoon", N_("Externe vertrouwenspersoon")),
    ("bhv", N_("BHV'er")),
)

_ORDER = {key: n for n, (key, _label) in enumerate(CONTACT_ROLES)}


@dataclass(frozen=True)
class SchoolContact:
    """One person in one role at a school.

    ``name`` is the declaration's unique, slug-prefixed name (``organisatie.contact.12``),
    as for every collection hook; ``person`` is the person's name. ``user_id`` is the
    portal account (None: someone without one, such as an external vertrouwenspersoon).
    ``page`` is the endpoint of a public page where parents find this person (a parents'
    form links to it), or "".
    """

    name: str
    role: str
    person: str
    phone: str = ""
    email: str = ""
    organisation: str = ""
    user_id: int | None = None
    order: int = 100
    page: str = ""

    @property
    def role_label(self):
        return dict(CONTACT_ROLES).get(self.role, self.role)

    def reach(self):
        """ "Anouk Meijer (Centrum Vertrouwenspersonen), 036 000 2201, a.meijer@example.nl":
        the person and how to reach them, for a letter or a mail."""
        who = f"{self.person} ({self.organisation})" if self.organisation else self.person
        return ", ".join(part for part in (who, self.phone, self.email) if part)


def school_contacts(school, role=None):
    """The contacts of ``school`` (only those in ``role``, a key of ``CONTACT_ROLES``), from
    the plugins the school enabled, in the order of the roles; [] when none keeps them."""
    if school is None:
        return []
    found = collect(get_pm(), "school_contacts", only=enabled_plugins(school), school=school)
    contacts = [c for _slug, c in found if role is None or c.role == role]
    return sorted(
        contacts, key=lambda c: (_ORDER.get(c.role, len(_ORDER)), c.order, c.person.lower(), c.name)
    )
