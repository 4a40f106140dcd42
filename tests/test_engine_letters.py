"""Letters: produced from the detail page, PDF text checked by extracting it, versions
archived unchanged, served as an attachment only to users who may see the case."""

import hashlib
import io
import re

from pypdf import PdfReader

from portal.models import AuditLog
from portal.models import CaseDocument
from portal.models import CaseEvent

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import make_case

NAMES = ("Şükrü Yılmaz", "Łucja Wiśniewska", "Zoë van der Meer")


def pdf_text(data):
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[ \t]+", " ", text)


def docs_of(case):
    return list(CaseDocument.select().where(CaseDocument.case == case.id).order_by(CaseDocument.version))


def test_letter_versions_and_download(app, client):
    with db_ctx(app):
        case = make_case("Briefzaak")
        other = make_case("Andere zaak")
    login(client, "directie")
    page = f"/klaverweide/zaken/{case.reference}"
    token = get_csrf(client, page)
    assert "Maak: Testbrief" in client.get(page).get_data(as_text=True)

    r = client.post(f"{page}/brief/testzaak.brief", data={"csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)
    with db_ctx(app):
        [v1] = docs_of(case)
        v1_bytes, v1_sha = bytes(v1.content), v1.sha256
    assert v1.version == 1 and v1_bytes.startswith(b"%PDF")
    assert hashlib.sha256(v1_bytes).hexdigest() == v1_sha

    r = client.get(f"{page}/document/{v1.id}")
    assert r.status_code == 200
    assert r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert v1.filename in r.headers["Content-Disposition"]
    assert r.headers["Content-Security-Policy"] == "sandbox"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in r.headers["Cache-Control"]
    assert r.data == v1_bytes

    text = pdf_text(r.data)
    for name in NAMES:
        assert name in text, f"{name!r} not whole in the PDF text: {text!r}"
    assert "28 november 2026" in text
    assert "De Klaverweide" in text and case.reference in text

    # Producing again: version 2; version 1 stays byte for byte.
    assert client.post(f"{page}/brief/testzaak.brief", data={"csrf_token": token}).status_code == 302
    with db_ctx(app):
        v1_again, v2 = docs_of(case)
        assert (v1_again.id, v1_again.version, v1_again.sha256) == (v1.id, 1, v1_sha)
        assert bytes(v1_again.content) == v1_bytes
        assert v2.version == 2 and v2.filename != v1.filename
        assert hashlib.sha256(bytes(v2.content)).hexdigest() == v2.sha256
        # Timeline and audit log record both, and the download.
        assert (
            CaseEvent.select().where((CaseEvent.case == case.id) & (CaseEvent.kind == "document")).count()
            == 2
        )
        actions = [a.action for a in AuditLog.select().where(AuditLog.case_ref == case.reference)]
        assert actions.count("case.document") == 2
        assert actions.count("case.document.download") == 1

    # The document id of this case under another case's reference: 404.
    assert client.get(f"/klaverweide/zaken/{other.reference}/document/{v1.id}").status_code == 404
    # A user who may not see the case: 404 for the download and for producing.
    lk = app.test_client()
    login(lk, "leerkracht")
    assert lk.get(f"{page}/document/{v1.id}").status_code == 404
    lk_token = get_csrf(lk, "/klaverweide/")
    assert lk.post(f"{page}/brief/testzaak.brief", data={"csrf_token": lk_token}).status_code == 404
    # ib sees the case and may download.
    ib = app.test_client()
    login(ib, "ib")
    assert ib.get(f"{page}/document/{v1.id}").status_code == 200


def test_unknown_letter_is_refused(app, client):
    with db_ctx(app):
        case = make_case()
    login(client, "directie")
    page = f"/klaverweide/zaken/{case.reference}"
    token = get_csrf(client, page)
    assert client.post(f"{page}/brief/bestaat.niet", data={"csrf_token": token}).status_code == 403
    with db_ctx(app):
        assert docs_of(case) == []


def test_a_letter_is_offered_only_when_available_agrees(app, client, monkeypatch):
    """``DocumentTemplate.available``: a letter that needs a fact its state does not tell is
    offered (and made) only when the callable agrees; it gets the case and its school."""
    import dataclasses

    from portal.registry import get_registry

    with db_ctx(app):
        case = make_case("Brief met voorwaarde")
        reg = get_registry()
    decl = reg.documents["testzaak.brief"]
    asked = []

    def available(case, school):
        asked.append((case.reference, school.slug))
        return "klaar" in case.title

    monkeypatch.setitem(reg.documents, "testzaak.brief", dataclasses.replace(decl, available=available))
    login(client, "directie")
    page = f"/klaverweide/zaken/{case.reference}"
    token = get_csrf(client, page)
    assert "Maak: Testbrief" not in client.get(page).get_data(as_text=True)
    assert (case.reference, "klaverweide") in asked
    # Forced: a Dutch message on the case page, nothing made (a letter of another case type,
    # or one the user may never make, stays a 403: test_unknown_letter_is_refused).
    r = client.post(f"{page}/brief/testzaak.brief", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith(page)
    assert "nu niet worden gemaakt" in client.get(page).get_data(as_text=True)
    with db_ctx(app):
        assert docs_of(case) == []
        ready = make_case("Brief klaar")
    assert "Maak: Testbrief" in client.get(f"/klaverweide/zaken/{ready.reference}").get_data(as_text=True)
