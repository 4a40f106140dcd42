"""Issue 15, item 6: letters off the hot path. An archived letter's PDF bytes are in their own
table (portal_case_document_content, with the sha256), so that reading a case never loads
them; a download streams them from the database in pieces; migration m0017 moved the bytes
of letters made before it."""

import hashlib
import os

import pytest

from portal import documents
from portal import migrate
from portal.db import database
from portal.db import is_sqlite
from portal.models import CaseDocument
from portal.models import CaseDocumentContent

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import make_case


def _letter(app, client):
    with db_ctx(app):
        case = make_case("Briefzaak")
    login(client, "directie")
    page = f"/klaverweide/zaken/{case.reference}"
    token = get_csrf(client, page)
    assert client.post(f"{page}/brief/testzaak.brief", data={"csrf_token": token}).status_code == 302
    with db_ctx(app):
        doc = CaseDocument.get(CaseDocument.case == case.id)
    return case, page, doc


def test_a_letter_is_stored_apart_and_the_case_page_never_reads_it(app, client, monkeypatch):
    case, page, doc = _letter(app, client)
    with db_ctx(app):
        stored = CaseDocumentContent.get(CaseDocumentContent.document == doc.id)
        assert bytes(stored.content).startswith(b"%PDF")
        assert stored.sha256 == doc.sha256 == hashlib.sha256(bytes(stored.content)).hexdigest()
        own = CaseDocument.select(CaseDocument.stored_content).where(CaseDocument.id == doc.id).scalar()
        assert bytes(own) == b""  # the document's row holds no bytes
        assert bytes(doc.content) == bytes(stored.content)  # what callers read
    seen = []
    real = database.obj.execute_sql
    monkeypatch.setattr(
        database.obj, "execute_sql", lambda sql, params=None, *a, **k: seen.append(sql) or real(sql, params)
    )
    assert client.get(page).status_code == 200
    monkeypatch.undo()
    reading = [sql for sql in seen if "portal_case_document" in sql]
    assert reading, "the page lists the case's documents"
    assert not [sql for sql in reading if "portal_case_document_content" in sql or '"content"' in sql], (
        reading
    )


def test_a_download_is_streamed_in_pieces(app, client, monkeypatch):
    case, page, doc = _letter(app, client)
    with db_ctx(app):
        whole = bytes(CaseDocumentContent.get(CaseDocumentContent.document == doc.id).content)
    monkeypatch.setattr(documents, "CHUNK", 1000)  # a letter of some kB: several pieces
    response = client.get(f"{page}/document/{doc.id}")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Length"] == str(len(whole))
    assert response.headers["Content-Disposition"] == f'attachment; filename="{doc.filename}"'
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.data == whole
    assert len(whole) > 3000


def test_a_letter_kept_in_its_own_row_is_still_served(app, client):
    """A row from before m0017 whose bytes were not moved (made by hand): served as it is."""
    case, page, _ = _letter(app, client)
    with db_ctx(app):
        old = CaseDocument.create(
            case=case.id,
            name="testzaak.brief",
            label="Oude brief",
            version=9,
            filename="oud.pdf",
            content=b"%PDF-1.4 oud",
            sha256=hashlib.sha256(b"%PDF-1.4 oud").hexdigest(),
        )
    response = client.get(f"{page}/document/{old.id}")
    assert response.status_code == 200 and response.data == b"%PDF-1.4 oud"


def test_the_migration_moves_the_bytes_of_older_letters(app):
    """m0017's last statements, run again over a letter stored the old way: its bytes move to
    the new table (with its sha256) and its own column is emptied; a second run changes
    nothing."""
    with db_ctx(app):
        case = make_case("Oude zaak")
        pdf = b"%PDF-1.4 van voor m0017"
        old = CaseDocument.create(
            case=case.id,
            name="testzaak.brief",
            label="Oud",
            version=1,
            filename="oud.pdf",
            content=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        dialect = "sqlite" if is_sqlite() else "postgresql"
        path = os.path.join(os.path.dirname(migrate.__file__), "migrations", f"m0017_scale.{dialect}.sql")
        with open(path, encoding="utf-8") as f:
            statements = migrate.sql_statements(f.read())
        moving = [s for s in statements if "portal_case_document" in s and s.startswith(("INSERT", "UPDATE"))]
        assert len(moving) == 2
        for _ in range(2):
            with database.atomic():
                for statement in moving:
                    database.execute_sql(statement)
        moved = list(CaseDocumentContent.select().where(CaseDocumentContent.document == old.id))
        assert len(moved) == 1 and bytes(moved[0].content) == pdf and moved[0].sha256 == old.sha256
        own = CaseDocument.select(CaseDocument.stored_content).where(CaseDocument.id == old.id).scalar()
        assert bytes(own) == b""
        assert bytes(CaseDocument.get_by_id(old.id).content) == pdf


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 2500])
def test_pieces_add_up_to_the_letter(app, monkeypatch, size):
    monkeypatch.setattr(documents, "CHUNK", 1000)
    with db_ctx(app):
        case = make_case("Stukken")
        data = bytes(range(256)) * 10
        data = data[:size]
        doc = CaseDocument.create(
            case=case.id,
            name="x",
            label="x",
            version=1,
            filename="x.pdf",
            sha256=hashlib.sha256(data).hexdigest(),
        )
        CaseDocumentContent.create(document=doc.id, sha256=doc.sha256, content=data)
        assert b"".join(documents._pieces(doc.id)) == data
