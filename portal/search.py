"""Finding a case by a word: the search index behind the case list's search field.

Every case has one row in ``portal_case_search`` (migration m0016) with two texts:

- ``body``: what the case's page shows of it: the reference, the title, every timeline
  entry's text and the values its forms recorded, the names typed for its pupils ("niet
  gekoppeld"), and the detail columns its type names in ``CaseType.search_columns`` (a
  complaint's description). ``refresh(case)`` writes it again inside the transaction of
  every change the engine makes (``create_case``, ``start_case``, a transition,
  ``add_event``, which every note, message, tick and assignment goes through), so a
  change and its index entry are committed together or not at all.
- ``names``: the register's names of the pupils linked to the case (``Pupil.search``,
  folded already) and the names typed for the others. Kept by triggers on
  ``portal_case_pupil`` and ``portal_pupil``: a pupil linked later, renamed by the nightly
  import, or a name a plugin's migration carried over, is found at once, whoever wrote it.

SQLite keeps the two in an FTS5 table whose rowid is the case's id, with the unicode61
tokenizer folding accents; PostgreSQL keeps them as tsvectors of the Dutch configuration
(stemming: "gepest" and "pesten" meet at "pest") with a GIN index on the two together.
Accents are folded here as well (``fold``), so "Zoë", "zoe" and "ZOË" find each other on
both databases, also where Dutch stemming keeps an accent (ç, ş).

A search is a condition on the case list's own query (``condition``): every word must
occur in the case (as the start of a word); what the user may see is decided by the
list's visibility rule, as without a search. Nothing counts the matches.
"""

import json
import re
import unicodedata

from .db import database
from .db import is_sqlite
from .models import Case
from .models import CaseEvent
from .models import CasePupil
from .registry import get_registry

# At most this much text per case goes into the index (a PostgreSQL tsvector holds at most
# 1 MB); far more than a case's timeline holds.
MAX_BODY = 400_000
# A search uses at most this many words of at most this length.
MAX_WORDS = 8
MAX_WORD = 60

_WORD = re.compile(r"[^\W_]+")

NAMES_SQL = (
    '(SELECT COALESCE({agg}(COALESCE(p."search", cp."name"), \' \'), \'\') FROM "portal_case_pupil" AS cp '
    'LEFT OUTER JOIN "portal_pupil" AS p ON p."id" = cp."pupil_id" WHERE cp."case_id" = ?)'
)
SQLITE_DELETE = 'DELETE FROM "portal_case_search" WHERE "rowid" = ?'
SQLITE_INSERT = 'INSERT INTO "portal_case_search" ("rowid", "body", "names") VALUES (?, ?, {names})'
POSTGRES_UPSERT = (
    'INSERT INTO "portal_case_search" ("case_id", "body", "names") '
    "VALUES (?, to_tsvector('dutch', ?), to_tsvector('dutch', {names})) "
    'ON CONFLICT ("case_id") DO UPDATE SET "body" = EXCLUDED."body", "names" = EXCLUDED."names"'
)
SQLITE_MATCH = 'AND c."id" IN (SELECT "rowid" FROM "portal_case_search" WHERE "portal_case_search" MATCH ?) '
POSTGRES_MATCH = (
    'AND c."id" IN (SELECT "case_id" FROM "portal_case_search" '
    'WHERE ("body" || "names") @@ to_tsquery(\'dutch\', ?)) '
)


def fold(text):
    """``text`` in lower case without accents (ë → e, ç → c, ş → s); other scripts stay."""
    plain = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def words(query):
    """The words of a search, folded: letters and digits, at most MAX_WORDS of them."""
    return [w[:MAX_WORD] for w in _WORD.findall(fold(query))][:MAX_WORDS]


# SQLite plans a query before it knows how many cases a word matches. Walking the list's
# index in order and testing each case is fast for a common word (page 1 is full after a few
# dozen cases) and slow for a rare one (every case of the school is tested: 11 ms at
# 100,000); starting from the few matches and sorting them is the reverse. So the index is
# asked first whether the word matches at most FEW cases (a bounded probe, not a count:
# it stops at FEW + 1). PostgreSQL's planner knows this from its statistics.
FEW = 2000
SQLITE_PROBE = (
    'SELECT COUNT(*) FROM (SELECT "rowid" FROM "portal_case_search" '
    'WHERE "portal_case_search" MATCH ? LIMIT ?) AS m'
)


def condition(query):
    """(SQL fragment for the case list, its parameter, few): every word of ``query`` begins a
    word of the case; ``few``: it matches so few cases that the list should start from them.
    None when the query has no word in it."""
    found = words(query)
    if not found:
        return None
    if is_sqlite():
        # "word"* : a quoted FTS5 string (only letters and digits) matched as a prefix.
        match = " ".join(f'"{w}"*' for w in found)
        few = database.execute_sql(SQLITE_PROBE, (match, FEW + 1)).fetchone()[0] <= FEW
        return SQLITE_MATCH, match, few
    return POSTGRES_MATCH.replace("?", database.param), " & ".join(f"{w}:*" for w in found), False


# ------------------------------------------------------------------ index ----


def _shown(data):
    """The texts of a timeline entry's recorded form values (what its page shows)."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return []
    shown = data.get("shown") if isinstance(data, dict) else None
    return [str(pair[1]) for pair in shown or () if isinstance(pair, list | tuple) and len(pair) == 2]


def detail_columns(case_type, existing=None):
    """(detail model, its fields to index) of a case type; None when it indexes none.
    ``existing``: {table: column names} that the database has (a migration fills the index
    before a plugin's own later migrations may have added a declared column)."""
    ct = get_registry().case_types.get(case_type)
    if ct is None or ct.detail is None or not ct.search_columns:
        return None
    names = ct.search_columns
    if existing is not None:
        names = [
            n
            for n in names
            if ct.detail._meta.fields[n].column_name in existing.get(ct.detail._meta.table_name, ())
        ]
    return (ct.detail, [ct.detail._meta.fields[n] for n in names]) if names else None


def body_text(case, columns=None):
    """The text of ``case`` that its index entry holds (see the module doc), folded.
    ``columns``: what ``detail_columns`` gives for its type (looked up when not given)."""
    parts = [case.reference, case.reference.replace("-", " "), case.title]
    events = CaseEvent.select(CaseEvent.text, CaseEvent.data).where(CaseEvent.case == case.id)
    for text, data in events.tuples():
        parts.append(text or "")
        parts.extend(_shown(data))
    typed = CasePupil.select(CasePupil.name).where((CasePupil.case == case.id) & (CasePupil.name != ""))
    parts.extend(name for (name,) in typed.tuples())
    model, fields = columns or detail_columns(case.case_type) or (None, ())
    if fields:
        row = model.select(*fields).where(model.case == case.id).tuples().first()
        parts.extend(str(value) for value in row or () if value not in (None, ""))
    return fold("\n".join(p for p in parts if p))[:MAX_BODY]


def refresh(case):
    """Write the index entry of ``case`` (a Case, or its id) again: call inside the
    transaction of the change."""
    if not isinstance(case, Case):
        case = Case.select(Case.id, Case.reference, Case.title, Case.case_type).where(Case.id == case).get()
    _write(case.id, body_text(case))


def _write(case_id, body):
    from .db import constant_sql

    if is_sqlite():
        database.execute_sql(constant_sql(SQLITE_DELETE), (case_id,))
        database.execute_sql(
            constant_sql(SQLITE_INSERT.replace("{names}", NAMES_SQL)), (case_id, body, case_id)
        )
    else:
        database.execute_sql(
            constant_sql(POSTGRES_UPSERT.replace("{names}", NAMES_SQL)), (case_id, body, case_id)
        )


def rebuild(log=None, batch=500):
    """Write the index entry of every case again (migration m0016, ``flask --app portal
    search-index``); returns how many. In batches, each in its own transaction."""
    from .db import atomic

    existing = {
        table: {c.name for c in database.get_columns(table)}
        for table in {model._meta.table_name for model in _detail_models()}
        if database.table_exists(table)
    }
    columns = {}
    done, last = 0, 0
    while True:
        cases = list(
            Case.select(Case.id, Case.reference, Case.title, Case.case_type)
            .where(Case.id > last)
            .order_by(Case.id)
            .limit(batch)
        )
        if not cases:
            return done
        with atomic():
            for case in cases:
                if case.case_type not in columns:
                    columns[case.case_type] = detail_columns(case.case_type, existing)
                _write(case.id, body_text(case, columns[case.case_type] or (None, ())))
        done += len(cases)
        last = cases[-1].id
        if log is not None:
            log(f"{done} zaken in de zoekindex")


def _detail_models():
    return [
        ct.detail for ct in get_registry().case_types.values() if ct.detail is not None and ct.search_columns
    ]


def init_app(app):
    import click

    @app.cli.command("search-index")
    def search_index_command():
        """De zoekindex van alle zaken opnieuw opbouwen (na het aanzetten van zoekvelden van een plugin)."""
        database.connect(reuse_if_open=True)
        try:
            click.echo(f"{rebuild(log=click.echo)} zaken opnieuw in de zoekindex")
        finally:
            database.close()
