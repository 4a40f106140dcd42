"""Attachments (portal/attachments.py): what a parent and staff may send, how it is stored
and served, who gets it, and that it goes with its case."""

import datetime
import hashlib
import io
import os
import re
from html import unescape

import pytest
from PIL import Image

from portal import attachments
from portal import retention
from portal.models import Attachment
from portal.models import Case
from portal.models import CaseEvent

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx

FORM = "/klaverweide/klachten/indienen"
FOLLOW = "/klaverweide/klachten/volgen"
REF_RE = re.compile(r'id="referentie">(KL-\d{4}-\d{4})<')
CODE_RE = re.compile(r'id="code">([A-Z2-7 ]+)<')
MB = 1024 * 1024


@pytest.fixture
def app_config(app_config, tmp_path):
    return {
        **app_config,
        "PORTAL_PLUGINS": ("klachten",),
        "PORTAL_ATTACHMENT_DIR": str(tmp_path / "bijlagen"),
    }


def photo_with_location():
    """A JPEG as a phone writes it: EXIF with the camera and a GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "Telefoon-met-GPS"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 22.0, 30.0)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()


def png():
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 200)).save(buf, format="PNG")
    return buf.getvalue()


def heic():
    import pillow_heif

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 10)).save(buf, format="HEIF")
    return buf.getvalue()


PDF_WITH_JS = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def form_token(client, headers=None):
    html = client.get(FORM, headers=headers or {}).get_data(as_text=True)
    return re.search(r'name="form_token" type="hidden" value="([^"]+)"', html)[1]


def submit(client, files, headers=None, **extra):
    data = {
        "category": "pesten",
        "what_happened": "Zie de schermafbeeldingen.",
        "csrf_token": get_csrf(client, FORM),
        "form_token": form_token(client, headers),
        "bijlagen": [(io.BytesIO(content), name) for name, content in files],
        **extra,
    }
    return client.post(FORM, data=data, content_type="multipart/form-data", headers=headers or {})


def submitted(client, files):
    r = submit(client, files)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    return REF_RE.search(html)[1], CODE_RE.search(html)[1]


def stored(app, ref):
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        return list(Attachment.select().where(Attachment.case == case.id).order_by(Attachment.id))


def read(app, row):
    with app.app_context():
        return open(os.path.join(attachments.folder(), row.stored_name), "rb").read()


def test_two_screenshots_and_a_photo_are_stored_without_their_location(app, client):
    original = photo_with_location()
    assert b"Telefoon-met-GPS" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    ref, code = submitted(client, [("plein.jpg", original), ("chat1.png", png()), ("chat2.png", png())])
    rows = stored(app, ref)
    assert [r.filename for r in rows] == ["plein.jpg", "chat1.png", "chat2.png"]
    assert all(r.from_submitter and re.fullmatch(r"[0-9a-f]{32}", r.stored_name) for r in rows)
    photo = read(app, rows[0])
    assert hashlib.sha256(photo).hexdigest() == rows[0].sha256 and rows[0].size == len(photo)
    again = Image.open(io.BytesIO(photo))
    assert again.format == "JPEG" and not again.getexif() and not again.getexif().get_ifd(0x8825)
    assert b"Telefoon-met-GPS" not in photo
    with app.app_context():
        folder = attachments.folder()
    assert not folder.startswith(os.path.join(str(app.root_path), "static"))
    assert os.stat(folder).st_mode & 0o077 == 0
    # The parent sees their files again on the follow-up page and downloads their own.
    data = {"reference": ref, "code": code, "csrf_token": get_csrf(client, FOLLOW)}
    page = client.post(FOLLOW, data=data).get_data(as_text=True)
    assert "chat1.png" in page and "Uw bijlagen" in page
    r = client.post("/klaverweide/klachten/volgen/bijlage", data={**data, "attachment": rows[1].id})
    assert r.status_code == 200 and r.data == read(app, rows[1])
    assert r.headers["Content-Disposition"].startswith("attachment;")


def test_a_heic_photo_is_taken_and_kept_as_jpeg(app, client):
    ref, _ = submitted(client, [("IMG_0001.HEIC", heic())])
    (row,) = stored(app, ref)
    assert row.filename == "IMG_0001.jpg" and row.mime_type == "image/jpeg"
    assert Image.open(io.BytesIO(read(app, row))).format == "JPEG"


@pytest.mark.parametrize(
    "name, content",
    [
        ("foto.jpg", b"<html><script>alert(document.cookie)</script></html>"),
        ("foto.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>"),  # a JPEG header before HTML
        ("tekening.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("tekening.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("archief.pdf", b"PK\x03\x04" + b"\x00" * 100),
    ],
)
def test_polyglots_and_other_files_are_refused_and_the_text_kept(app, client, name, content):
    r = submit(client, [(name, content)], what_happened="Mijn tekst blijft staan.")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f"Het bestand {name} kan niet mee." in html and "kies ze opnieuw" in html
    assert "Mijn tekst blijft staan." in html and re.search(
        r"checked[^>]*value=\"pesten\"|value=\"pesten\"[^>]*checked", html
    )
    with db_ctx(app):
        assert Case.select().count() == 4  # the demo's complaints only
        assert Attachment.select().count() == 0


def test_a_pdf_with_javascript_is_taken_as_pdf_but_never_shown_inline(app, client):
    ref, _ = submitted(client, [("verslag.pdf", PDF_WITH_JS)])
    (row,) = stored(app, ref)
    assert row.mime_type == "application/pdf" and read(app, row) == PDF_WITH_JS
    staff = app.test_client()
    assert login(staff, "contactpersoon").status_code == 302
    page = staff.get(f"/klaverweide/zaken/{ref}").get_data(as_text=True)
    assert "verslag.pdf" in page
    r = staff.get(f"/klaverweide/zaken/{ref}/bijlage/{row.id}")
    assert r.status_code == 200 and r.data == PDF_WITH_JS
    assert (
        r.headers["Content-Disposition"]
        == "attachment; filename=\"verslag.pdf\"; filename*=UTF-8''verslag.pdf"
    )
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Security-Policy"] == "sandbox"
    assert r.headers["Cache-Control"] == "no-store"


def test_six_files_are_too_many(app, client):
    r = submit(client, [(f"s{i}.png", png()) for i in range(6)], what_happened="Zes stuks.")
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "U kunt hoogstens 5 bestanden meesturen." in html and "Zes stuks." in html


def test_a_file_over_10_mb_is_refused_with_the_text_kept(app, client):
    big = b"%PDF-1.4\n" + b"0" * (10 * MB)
    r = submit(
        client, [("groot.pdf", big)], what_happened="Te groot bestand.", headers={"Accept-Language": "tr"}
    )
    html = unescape(r.get_data(as_text=True))
    assert (
        r.status_code == 422 and "groot.pdf dosyası 10 MB'tan büyük." in html and "Te groot bestand." in html
    )


def test_a_50_mb_body_is_refused_before_it_is_read(app, client):
    """One file of 50 MB on the complaint form: its own message; more than five full files:
    the 413 page. Any other form keeps the app's 10 MB."""
    r = submit(client, [("film.pdf", b"%PDF-1.4\n" + b"0" * (50 * MB))], what_happened="Bewaard.")
    assert r.status_code == 422 and "groter dan 10 MB" in r.get_data(as_text=True)
    r = submit(client, [(f"f{i}.pdf", b"%PDF-1.4\n" + b"0" * (11 * MB)) for i in range(5)])
    assert r.status_code == 413 and "Te groot" in r.get_data(as_text=True)
    staff = app.test_client()
    assert login(staff, "contactpersoon").status_code == 302
    r = staff.post(
        "/wachtwoord",
        data={"csrf_token": get_csrf(staff, "/wachtwoord"), "x": "0" * (50 * MB)},
        content_type="multipart/form-data",
    )
    assert r.status_code == 413


@pytest.mark.parametrize(
    "name",
    [
        "../../portal/app.py.png",
        "..\\..\\evil.png",
        "a%0D%0AContent-Type: text.png",
        "schermafbeelding 😀 é.png",
    ],
)
def test_a_hostile_file_name_is_only_text(app, client, name):
    ref, _ = submitted(client, [(name, png())])
    (row,) = stored(app, ref)
    assert "/" not in row.filename and "\\" not in row.filename and "\r" not in row.filename
    assert "\n" not in row.filename and not row.filename.startswith(".")
    with app.app_context():
        assert os.path.dirname(os.path.join(attachments.folder(), row.stored_name)) == attachments.folder()
    staff = app.test_client()
    assert login(staff, "directie").status_code == 302
    r = staff.get(f"/klaverweide/zaken/{ref}/bijlage/{row.id}")
    header = r.headers["Content-Disposition"]
    assert r.status_code == 200 and "\r" not in header and "\n" not in header
    assert re.fullmatch(
        r"attachment; filename=\"[A-Za-z0-9._ -]+\"; filename\*=UTF-8''[A-Za-z0-9%._~-]+", header
    )


def test_cr_lf_in_a_file_name_never_reaches_a_header(app, client):
    """A raw CR/LF cannot even travel in a multipart header: the request is refused (400,
    nothing stored). Should one arrive some other way, the name loses it before it is
    stored or sent."""
    r = submit(client, [("a\r\nContent-Type: text/html\r\n.png", png())])
    assert r.status_code == 400
    with db_ctx(app):
        assert Attachment.select().count() == 0
    name = attachments.clean_name("../x\r\nSet-Cookie: a=b\r\n.png")
    assert "\r" not in name and "\n" not in name and "/" not in name
    header = attachments.content_disposition('r\u00e9sum\u00e9\r\n"; x=y.pdf')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2


def test_a_teacher_who_may_not_see_the_case_gets_404(app, client):
    ref, code = submitted(client, [("chat.png", png())])
    (row,) = stored(app, ref)
    teacher = app.test_client()
    assert login(teacher, "leerkracht").status_code == 302
    assert teacher.get(f"/klaverweide/zaken/{ref}/bijlage/{row.id}").status_code == 404
    contact = app.test_client()
    assert login(contact, "contactpersoon").status_code == 302
    assert contact.get(f"/klaverweide/zaken/{ref}/bijlage/{row.id}").status_code == 200
    # The right case with another case's file: 404 too.
    other_ref, _ = submitted(client, [("ander.png", png())])
    (other,) = stored(app, other_ref)
    assert contact.get(f"/klaverweide/zaken/{ref}/bijlage/{other.id}").status_code == 404
    # A parent with the code of one case cannot fetch a file of another.
    data = {"reference": ref, "code": code, "csrf_token": get_csrf(client, FOLLOW), "attachment": other.id}
    assert client.post("/klaverweide/klachten/volgen/bijlage", data=data).status_code == 404


def test_staff_attach_files_to_the_case_and_to_a_note(app, client):
    ref, code = submitted(client, [])
    staff = app.test_client()
    assert login(staff, "contactpersoon").status_code == 302
    page = f"/klaverweide/zaken/{ref}"
    r = staff.post(
        f"{page}/bijlagen",
        data={"csrf_token": get_csrf(staff, page), "bijlagen": [(io.BytesIO(png()), "gespreksverslag.png")]},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    html = staff.get(page).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', html)[1]
    r = staff.post(
        f"{page}/notitie",
        data={
            "csrf_token": get_csrf(staff, page),
            "text": "Foto van het plein.",
            "form_token": token,
            "bijlagen": [(io.BytesIO(photo_with_location()), "plein.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    rows = stored(app, ref)
    assert [r.filename for r in rows] == ["gespreksverslag.png", "plein.jpg"]
    with db_ctx(app):
        note = CaseEvent.get(CaseEvent.text == "Foto van het plein.")
        assert rows[1].event_id == note.id and rows[0].event_id is not None
        assert not rows[0].from_submitter and rows[1].uploaded_by_id is not None
    assert b"Telefoon-met-GPS" not in read(app, rows[1])
    # A teacher without the handle permission cannot add any.
    teacher = app.test_client()
    assert login(teacher, "leerkracht").status_code == 302
    r = teacher.post(
        f"{page}/bijlagen",
        data={"csrf_token": get_csrf(teacher, "/wachtwoord"), "bijlagen": [(io.BytesIO(png()), "x.png")]},
        content_type="multipart/form-data",
    )
    assert r.status_code in (403, 404)
    # The parent does not get the school's files.
    data = {"reference": ref, "code": code, "csrf_token": get_csrf(client, FOLLOW), "attachment": rows[0].id}
    assert client.post("/klaverweide/klachten/volgen/bijlage", data=data).status_code == 404


def test_informatie_toevoegen_takes_files(app, client):
    ref, code = submitted(client, [])
    data = {"reference": ref, "code": code, "csrf_token": get_csrf(client, FOLLOW)}
    html = client.post(FOLLOW, data=data).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', html)[1]
    r = client.post(
        "/klaverweide/klachten/volgen/aanvullen",
        data={
            **data,
            "text": "Nog een foto.",
            "form_token": token,
            "bijlagen": [(io.BytesIO(png()), "extra.png")],
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and "extra.png" in r.get_data(as_text=True)
    (row,) = stored(app, ref)
    assert row.from_submitter and row.event_id is not None
    r = client.post(
        "/klaverweide/klachten/volgen/aanvullen",
        data={**data, "text": "Kapot.", "bijlagen": [(io.BytesIO(b"<html></html>"), "x.jpg")]},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422 and "Het bestand x.jpg kan niet mee." in r.get_data(as_text=True)
    assert "Kapot." in r.get_data(as_text=True)


def test_the_purge_removes_the_files_with_the_case(app, client):
    ref, _ = submitted(client, [("a.png", png()), ("b.png", png())])
    keep_ref, _ = submitted(client, [("c.png", png())])
    rows = stored(app, ref)
    with app.app_context():
        folder = attachments.folder()
    paths = [os.path.join(folder, r.stored_name) for r in rows]
    kept = os.path.join(folder, stored(app, keep_ref)[0].stored_name)
    old = datetime.datetime(2020, 1, 1).timestamp()
    for path in [*paths, kept]:
        os.utime(path, (old, old))
    with db_ctx(app):
        Case.update(closed_at=datetime.datetime(2020, 1, 1), retention_until=datetime.date(2021, 1, 1)).where(
            Case.reference == ref
        ).execute()
        gone = retention.purge(dry_run=False)
    assert [p.reference for p in gone] == [ref]
    assert not any(os.path.exists(p) for p in paths) and os.path.exists(kept)
    with db_ctx(app):
        assert Attachment.select().count() == 1


def test_a_file_whose_upload_rolled_back_is_swept(app, client):
    from portal.db import atomic

    class Boom(Exception):
        pass

    item = attachments.Checked("x.png", "image/png", png(), hashlib.sha256(png()).hexdigest())
    with db_ctx(app):
        case = Case.select().first()
        with pytest.raises(Boom), atomic():
            attachments.store(case, [item])
            raise Boom
        # The rolled-back upload's file has no row: the sweep removes it, once it is older
        # than an upload can take to commit.
        assert Attachment.select().count() == 0 and len(os.listdir(attachments.folder())) == 1
        assert attachments.remove_orphans() == 0
        assert attachments.remove_orphans(grace=0) == 1 and os.listdir(attachments.folder()) == []
