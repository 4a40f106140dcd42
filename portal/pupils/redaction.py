"""Redaction of an inzage export: the names of other children and the complainant's contact
fields are replaced by ``REDACTED`` in every text the export shows.

The terms come from what the portal knows: the register's pupils linked to the same cases
(full name, first and last name), the names typed for those cases ("niet gekoppeld"), every
other pupil of the school named in full, and the contact fields of whoever submitted a public
case (``Case.submitter_email`` and the detail row's columns named ``contact_*`` or
``submitter_*``). Matching is by whole word, in any case, with or without accents. On
purpose generous: a word too many hidden is harmless, another child's name shown is not.
"""

import re
import unicodedata

from . import full_name

REDACTED = "[afgeschermd]"

# Words in a typed name that are no name (particles, "groep 5", a marker such as "(fictief)").
_NOT_A_NAME = {
    "de",
    "van",
    "der",
    "den",
    "het",
    "ten",
    "ter",
    "te",
    "el",
    "al",
    "la",
    "le",
    "du",
    "da",
    "op",
    "in",
    "en",
    "groep",
    "leerling",
    "fictief",
}


def _fold_char(c):
    """One character, lower case without its accent: exactly one character, so that a match
    in the folded text is the same span in the original."""
    base = next((x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)), c)
    low = base.lower()
    return low[0] if low else c


def fold(text):
    return "".join(_fold_char(c) for c in text)


class Redactor:
    """Replaces each of ``terms`` (whole words, any case, with or without accents) by
    ``REDACTED``; the longest term first ("Sem de Vries" before "Sem")."""

    def __init__(self, terms):
        folded = sorted({fold(t.strip()) for t in terms if len(t.strip()) >= 2}, key=lambda t: (-len(t), t))
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in folded) + r")(?!\w)")
            if folded
            else None
        )

    def __call__(self, text):
        if not text or self.pattern is None:
            return text or ""
        out, last = [], 0
        for match in self.pattern.finditer(fold(text)):
            out.append(text[last : match.start()])
            out.append(REDACTED)
            last = match.end()
        out.append(text[last:])
        return "".join(out)


def _name_words(text):
    return [
        w
        for w in re.split(r"[^\w'-]+", text)
        if len(w) >= 2 and not w.isdigit() and w.lower() not in _NOT_A_NAME
    ]


def pupil_terms(pupil, whole_only=False):
    """What a text may call a pupil: the full name, first and last name; unless ``whole_only``
    also the first name and the last name alone."""
    terms = {full_name(pupil), f"{pupil.first_name} {pupil.last_name}"}
    if not whole_only:
        if pupil.prefix:
            terms.add(f"{pupil.prefix} {pupil.last_name}")
        terms.update((pupil.first_name, pupil.last_name))
    return terms


def typed_terms(name):
    """A name someone typed ("Sem de Vries", "Noor (fictief)"): the whole and each name word."""
    name = (name or "").strip()
    return {name, *_name_words(name)} if name else set()


SUBMITTER_COLUMNS = ("contact_", "submitter_")


def submitter_terms(case, detail):
    """The complainant's contact fields of a public case: the core's address and the detail
    row's columns named ``contact_*`` or ``submitter_*`` (a name also word by word)."""
    if not (case.access_code_hash or case.submitter_email):
        return set()
    terms = {case.submitter_email} if case.submitter_email else set()
    if detail is not None:
        for name in detail._meta.fields:
            value = getattr(detail, name, None)
            if name.startswith(SUBMITTER_COLUMNS) and isinstance(value, str) and value.strip():
                terms.add(value.strip())
                if name.endswith("name"):
                    terms.update(_name_words(value))
    return terms
