"""Importing the register from a CSV export (portal/pupils/importer.py): the ParnasSys and the
ESIS layout in both encodings and with both separators, a layout that needs the
column-mapping step, bad files with a Dutch reason, rows refused with a reason each, the
preview before anything is written, one transaction, idempotency on the LAS number,
pupils missing from a full export marked as left (never deleted), the upload kept safely
between preview and confirmation, and the nightly command."""

import datetime
import io
import os
import stat
from pathlib import Path

import pytest

from portal import pupils
from portal.dates import today
from portal.models import AuditLog
from portal.models import Pupil
from portal.models import PupilGroup
from portal.models import School
from portal.models import UserRole
from portal.pupils import importer

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import user

FIXTURES = Path(__file__).parent / "fixtures" / "pupils"
SLUG = "berkenhof"
BASE = f"/{SLUG}/leerlingen/"
UPLOAD = f"{BASE}importeren"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ()}


@pytest.fixture
def berkenhof(app):
    """A second school with an empty register; the demo directie and IB work there too."""
    with db_ctx(app):
        school = School.create(slug=SLUG, name="De Berkenhof")
        for role in ("directie", "ib"):
            UserRole.create(user=user(role).id, school=school.id, role=role)
    return school


def fixture(name):
    return (FIXTURES / name).read_bytes()


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def register(app):
    """{LAS number: (first, prefix, last, birth date, group this year, left on)}."""
    with db_ctx(app):
        school = School.get(School.slug == SLUG)
        groups = dict(
            PupilGroup.select(PupilGroup.pupil, PupilGroup.name)
            .where((PupilGroup.school == school.id) & (PupilGroup.school_year == pupils.school_year()))
            .tuples()
        )
        return {
            p.las_number: (p.first_name, p.prefix, p.last_name, p.birth_date, groups.get(p.id), p.left_on)
            for p in Pupil.select().where(Pupil.school == school.id)
        }


def plan_for(app, data, full=True, mapping=None):
    with db_ctx(app):
        table = importer.read_table(data)
        school = School.get(School.slug == SLUG)
        return importer.plan_file(school, table, mapping or importer.guess_mapping(table.headers), full=full)


def run(app, data, full=True, mapping=None):
    with db_ctx(app):
        table = importer.read_table(data)
        school = School.get(School.slug == SLUG)
        return importer.apply(school, table, mapping or importer.guess_mapping(table.headers), full=full)


def upload(client, data, name="leerlingen.csv", full=True):
    form = {"csrf_token": get_csrf(client, UPLOAD), "bestand": (io.BytesIO(data), name)}
    if full:
        form["full"] = "y"
    return client.post(UPLOAD, data=form, content_type="multipart/form-data")


def confirm(client, preview_url):
    html = client.get(preview_url).get_data(as_text=True)
    plan = html.split('name="plan" value="')[1].split('"')[0]
    return client.post(
        f"{preview_url}/bevestigen", data={"csrf_token": get_csrf(client, preview_url), "plan": plan}
    )


PARNASSYS = {
    "200001": ("Ömer", "", "Çelik", datetime.date(2017, 4, 3), "4a", None),
    "200002": ("Zoë", "van den", "Berg", datetime.date(2016, 11, 17), "4a", None),
    "200003": ("Sara", "", "Jansen", datetime.date(2015, 2, 1), "6b", None),
    "200004": ("Teun", "de", "Wit", datetime.date(2016, 2, 29), "5a", None),
    "200005": ("Fleur", "van", "Dijk", datetime.date(2018, 12, 12), "1/2a", None),
}
ESIS = {
    "300001": ("Şükrü", "", "Yılmaz", datetime.date(2016, 6, 5), "5b", None),
    "300002": ("Anna-Lena", "ter", "Horst", datetime.date(2017, 9, 30), "4b", None),
    "300003": ("Noor", "el", "Amrani", datetime.date(2015, 1, 14), "7a", None),
    "300004": ("Jesse", "", "Boateng", datetime.date(2014, 10, 2), "8a", None),
}


# ------------------------------------------------------------- the file ----


def test_the_two_layouts_are_recognised_without_a_mapping_step():
    table = importer.read_table(fixture("parnassys.csv"))
    assert (table.encoding, table.separator) == ("Windows-1252", ";")
    assert importer.guess_mapping(table.headers) == {
        "las_number": 0,
        "last_name": 1,
        "prefix": 2,
        "first_name": 3,
        "birth_date": 4,
        "group": 5,
        "enrolled_on": 6,
    }
    table = importer.read_table(fixture("esis.csv"))
    assert (table.encoding, table.separator) == ("UTF-8", ",")
    assert table.headers[0] == "Leerlingnummer"  # the byte order mark is not part of it
    assert importer.missing(importer.guess_mapping(table.headers)) == []


def test_excels_separator_line_is_understood():
    table = importer.read_table(b"sep=,\r\nLeerlingnummer,Roepnaam,Achternaam\r\n12,Kim,Smit\r\n")
    assert (table.separator, table.headers, table.rows) == (
        ",",
        ["Leerlingnummer", "Roepnaam", "Achternaam"],
        [(3, ["12", "Kim", "Smit"])],
    )


def test_roepnaam_wins_over_voornamen():
    data = "Leerlingnummer;Voornamen;Roepnaam;Voorvoegsels;Achternaam\n1;Johanna Maria;Hanna;;Smit\n"
    table = importer.read_table(data.encode())
    mapping = importer.guess_mapping(table.headers)
    assert (mapping["first_name"], mapping["prefix"]) == (2, 3)


def _transcode(data, encoding, separator):
    text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
    old = ";" if text.splitlines()[0].count(";") else ","
    text = text.replace(old, separator)
    if encoding == "cp1252":  # Turkish letters are not in Windows-1252
        text = text.replace("Ş", "S").replace("ı", "i")
    return text.encode(encoding)


@pytest.mark.parametrize("name", ["parnassys.csv", "esis.csv"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [";", ","])
def test_both_layouts_in_every_encoding_and_separator(app, berkenhof, name, encoding, separator):
    data = _transcode(fixture(name), encoding, separator)
    plan = run(app, data)
    expected = PARNASSYS if name == "parnassys.csv" else dict(ESIS)
    if name == "esis.csv" and encoding == "cp1252":
        expected["300001"] = ("Sükrü", "", "Yilmaz", *ESIS["300001"][3:])
    assert plan.counts() == {
        "new": len(expected),
        "changed": 0,
        "back": 0,
        "left": 0,
        "unchanged": 0,
        "refused": 0,
    }
    assert register(app) == expected


def test_utf16_from_excel_is_read_too(app, berkenhof):
    data = fixture("esis.csv").decode("utf-8-sig").replace(",", "\t").encode("utf-16")
    run(app, data)
    assert register(app) == ESIS


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "Het bestand is leeg."),
        ("workbook.xlsx", "Dit is een Excel-bestand, geen CSV-bestand."),
        ("bad_encoding.csv", "geen UTF-8 en geen Windows-1252"),
        ("no_header.csv", "Het bestand heeft geen kopregel"),
        ("one_column.csv", "Het bestand heeft maar één kolom"),
    ],
)
def test_a_bad_file_is_refused_with_a_dutch_reason(name, message):
    with pytest.raises(importer.FileRefused) as refused:
        importer.read_table(fixture(name))
    assert message in refused.value.reason


def test_more_bad_files():
    with pytest.raises(importer.FileRefused, match="te groot"):
        importer.read_table(b"Leerlingnummer;Roepnaam;Achternaam\n" + b"1;a;b\n" * 400_000)
    with pytest.raises(importer.FileRefused, match="alleen een kopregel"):
        importer.read_table(b"Leerlingnummer;Roepnaam;Achternaam\n")
    with pytest.raises(importer.FileRefused, match="geen tekstbestand"):
        importer.read_table(b"Leerlingnummer;Roepnaam\x00;Achternaam\n1;a;b\n")
    with pytest.raises(importer.FileRefused, match="rijen"):
        importer.read_table(b"Leerlingnummer;Roepnaam;Achternaam\n" + b"1;a;b\n" * (importer.MAX_ROWS + 1))


def test_rows_with_errors_get_a_reason_each_and_the_others_go_in(app, berkenhof):
    plan = run(app, fixture("with_errors.csv"))
    assert [e.text for e in plan.errors] == [
        "Rij 2: Geboortedatum “31-02-2016” bestaat niet.",
        "Rij 3: Geboortedatum “2016-13-01” bestaat niet.",
        "Rij 4: De roepnaam of voornaam ontbreekt.",
        "Rij 5: Het leerlingnummer ontbreekt.",
        "Rij 6: Geboortedatum “01-01-2099” ligt in de toekomst.",
        "Rij 7: leerlingnummer 500006 staat meer dan eens in het bestand (rijen 7 en 8); "
        "geen van die rijen is ingelezen.",
        "Rij 8: leerlingnummer 500006 staat meer dan eens in het bestand (rijen 7 en 8); "
        "geen van die rijen is ingelezen.",
        "Rij 10: Het leerlingnummer “50 09” kan niet (alleen cijfers en letters).",
    ]
    assert sorted(register(app)) == ["500008"]
    assert register(app)["500008"][3] == datetime.date(2016, 5, 1)  # 01/05/2016 is a date too
    # Some rows had no readable number: nobody is marked as left on the strength of it.
    assert plan.left_skipped and plan.left == []


# ------------------------------------------------------------- the plan ----


def test_importing_twice_changes_nothing_the_second_time(app, berkenhof):
    first = run(app, fixture("parnassys.csv"))
    assert first.counts()["new"] == 5
    before = register(app)
    with db_ctx(app):
        audit_rows = AuditLog.select().count()
    second = run(app, fixture("parnassys.csv"))
    assert second.counts() == {"new": 0, "changed": 0, "back": 0, "left": 0, "unchanged": 5, "refused": 0}
    assert register(app) == before
    with db_ctx(app):
        assert AuditLog.select().count() == audit_rows + 1  # only the import's own row


def test_changes_are_listed_and_written(app, berkenhof):
    run(app, fixture("parnassys.csv"))
    changed = (
        fixture("parnassys.csv")
        .decode("cp1252")
        .replace("200001;Çelik;;Ömer;03-04-2017;4a", "200001;Çelik;;Ömer;03-04-2017;5a")
        .replace("200002;Berg;van den;Zoë", "200002;Bergh;van den;Zoë")
        .encode("cp1252")
    )
    plan = plan_for(app, changed)
    assert [(p.las_number, ch) for p, _r, ch in plan.changed] == [
        ("200001", ["Groep: 4a → 5a"]),
        ("200002", ["Achternaam: Berg → Bergh"]),
    ]
    assert register(app)["200001"][4] == "4a"  # the preview wrote nothing
    run(app, changed)
    assert register(app)["200001"][4] == "5a" and register(app)["200002"][2] == "Bergh"
    with db_ctx(app):
        bergh = Pupil.get(Pupil.las_number == "200002")
        assert bergh.search == "zoe van den bergh 200002"  # the picker finds the new name


def test_an_empty_cell_keeps_what_the_register_knows(app, berkenhof):
    run(app, fixture("parnassys.csv"))
    data = "Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep\n200004;Teun;Wit;;\n"
    plan = run(app, data.encode(), full=False)
    assert plan.counts()["unchanged"] == 1
    assert register(app)["200004"] == PARNASSYS["200004"]  # no prefix column: the prefix stays


def test_pupils_missing_from_a_full_export_are_marked_as_left_never_deleted(app, berkenhof):
    run(app, fixture("parnassys.csv"))
    without_sara = b"\r\n".join(
        line for line in fixture("parnassys.csv").split(b"\r\n") if not line.startswith(b"200003")
    )
    # Not a full export: nobody leaves.
    assert plan_for(app, without_sara, full=False).left == []
    plan = run(app, without_sara)
    assert [p.las_number for p in plan.left] == ["200003"]
    assert register(app)["200003"][5] == today()
    with db_ctx(app):
        sara = Pupil.get(Pupil.las_number == "200003")
        (row,) = AuditLog.select().where(
            (AuditLog.pupil_id == sara.id) & (AuditLog.action == "pupil.import.left")
        )
        assert row.detail == f"leerling {sara.id}: {today().isoformat()}"
    # Left pupils are not marked again; back in the export, the pupil is back at school.
    assert run(app, without_sara).counts()["left"] == 0
    plan = run(app, fixture("parnassys.csv"))
    assert [p.las_number for p, _record in plan.back] == ["200003"]
    assert register(app)["200003"][5] is None


def test_a_leaving_date_in_the_file_is_taken(app, berkenhof):
    data = "Leerlingnummer;Roepnaam;Achternaam;Datum uitschrijving\n7;Kim;Smit;05-01-2026\n"
    run(app, data.encode(), full=False)
    assert register(app)["7"][5] == datetime.date(2026, 1, 5)


def test_a_cut_short_export_is_flagged(app, berkenhof):
    run(
        app,
        fixture("parnassys.csv")
        + "".join(f"20{n:04d};Kind;;Nummer{n};;4a\r\n" for n in range(10, 30)).encode(),
    )
    plan = plan_for(app, fixture("esis.csv"))
    assert len(plan.left) == 25 and plan.many_left


def test_everything_or_nothing(app, berkenhof, monkeypatch):
    """A failure halfway (here: the audit row of the third new pupil) leaves the register
    as it was: no half import."""
    calls = []

    def failing_audit(action, *args, **kw):
        calls.append(action)
        if len(calls) == 3:
            raise RuntimeError("database weg")
        return real(action, *args, **kw)

    real = importer.audit
    monkeypatch.setattr(importer, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        run(app, fixture("parnassys.csv"))
    assert register(app) == {}


# ------------------------------------------------------------ the pages ----


def test_upload_preview_confirm(app, berkenhof):
    client = as_role(app, "directie")
    r = upload(client, fixture("parnassys.csv"))
    assert r.status_code == 302
    preview = r.headers["Location"]
    html = client.get(preview).get_data(as_text=True)
    assert "Windows-1252, gescheiden door puntkomma, 5 rijen" in html
    assert '<tr><th scope="row">Nieuwe leerlingen</th><td>5</td></tr>' in html
    assert "Zoë van den Berg (200002), groep 4a" in html
    assert register(app) == {}  # nothing written before the confirmation
    r = confirm(client, preview)
    assert r.status_code == 302 and r.headers["Location"].endswith(BASE)
    assert "De import is verwerkt: 5 nieuw" in client.get(BASE).get_data(as_text=True)
    assert register(app) == PARNASSYS
    with db_ctx(app):
        (summary,) = AuditLog.select().where(AuditLog.action == "pupil.import")
        assert summary.user_email == "directie@klaverweide.demo" and summary.school == SLUG
        assert "nieuw 5" in summary.detail and "Zoë" not in summary.detail
        assert AuditLog.select().where(AuditLog.action == "pupil.import.new").count() == 5
        assert AuditLog.select().where(AuditLog.action == "pupil.import.preview").count() >= 1
    # Confirmed once: a second click finds nothing to do.
    r = client.post(f"{preview}/bevestigen", data={"csrf_token": get_csrf(client, BASE), "plan": "x"})
    assert r.status_code == 302 and r.headers["Location"].endswith(UPLOAD)
    assert register(app) == PARNASSYS


def test_preview_shows_rows_with_errors_and_who_leaves(app, berkenhof):
    run(app, fixture("parnassys.csv"))
    client = as_role(app, "ib")
    preview = upload(client, fixture("esis.csv")).headers["Location"]
    html = client.get(preview).get_data(as_text=True)
    assert "Als vertrokken gemarkeerd (5)" in html and "Zoë van den Berg (200002)" in html
    assert "Let op: 5 van de 5 leerlingen op school" not in html  # 5 is not more than MANY_LEFT_MIN
    preview = upload(client, fixture("with_errors.csv")).headers["Location"]
    html = client.get(preview).get_data(as_text=True)
    assert "Rij 2: Geboortedatum “31-02-2016” bestaat niet." in html
    assert "Niemand wordt als vertrokken gemarkeerd" in html


def test_a_file_in_another_layout_goes_through_the_mapping_step(app, berkenhof):
    client = as_role(app, "directie")
    r = upload(client, fixture("other_layout.csv"))
    columns = r.headers["Location"]
    assert columns.endswith("/kolommen")
    html = client.get(columns).get_data(as_text=True)
    assert "Leerlingnummer, Roepnaam of voornaam, Achternaam ontbreekt" in html
    # Nothing chosen: the required columns are asked for, in Dutch, with a 422.
    r = client.post(columns, data={"csrf_token": get_csrf(client, columns)})
    assert r.status_code == 422 and "Kies de kolom met leerlingnummer." in r.get_data(as_text=True)
    # One column for two things is refused.
    r = client.post(
        columns,
        data={
            "csrf_token": get_csrf(client, columns),
            "las_number": "0",
            "first_name": "0",
            "last_name": "3",
        },
    )
    assert r.status_code == 422 and "Deze kolom is al gekozen voor leerlingnummer." in r.get_data(
        as_text=True
    )
    r = client.post(
        columns,
        data={
            "csrf_token": get_csrf(client, columns),
            "las_number": "0",
            "first_name": "1",
            "prefix": "2",
            "last_name": "3",
            "birth_date": "4",
            "group": "5",
        },
    )
    assert r.status_code == 302
    assert confirm(client, r.headers["Location"]).status_code == 302
    assert register(app) == {
        "400001": ("Liam", "", "Kowalski", datetime.date(2016, 4, 9), "5a", None),
        "400002": ("Yara", "van", "Leeuwen", datetime.date(2017, 7, 21), "4a", None),
    }


def test_a_file_without_a_number_column_must_have_one_chosen(app, berkenhof):
    client = as_role(app, "directie")
    columns = upload(client, fixture("no_number.csv")).headers["Location"]
    assert columns.endswith("/kolommen")
    html = client.get(columns).get_data(as_text=True)
    assert "Leerlingnummer ontbreekt" in html
    # The preview is not reachable before the mapping names a number column.
    assert client.get(columns.removesuffix("/kolommen")).headers["Location"].endswith("/kolommen")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("workbook.xlsx", "Dit is een Excel-bestand"),
        ("bad_encoding.csv", "Sla het bestand opnieuw op als ‘CSV UTF-8’."),
        ("no_header.csv", "geen kopregel"),
        ("empty.csv", "Het bestand is leeg."),
    ],
)
def test_a_bad_upload_gets_its_reason_on_the_form(app, berkenhof, name, message):
    client = as_role(app, "directie")
    r = upload(client, fixture(name), name=name)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and message in html and 'class="error-summary"' in html
    assert not os.path.exists(os.path.join(app.instance_path, "pupil-imports")) or not os.listdir(
        os.path.join(app.instance_path, "pupil-imports")
    )


def test_no_file_chosen(app, berkenhof):
    client = as_role(app, "directie")
    r = client.post(UPLOAD, data={"csrf_token": get_csrf(client, UPLOAD)}, content_type="multipart/form-data")
    assert r.status_code == 422 and "Kies het exportbestand." in r.get_data(as_text=True)


def test_the_upload_is_kept_safely_until_confirmed(app, berkenhof):
    client = as_role(app, "directie")
    preview = upload(client, fixture("esis.csv")).headers["Location"]
    folder = Path(app.instance_path) / "pupil-imports"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".csv", ".json"]
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    stored = files[0].read_bytes()
    assert b"Boateng" not in stored and b"300004" not in stored  # encrypted
    assert "Boateng" not in files[1].read_text()
    confirm(client, preview)
    assert list(folder.iterdir()) == []


def test_only_the_same_user_at_the_same_school_confirms(app, berkenhof):
    directie = as_role(app, "directie")
    preview = upload(directie, fixture("esis.csv")).headers["Location"]
    token = preview.rsplit("/", 1)[1]
    ib = as_role(app, "ib")  # manages this school's register too, but did not upload it
    r = ib.get(preview)
    assert r.status_code == 302 and "Boateng" not in r.get_data(as_text=True)
    r = ib.post(f"{preview}/bevestigen", data={"csrf_token": get_csrf(ib, BASE), "plan": "x"})
    assert r.status_code == 302 and register(app) == {}
    r = ib.post(f"{preview}/annuleren", data={"csrf_token": get_csrf(ib, BASE)})
    assert register(app) == {}
    # The same user, through another school's address.
    r = directie.get(f"/klaverweide/leerlingen/importeren/{token}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/klaverweide/leerlingen/importeren")
    with db_ctx(app):
        assert (
            AuditLog.select()
            .where((AuditLog.action == "pupil.import.open") & (AuditLog.outcome == "denied"))
            .count()
            == 4
        )
    # Still there for the one who uploaded it.
    assert confirm(directie, preview).status_code == 302 and register(app) == ESIS


def test_a_stale_upload_is_gone(app, berkenhof, monkeypatch):
    client = as_role(app, "directie")
    preview = upload(client, fixture("esis.csv")).headers["Location"]
    monkeypatch.setattr(importer.Pending, "MAX_AGE", -1)
    r = client.get(preview)
    assert r.status_code == 302
    assert "Deze import is verlopen of al verwerkt" in client.get(UPLOAD).get_data(as_text=True)
    assert list((Path(app.instance_path) / "pupil-imports").iterdir()) == []


def test_an_upload_never_looked_at_again_is_swept(app, berkenhof, monkeypatch, runner):
    client = as_role(app, "directie")
    upload(client, fixture("esis.csv"))
    folder = Path(app.instance_path) / "pupil-imports"
    client.get(UPLOAD)
    assert len(list(folder.iterdir())) == 2  # still fresh
    monkeypatch.setattr(importer.Pending, "MAX_AGE", -1)
    client.get(UPLOAD)
    assert list(folder.iterdir()) == []
    upload(client, fixture("esis.csv"))
    runner.invoke(args=["pupils", "import", str(FIXTURES / "esis.csv"), "--school", SLUG, "--dry-run"])
    assert list(folder.iterdir()) == []


def test_tokens_are_checked_before_any_path_is_made(app, berkenhof):
    client = as_role(app, "directie")
    for token in ("..%2F..%2Fsecret_key", "x" * 32 + "%00", "a" * 31):
        r = client.get(f"{UPLOAD}/{token}")
        assert r.status_code in (302, 400, 404), token


def test_the_register_changed_since_the_preview(app, berkenhof):
    client = as_role(app, "directie")
    preview = upload(client, fixture("esis.csv")).headers["Location"]
    html = client.get(preview).get_data(as_text=True)
    plan = html.split('name="plan" value="')[1].split('"')[0]
    run(app, fixture("parnassys.csv"), full=False)  # someone else imported in between
    r = client.post(f"{preview}/bevestigen", data={"csrf_token": get_csrf(client, preview), "plan": plan})
    assert r.status_code == 302 and r.headers["Location"] == preview
    assert "De leerlingenlijst is veranderd sinds deze voorvertoning" in client.get(preview).get_data(
        as_text=True
    )
    assert set(register(app)) == set(PARNASSYS)
    assert confirm(client, preview).status_code == 302
    # A full export: the others are marked as left (and kept).
    assert set(register(app)) == set(ESIS) | set(PARNASSYS)
    assert all(v[5] == today() for k, v in register(app).items() if k in PARNASSYS)


def test_cancel(app, berkenhof):
    client = as_role(app, "directie")
    preview = upload(client, fixture("esis.csv")).headers["Location"]
    r = client.post(f"{preview}/annuleren", data={"csrf_token": get_csrf(client, preview)})
    assert r.status_code == 302 and register(app) == {}
    assert list((Path(app.instance_path) / "pupil-imports").iterdir()) == []


# ------------------------------------------------------------- the command ----


def test_the_nightly_command(app, berkenhof, runner):
    path = str(FIXTURES / "parnassys.csv")
    r = runner.invoke(args=["pupils", "import", path, "--school", SLUG, "--dry-run"])
    assert r.exit_code == 0, r.output
    assert "Nieuw: 5" in r.output and "Proefdraai: er is niets opgeslagen." in r.output
    assert register(app) == {}
    r = runner.invoke(args=["pupils", "import", path, "--school", SLUG])
    assert r.exit_code == 0, r.output
    assert "Bestand: Windows-1252, gescheiden door puntkomma, 5 rijen." in r.output
    assert (
        "Nieuw: 5\nGewijzigd: 0\nWeer op school: 0\nVertrokken: 0\nOngewijzigd: 0\nGeweigerde rijen: 0"
        in r.output
    )
    assert register(app) == PARNASSYS
    r = runner.invoke(args=["pupils", "import", path, "--school", SLUG])
    assert "Nieuw: 0" in r.output and "Ongewijzigd: 5" in r.output
    with db_ctx(app):
        rows = [
            r.detail for r in AuditLog.select().where(AuditLog.action == "pupil.import").order_by(AuditLog.id)
        ]
    assert len(rows) == 2 and rows[0].startswith("cli: nieuw 5")
    # Refused rows are listed; the file itself is taken (exit 0).
    r = runner.invoke(args=["pupils", "import", str(FIXTURES / "with_errors.csv"), "--school", SLUG])
    assert r.exit_code == 0 and "  Rij 5: Het leerlingnummer ontbreekt." in r.output
    assert "Niemand is als vertrokken gemarkeerd" in r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad_encoding.csv"], "Bestand geweigerd: De tekens in het bestand zijn niet te lezen"),
        (["workbook.xlsx"], "Bestand geweigerd: Dit is een Excel-bestand"),
        (["no_number.csv"], "de kolom Leerlingnummer ontbreekt"),
        (["other_layout.csv"], "Leerlingnummer en Roepnaam of voornaam en Achternaam ontbreekt"),
        (["parnassys.csv", "--school", "nergens"], "Onbekende school: nergens."),
    ],
)
def test_the_command_refuses_a_file_with_a_non_zero_exit(app, berkenhof, runner, args, message):
    name, *rest = args
    rest = rest or ["--school", SLUG]
    r = runner.invoke(args=["pupils", "import", str(FIXTURES / name), *rest])
    assert r.exit_code != 0 and message in r.output, r.output
    assert register(app) == {}


def test_the_command_refuses_an_export_that_would_empty_the_school(app, berkenhof, runner):
    many = (
        fixture("parnassys.csv")
        + "".join(f"20{n:04d};Kind;;Nummer{n};;4a\r\n" for n in range(10, 30)).encode()
    )
    run(app, many)
    esis = str(FIXTURES / "esis.csv")
    r = runner.invoke(args=["pupils", "import", esis, "--school", SLUG])
    assert r.exit_code != 0 and "25 van de 25 leerlingen zouden als vertrokken" in r.output
    assert all(v[5] is None for v in register(app).values())
    r = runner.invoke(args=["pupils", "import", esis, "--school", SLUG, "--partial"])
    assert r.exit_code == 0 and "Vertrokken: 0" in r.output
    r = runner.invoke(args=["pupils", "import", esis, "--school", SLUG, "--allow-many-left"])
    assert r.exit_code == 0 and "Vertrokken: 25" in r.output
