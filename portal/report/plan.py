"""The veiligheidsplan generated from the portal: the sections of the ``plan_section`` hook
(the core's and every enabled plugin's), the school's own texts, and what changed since the
last adopted version.

A section is found by its number: a plugin's section replaces the core's of the same
number, and the school's own text for a number (``PlanText``) replaces the section's
default text, whoever gives the section.
"""

import difflib
from dataclasses import dataclass

from ..access import enabled_plugins
from ..models import PlanText
from ..models import PlanVersion
from ..plugins import PluginError
from ..plugins import collect
from ..registry import get_pm


@dataclass
class Section:
    number: str
    heading: str
    text: str
    default: str
    own: bool
    live: str
    table: tuple
    source: str

    @property
    def level(self):
        return self.number.count(".")

    @property
    def anchor(self):
        return "sectie-" + self.number.replace(".", "-")

    def snapshot(self):
        return {
            "heading": self.heading,
            "text": self.text,
            "live": self.live,
            "table": [list(map(str, row)) for row in self.table],
        }


def number_key(number):
    return tuple(int(p) if p.isdigit() else 10_000 for p in number.split("."))


def sections(school):
    """[Section] of ``school``'s plan, in the order of their numbers."""
    found = collect(get_pm(), "plan_section", only=enabled_plugins(school), school=school)
    by_number = {}
    for slug, s in found:
        known = by_number.get(s.number)
        if known is not None and known[0] != "portal" and slug != "portal":
            raise PluginError(f"plan_section: {known[0]} and {slug} both give section {s.number}")
        if known is None or known[0] == "portal":
            by_number[s.number] = (slug, s)
    own = dict(PlanText.select(PlanText.number, PlanText.text).where(PlanText.school == school.id).tuples())
    out = []
    for number in sorted(by_number, key=number_key):
        slug, s = by_number[number]
        out.append(
            Section(
                number=number,
                heading=s.heading,
                text=own.get(number, s.text),
                default=s.text,
                own=number in own,
                live=s.live,
                table=tuple(tuple(row) for row in s.table),
                source=slug,
            )
        )
    return out


def section(school, number):
    for s in sections(school):
        if s.number == number:
            return s
    return None


def snapshot(found):
    return {s.number: s.snapshot() for s in found}


def last_adopted(school):
    return (
        PlanVersion.select()
        .where((PlanVersion.school == school.id) & PlanVersion.adopted_on.is_null(False))
        .order_by(PlanVersion.version.desc())
        .first()
    )


@dataclass
class Change:
    number: str
    heading: str
    kind: str  # "nieuw", "vervallen", "gewijzigd"
    parts: list  # [(part label, [(op, text)])]


def _diff_lines(old, new):
    """[(op, line)] with op " ", "+" or "-": what a reader needs of a short text."""
    out = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        op, text = line[:1], line[2:]
        if op in " +-":
            out.append((op, text))
    return out


def _table_text(table):
    return "\n".join(" | ".join(row) for row in table)


def changes(old, new):
    """[Change] from snapshot ``old`` to snapshot ``new`` (dicts number -> section)."""
    out = []
    for number in sorted(set(old) | set(new), key=number_key):
        before, after = old.get(number), new.get(number)
        if before == after:
            continue
        if before is None:
            out.append(Change(number, after["heading"], "nieuw", []))
            continue
        if after is None:
            out.append(Change(number, before["heading"], "vervallen", []))
            continue
        parts = []
        for key, label in (("text", "Vaste tekst"), ("live", "Uit het portaal")):
            if before.get(key, "") != after.get(key, ""):
                parts.append((label, _diff_lines(before.get(key, ""), after.get(key, ""))))
        old_table = _table_text(before.get("table", []))
        new_table = _table_text([list(map(str, r)) for r in after.get("table", [])])
        if old_table != new_table:
            parts.append(("Overzicht", _diff_lines(old_table, new_table)))
        if before.get("heading") != after.get("heading"):
            parts.insert(0, ("Kop", [("-", before.get("heading", "")), ("+", after.get("heading", ""))]))
        out.append(Change(number, after["heading"], "gewijzigd", parts))
    return out
