"""Finding cases by a word (portal/search.py): the reference, the title, the pupils (linked
and typed), the timeline and a type's declared detail columns; accents folded; the index
written in the transaction of the change; never more than the list shows the user, and
nothing that counts what it cannot see. On SQLite (FTS5) and PostgreSQL (Dutch
full-text search)."""

import dataclasses
import re

import pytest

from portal import pupils
from portal import search
from portal.cases import engine
from portal.db import atomic
from portal.db import database
from portal.db import is_sqlite
from portal.models import Case
from portal.models import CasePupil
from portal.models import Pupil
from portal.registry import get_registry

from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school
from .test_engine_list import ROW_RE

ANY_REF = re.compile(r"\b[A-Z]+-\d{4}-\d{4}\b")


def found(client, query, extra=""):
    """The references the list shows for ``query`` (closed cases too)."""
    r = client.get(f"/klaverweide/zaken/?open=0&q={query}{extra}")
    assert r.status_code == 200
    return set(ANY_REF.findall(ROW_RE.search(r.get_data(as_text=True)).group(1)))


def add_pupil(first, last, prefix="", las="987654"):
    return pupils.save(
        school(), {"las_number": las, "first_name": first, "prefix": prefix, "last_name": last}
    )


def test_a_word_from_the_title_the_timeline_or_a_pupil_finds_the_case(app, client):
    with db_ctx(app):
        titled = make_case("Ruzie bij de kapstokken")
        noted = make_case("Gesprek")
        engine.add_note(noted, actor("directie"), "De moeder meldde dat haar zoon wordt nageroepen.")
        typed = make_case("Zorgmelding")
        CasePupil.create(case=typed.id, name="Zoë Ümit", role="betrokken")
        search.refresh(typed)  # what start_case does after naming the pupils of its form
        linked = make_case("Incident")
        pupils.link(linked, add_pupil("Daan", "Berg", prefix="van der"), actor("directie"))
        other = make_case("Iets anders")
    login(client, "directie")
    assert found(client, "kapstokken") == {titled.reference}
    assert found(client, "Kapstokken+ruzie") == {titled.reference}  # every word, any order
    assert found(client, "nageroepen") == {noted.reference}
    assert found(client, "nageroe") == {noted.reference}  # the start of a word
    # Accents folded both ways; a typed name and a linked pupil's register name.
    assert found(client, "zoe") == found(client, "ZOË") == {typed.reference}
    assert found(client, "umit") == {typed.reference}
    assert found(client, "daan+berg") == {linked.reference}
    assert found(client, "Daan van der Berg") == {linked.reference}
    assert found(client, "987654") == {linked.reference}  # the LAS number is in the register's name
    # The reference as words (a reference-shaped query is the reference filter of before).
    number = other.reference.rsplit("-", 1)[1]
    assert other.reference in found(client, number)
    assert found(client, other.reference.lower()) == {other.reference}
    assert found(client, "kapstokken+onbekendwoord") == set()
    assert found(client, "%25") == found(client, "")  # no word in it: no search at all


def test_a_pupil_renamed_or_taken_off_is_found_by_what_the_case_holds_now(app, client):
    with db_ctx(app):
        case = make_case("Incident")
        child = add_pupil("Sem", "Kwakernaak", las="2002")
        pupils.link(case, child, actor("directie"))
    login(client, "directie")
    assert found(client, "kwakernaak") == {case.reference}
    with db_ctx(app):
        # The nightly import corrects the name: the trigger updates the index.
        pupils.save(
            school(),
            {"las_number": "2002", "first_name": "Sem", "prefix": "", "last_name": "Vlietstra"},
            pupil=Pupil.get_by_id(child.id),
        )
    assert found(client, "vlietstra") == {case.reference}
    assert found(client, "kwakernaak") == set()
    with db_ctx(app):
        row = CasePupil.get(CasePupil.case == case.id)
        pupils.unlink(case, row, actor("directie"))
    assert found(client, "vlietstra") == set()


def test_the_index_is_written_in_the_transaction_of_the_change(app, client):
    with db_ctx(app):
        case = make_case("Gesprek")
        with pytest.raises(RuntimeError), atomic():
            engine.add_event(case, "note", actor("directie"), "Teruggedraaid woord zeldzaamheid")
            raise RuntimeError("the change fails after its index entry was written")
        engine.add_note(case, actor("directie"), "Bewaard woord vasthoudendheid")
    login(client, "directie")
    assert found(client, "zeldzaamheid") == set()
    assert found(client, "vasthoudendheid") == {case.reference}


def test_a_transition_form_and_a_declared_detail_column_are_searchable(app, client, monkeypatch):
    from werkzeug.datastructures import MultiDict

    with db_ctx(app):
        case = make_case("Besluit")
        engine.run_transition(case, "testzaak.start", actor("directie"))
        engine.run_transition(
            case,
            "testzaak.besluit",
            actor("directie"),
            MultiDict({"reason": "Herstelgesprek afgesproken", "on": "2026-03-02"}),
        )
    login(client, "directie")
    assert found(client, "herstelgesprek") == {case.reference}  # what the timeline shows of a form

    # A plugin names the detail columns to index (CaseType.search_columns): a complaint's
    # description.
    reg = app.extensions["portal"]
    ct = reg.case_types["klachten.klacht"]
    monkeypatch.setitem(reg.case_types, ct.name, dataclasses.replace(ct, search_columns=("what_happened",)))
    with db_ctx(app):
        klacht = Case.select().where(Case.case_type == "klachten.klacht").first()
        klacht.school = school()
        ct.detail.update(what_happened="Mijn kind werd buitengesloten bij gym").where(
            ct.detail.case == klacht.id
        ).execute()
        search.refresh(klacht)
    assert found(client, "buitengesloten") == {klacht.reference}


def test_a_declared_search_column_must_be_a_detail_column(app):
    from portal.plugins import PluginError
    from portal.registry import Registry

    with db_ctx(app):
        reg = get_registry()
        ct = reg.case_types["klachten.klacht"]
        broken = dataclasses.replace(ct, search_columns=("bestaat_niet",))
        with pytest.raises(PluginError, match="search column"):
            Registry._validate_case_type(reg, broken)


def test_search_never_finds_what_the_user_may_not_see_nor_counts_it(app, client):
    from portal.models import User

    with db_ctx(app):
        secret = make_case("Vertrouwelijk: geheimzinnigwoord", confidential=True)
        engine.add_note(secret, actor("directie"), "Notitie met verborgenwoord")
        shown = make_case("Gewone zaak met gedeeldwoord")
        hidden_from_ib = make_case("Uitsluiting gedeeldwoord")
        engine.exclude(hidden_from_ib, User.get(User.email == "ib@klaverweide.demo"), actor("directie"))
    directie = app.test_client()
    login(directie, "directie")
    assert found(directie, "geheimzinnigwoord") == {secret.reference}
    assert found(directie, "verborgenwoord") == {secret.reference}
    assert found(directie, "gedeeldwoord") == {shown.reference, hidden_from_ib.reference}

    login(client, "ib")  # sees test cases, but neither confidential ones nor this exclusion
    assert found(client, "gedeeldwoord") == {shown.reference}

    def page(query):
        text = client.get(f"/klaverweide/zaken/?open=0&q={query}").get_data(as_text=True)
        text = re.sub(r'name="csrf_token" value="[^"]+"', "", text)
        return text.replace(query, "WOORD")

    # A word only an invisible case holds gives the page of a word nobody wrote: no row, no
    # count, no other trace.
    assert page("geheimzinnigwoord") == page("nergensgebruiktwoord")
    assert page("verborgenwoord") == page("nergensgebruiktwoord")
    assert "Geen zaken gevonden." in page("verborgenwoord")
    # Nor through the exports.
    for fmt in ("csv", "xlsx"):
        r = client.get(f"/klaverweide/zaken/export.{fmt}?open=0&q=geheimzinnigwoord")
        assert r.status_code == 200 and secret.reference.encode() not in r.data
        r = client.get(f"/klaverweide/zaken/export.{fmt}?open=0&q=gedeeldwoord")
        assert hidden_from_ib.reference.encode() not in r.data


def test_a_purged_case_leaves_the_index(app):
    with db_ctx(app):
        case = make_case("Verwijderen maar")
        table_key = "rowid" if is_sqlite() else "case_id"
        count = f'SELECT COUNT(*) FROM "portal_case_search" WHERE "{table_key}" = {database.param}'  # noqa: S608
        assert database.execute_sql(count, (case.id,)).fetchone()[0] == 1
        with atomic():
            Case.delete().where(Case.id == case.id).execute()
        assert database.execute_sql(count, (case.id,)).fetchone()[0] == 0


def test_the_search_is_a_condition_on_the_lists_own_query(app):
    """One statement for the list with a search (no count, no second query)."""
    from portal.cases import listing

    seen = []
    with db_ctx(app):
        user, where = actor("directie"), school()
        real = database.obj.execute_sql
        database.obj.execute_sql = lambda sql, params=None: seen.append(sql) or real(sql, params)
        try:
            listing.list_cases(
                user.id, where.id, ["testzaak.zaak"], [], None, listing.Filters(words="pesten"), 26
            )
        finally:
            database.obj.execute_sql = real
    *probe, query = seen
    assert "portal_case_search" in query and "COUNT" not in query.upper()
    # SQLite first asks the index whether the words are rare (at most search.FEW + 1 rows).
    assert len(probe) == (1 if is_sqlite() else 0)
    assert all("LIMIT" in p for p in probe)


@pytest.mark.skipif("not __import__('portal.testing').testing.PG_URL.startswith('postgres')")
def test_postgresql_uses_dutch_stemming(app, client):
    with db_ctx(app):
        case = make_case("Schade in de fietsenstalling")
    login(client, "directie")
    # "fietsenstallingen" and "fietsenstalling" share their stem: more than a word's start.
    assert found(client, "fietsenstallingen") == {case.reference}


def test_migration_m0016_fills_the_index_of_existing_cases(tmp_path, monkeypatch):
    from portal import migrate
    from portal.models import CaseEvent
    from portal.models import School
    from portal.registry import get_pm

    from . import test_migrations

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    app = test_migrations.make_app(tmp_path / "old.sqlite3")
    with db_ctx(app):
        pm = get_pm()
        migrate.upgrade(pm, log=test_migrations.quiet, until={"portal": "m0010_languages_attachments"})
        assert not database.table_exists("portal_case_search")
        # Cases written as the portal before m0016 wrote them: without an index entry.
        where = School.create(slug="klaverweide", name="De Klaverweide")
        old = Case.create(
            school=where.id,
            case_type="testzaak.zaak",
            reference="TZ-2025-0001",
            state="nieuw",
            title="Oude zaak",
        )
        CaseEvent.create(case=old.id, kind="note", text="Verslag over het fietsenhok")
        Case.create(
            school=where.id,
            case_type="testzaak.zaak",
            reference="TZ-2025-0002",
            state="nieuw",
            title="Andere",
        )
        migrate.upgrade(pm, log=test_migrations.quiet)
        fragment, param, _few = search.condition("fietsenhok")
        sql = f'SELECT c."id" FROM "portal_case" AS c WHERE 1 = 1 {fragment}'  # noqa: S608
        assert [r[0] for r in database.execute_sql(sql, (param,))] == [old.id]
        assert database.execute_sql('SELECT COUNT(*) FROM "portal_case_search"').fetchone()[0] == 2
