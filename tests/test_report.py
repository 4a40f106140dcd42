"""The yearly safety report (issue 19): figures against seeded data beside last year's, the
core's line per month, monitor results, actions among the dashboard's deadlines, the MR's
discussion printed, PDF versions without a single name, exports, and the bestuur's version
with "< 5"."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from portal.dates import school_year_bounds
from portal.dates import school_year_of
from portal.dates import today
from portal.models import AuditLog
from portal.models import Case
from portal.models import MonitorResult
from portal.models import MonitorScore
from portal.models import Pupil
from portal.models import ReportDocument
from portal.models import SafetyAction
from portal.models import School
from portal.models import User
from portal.models import UserRole
from portal.pupils import full_name
from portal.report import yearly
from portal.report.exports import neutral
from portal.testing import as_role
from portal.testing import make_case as start_case

from .conftest import post
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school

YEAR = school_year_of(today())
FIRST, _ = school_year_bounds(YEAR)
LAST_YEAR_FIRST, _ = school_year_bounds(YEAR - 1)
REPORT = f"/klaverweide/jaarcijfers/?jaar={YEAR}"


def trauma(kind, day):
    data = {
        "kind": kind,
        "occurred_on": day.isoformat(),
        "scope": "school",
        "reported_by": "een collega",
        "description": "Iets ingrijpends.",
    }
    return start_case("trauma.gebeurtenis", data)


def by_name(figures):
    return {f.name: f for f in figures}


def pdf_text(data):
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_figures_stand_beside_last_year_with_a_chart(app):
    with db_ctx(app):
        # The demo has a trauma event of its own this school year (an accident).
        demo = by_name(yearly.figures(school(), YEAR, actor("directie")))["trauma.per_soort"]
        demo_rows = {r.label: (r.value, r.previous) for r in demo.rows}
        for _ in range(3):
            trauma("geweld", FIRST)
        for _ in range(2):
            trauma("ongeval", LAST_YEAR_FIRST)
        figures = by_name(yearly.figures(school(), YEAR, actor("directie")))
    f = figures["trauma.per_soort"]
    assert (f.value - demo.value, f.previous - demo.previous) == (3, 2)
    rows = {r.label: (r.value, r.previous) for r in f.rows}
    now_accidents = demo_rows.get("Ernstig ongeval", (0, 0))[0]
    assert rows["Geweld"] == (3, 0) and rows["Ernstig ongeval"] == (now_accidents, 2)
    assert f.chart["kind"] == "bar" and f.chart["with_before"]
    bars = {b["label"]: b for b in f.chart["bars"]}
    assert bars["Geweld"]["now"]["w"] > 0 and bars["Geweld"]["before"]["w"] == 0
    assert bars["Ernstig ongeval"]["before"]["text"] == "2"


def test_the_page_draws_each_chart_as_svg_with_its_table(app):
    with db_ctx(app):
        trauma("geweld", FIRST)
        trauma("geweld", LAST_YEAR_FIRST)
    html = as_role(app, "directie").get(REPORT).get_data(as_text=True)
    section = html[html.index('id="cijfer-trauma-per-soort"') :]
    section = section[: section.index("</section>")]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in section
    # The chart is named by the figure's heading and its own title ("staafdiagram; …").
    assert 'role="img" aria-labelledby="cijfer-trauma-per-soort grafiek-trauma-per-soort-titel"' in section
    assert '<title id="grafiek-trauma-per-soort-titel">staafdiagram; de cijfers staan in de tabel' in section
    assert re.search(r"<th scope=\"row\">Geweld</th><td>1</td><td>1</td>", section)
    assert "style=" not in html  # the CSP allows no inline style


def test_a_chart_is_drawn_once_and_again_when_what_it_shows_changes(app, monkeypatch):
    from portal.report import charts

    drawn = []
    real = charts.render_template
    monkeypatch.setattr(
        charts, "render_template", lambda *a, **kw: drawn.append(kw["chart"]) or real(*a, **kw)
    )
    monkeypatch.setattr(charts, "_DRAWN", type(charts._DRAWN)())
    rows = [yearly.Row("Pesten <b>op</b> het plein", 3, 1), yearly.Row("Geweld", 2, "")]
    with app.test_request_context("/klaverweide/jaarcijfers/"):
        first = charts.drawn(charts.bar_chart(rows), "grafiek-x", "cijfer-x")
        again = charts.drawn(charts.bar_chart(rows), "grafiek-x", "cijfer-x")
        assert again == first and len(drawn) == 1
        # The label is text in the SVG, escaped, never markup.
        assert "Pesten &lt;b&gt;op&lt;/b&gt; het plein" in first and "<b>" not in first
        changed = charts.drawn(charts.bar_chart([yearly.Row("Geweld", 4, 2)]), "grafiek-x", "cijfer-x")
        assert len(drawn) == 2 and changed != first
        other_id = charts.drawn(charts.bar_chart(rows), "grafiek-y")
        assert len(drawn) == 3 and 'id="grafiek-y-titel"' in other_id


def test_the_core_draws_cases_per_month_with_last_year(app):
    with db_ctx(app):
        sept = datetime.datetime(YEAR, 9, 10, 10)
        octo = datetime.datetime(YEAR, 10, 10, 10)
        for moment in (sept, sept, octo, datetime.datetime(YEAR - 1, 9, 10, 10)):
            case = make_case("per maand")
            Case.update(created_at=moment).where(Case.id == case.id).execute()
        f = by_name(yearly.figures(school(), YEAR, actor("directie")))["portal.per_maand"]
    points = dict(next(points for title, points in _series(f) if title == "Testzaak"))
    assert points["sep"] == 2 and points["okt"] == 1 and points["aug"] == 0
    rows = {r.label: (r.value, r.previous) for r in f.rows}
    assert rows["Testzaak"] == (3, 1)
    assert f.chart["kind"] == "line" and f.chart["months"][0]["label"] == "aug"


def _series(figure):
    # The chart keeps the series' points; read them back per line from the figure's chart.
    months = [m["label"] for m in figure.chart["months"]]
    out = []
    for line in figure.chart["lines"]:
        ys = [p["y"] for p in line["points"]]
        bottom = figure.chart["plot"]["bottom"]
        top = max(figure.chart["ticks"], key=lambda t: t["label"])
        scale = (bottom - top["y"]) / top["label"]
        out.append(
            (line["label"], [(m, round((bottom - y) / scale)) for m, y in zip(months, ys, strict=True)])
        )
    return out


def test_monitor_results_are_entered_with_their_scores(app):
    boss = as_role(app, "directie")
    form = f"/klaverweide/jaarcijfers/monitor/nieuw?jaar={YEAR}"
    bad = post(
        boss,
        form,
        {
            "jaar": YEAR,
            "instrument": "Hart en Handen (IEP)",
            "measured_on": FIRST.isoformat(),
            "groups": "Groep 5 drie komma vier",
            "school_veiligheid": "hoog",
        },
        page=form,
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Regel 1 is niet te lezen" in page and "Groep 5 drie komma vier" in page
    assert "Vul een getal in, bijvoorbeeld 3,4." in page
    good = {
        "jaar": YEAR,
        "instrument": "Hart en Handen (IEP)",
        "measured_on": FIRST.isoformat(),
        "invited": "100",
        "respondents": "90",
        "school_veiligheid": "3,45",
        "groups": "Groep 8: 3,2; 3,0",
        "inspectie_on": FIRST.isoformat(),
    }
    assert post(boss, form, good, page=form).status_code == 302
    with db_ctx(app):
        monitor = MonitorResult.select().order_by(MonitorResult.id.desc()).first()
        scores = {
            (s.group_name, s.indicator): s.score
            for s in MonitorScore.select().where(MonitorScore.monitor == monitor.id)
        }
    assert monitor.school_year == YEAR and monitor.respondents == 90
    assert scores == {
        ("", "veiligheid"): 3.45,
        ("Groep 8", "veiligheid"): 3.2,
        ("Groep 8", "welbevinden"): 3.0,
    }
    html = boss.get(REPORT).get_data(as_text=True)
    assert "90 van 100 leerlingen (90%)" in html and "3,45" in html


def test_a_name_in_a_text_of_the_report_is_refused(app):
    with db_ctx(app):
        pupil = full_name(Pupil.select().first())
    boss = as_role(app, "directie")
    form = f"/klaverweide/jaarcijfers/acties/nieuw?jaar={YEAR}"
    data = {
        "jaar": YEAR,
        "goal": f"Gesprek met {pupil} en ouders",
        "owner": "ib",
        "due_on": FIRST.isoformat(),
        "status": "gepland",
        "finding_kind": "anders",
        "finding": "Zorgen van Floor Vermeulen",
    }
    r = post(boss, form, data, page=form)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert (
        f"Deze tekst noemt een naam ({pupil})" in page
        and "Deze tekst noemt een naam (Floor Vermeulen)" in page
    )
    with db_ctx(app):
        assert not SafetyAction.select().where(SafetyAction.goal.contains(pupil)).exists()


def test_an_overdue_action_is_among_the_dashboards_deadlines_until_done(app):
    boss = as_role(app, "directie")
    form = f"/klaverweide/jaarcijfers/acties/nieuw?jaar={YEAR}"
    late = (today() - datetime.timedelta(days=10)).isoformat()
    data = {
        "jaar": YEAR,
        "goal": "Pleinwacht uitbreiden",
        "owner": "team",
        "due_on": late,
        "status": "bezig",
        "finding_kind": "incidenten",
        "finding": "Meer ruzies op het plein.",
    }
    assert post(boss, form, data, page=form).status_code == 302
    dashboard = boss.get("/klaverweide/").get_data(as_text=True)
    assert "Actie jaarplan: Pleinwacht uitbreiden" in dashboard
    assert "te laat sinds" in dashboard[dashboard.index("Pleinwacht uitbreiden") :][:300]
    with db_ctx(app):
        action = SafetyAction.get(SafetyAction.goal == "Pleinwacht uitbreiden")
    page = f"/klaverweide/jaarcijfers/acties/{action.id}"
    refused = post(boss, page, {**data, "status": "afgerond"}, page=page)
    assert refused.status_code == 422 and "Vul in wanneer de actie is afgerond." in refused.get_data(
        as_text=True
    )
    done = {**data, "status": "afgerond", "done_on": today().isoformat(), "result": "Rustiger plein."}
    assert post(boss, page, done, page=page).status_code == 302
    assert "Pleinwacht uitbreiden" not in boss.get("/klaverweide/").get_data(as_text=True)
    # The bestuur sees the line too, linked to the report (it may not edit the action).
    with db_ctx(app):
        SafetyAction.update(status="bezig", done_on=None).where(SafetyAction.id == action.id).execute()
    board = as_role(app, "bestuur").get("/klaverweide/").get_data(as_text=True)
    assert f"/klaverweide/jaarcijfers/?jaar={YEAR}#acties" in board


def test_the_pdf_prints_the_discussion_keeps_versions_and_names_nobody(app):
    with db_ctx(app):
        trauma("geweld", FIRST)
        # The test plugin's figure names who looks (tests/caseplugin.py): off here, so the
        # report holds what the built-in plugins and the demo give.
        from portal.admin import set_plugin_enabled

        set_plugin_enabled(school(), "testzaak", False)
        names = [full_name(p) for p in Pupil.select()] + [u.name for u in User.select()]
    boss = as_role(app, "directie")
    r = post(
        boss,
        "/klaverweide/jaarcijfers/bespreking",
        {"jaar": YEAR, "mr_on": FIRST.isoformat(), "cluster_on": LAST_YEAR_FIRST.isoformat()},
        page=REPORT,
    )
    assert r.status_code == 302
    for _ in range(2):
        assert post(boss, "/klaverweide/jaarcijfers/pdf", {"jaar": YEAR}, page=REPORT).status_code == 302
    with db_ctx(app):
        docs = list(
            ReportDocument.select()
            .where(ReportDocument.school == school().id)
            .order_by(ReportDocument.version)
        )
        assert AuditLog.select().where(AuditLog.action == "reports.pdf").count() == 2
    assert [d.version for d in docs] == [1, 2]
    response = boss.get(f"/klaverweide/jaarcijfers/versies/{docs[-1].id}")
    assert response.status_code == 200 and response.headers["Content-Security-Policy"] == "sandbox"
    text = pdf_text(response.data)
    from portal.dates import nl_date

    assert f"Besproken in de MR op {nl_date(FIRST)}" in text
    assert f"Besproken met de clusterdirecteur op {nl_date(LAST_YEAR_FIRST)}" in text
    assert "Inhoud" in text and "2. Cijfers" in text and "Traumatische gebeurtenissen" in text
    assert "Veiligheidsmonitor" in text and "Hart en Handen" in text  # the demo's measurement
    assert len(names) > 200
    found = [n for n in names if n in text]
    assert found == [], f"names in the PDF: {found}"


def test_exports_open_with_dutch_headers_dates_and_no_formulas(app):
    import openpyxl

    boss = as_role(app, "directie")
    form = f"/klaverweide/jaarcijfers/acties/nieuw?jaar={YEAR}"
    data = {
        "jaar": YEAR,
        "goal": '=HYPERLINK("http://x.example";"klik")',
        "owner": "directie",
        "due_on": FIRST.isoformat(),
        "status": "gepland",
        "finding_kind": "anders",
        "finding": "@SUM(1+1)",
    }
    assert post(boss, form, data, page=form).status_code == 302
    csv_data = boss.get(f"/klaverweide/jaarcijfers/export/acties.csv?jaar={YEAR}")
    assert csv_data.status_code == 200 and csv_data.headers["Content-Type"].startswith("text/csv")
    text = csv_data.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Schooljaar;Doel en actie;Wie voert het uit;Klaar op;Stand")
    assert "'=HYPERLINK" in text and "'@SUM" in text
    assert f"{FIRST.day}-{FIRST.month}-{FIRST.year}" in text
    xlsx = boss.get(f"/klaverweide/jaarcijfers/export/acties.xlsx?jaar={YEAR}")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["Schooljaar", "Doel en actie", "Wie voert het uit", "Klaar op"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if "HYPERLINK" in str(r[1]))
    assert row[1].startswith("'=") and row[6] == "'@SUM(1+1)"
    assert isinstance(row[3], datetime.datetime) and row[3].date() == FIRST
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)
    figures = openpyxl.load_workbook(
        io.BytesIO(boss.get(f"/klaverweide/jaarcijfers/export/cijfers.xlsx?jaar={YEAR}").data)
    ).active
    assert [c.value for c in figures[1]] == [
        "Cijfer",
        "Onderdeel",
        f"Schooljaar {YEAR}-{YEAR + 1}",
        f"Schooljaar {YEAR - 1}-{YEAR}",
    ]
    monitor = boss.get(f"/klaverweide/jaarcijfers/export/monitor.csv?jaar={YEAR}").data.decode("utf-8-sig")
    assert monitor.splitlines()[0].startswith(
        "Schooljaar;Instrument;Datum meting;Gevraagd;Geantwoord;Respons (%);Groep"
    )
    with db_ctx(app):
        exported = [a.detail for a in AuditLog.select().where(AuditLog.action == "reports.export")]
    assert f"klaverweide {YEAR} acties.csv" in exported and f"klaverweide {YEAR} cijfers.xlsx" in exported
    assert boss.get(f"/klaverweide/jaarcijfers/export/geheim.csv?jaar={YEAR}").status_code == 404


@pytest.mark.parametrize("value, shown", [(0, 0), (1, "< 5"), (4, "< 5"), (5, 5), ("3,5 dagen", "3,5 dagen")])
def test_suppression_below_five(value, shown):
    assert yearly.suppress(value) == shown


def test_neutral_cells():
    assert [neutral(v) for v in ("=1+1", "+31 6", "-2", "@A1", "\tx", "gewoon", 5)] == [
        "'=1+1",
        "'+31 6",
        "'-2",
        "'@A1",
        "'\tx",
        "gewoon",
        5,
    ]


def _second_school(app, name="De Linde", slug="linde"):
    with db_ctx(app):
        other = School.create(slug=slug, name=name)
        from portal.admin import set_plugin_enabled

        set_plugin_enabled(other, "trauma", True)
        return other


def test_the_bestuurs_version_has_a_row_per_school_the_total_and_hides_small_counts(app):
    _second_school(app)
    with db_ctx(app):
        for _ in range(3):
            trauma("geweld", FIRST)
        for _ in range(6):
            trauma("geweld", LAST_YEAR_FIRST)
    board = as_role(app, "bestuur")
    html = board.get(f"/klaverweide/jaarcijfers/bestuur?jaar={YEAR}").get_data(as_text=True)
    table = html[html.index('id="scholen"') : html.index('id="cijfers"')]
    assert f'<a href="/klaverweide/jaarcijfers/?jaar={YEAR}">De Klaverweide</a>' in table
    assert f'<a href="/linde/jaarcijfers/?jaar={YEAR}">De Linde</a>' in table
    assert "Traumatische gebeurtenissen" in table and "Totaal" in table
    row = re.search(r"De Klaverweide</a></th>(.*?)</tr>", table, re.S).group(1)
    assert "&lt; 5" in row and re.search(r"<td>3</td>", row) is None
    figure = html[html.index('id="cijfer-trauma-per-soort"') :]
    figure = figure[: figure.index("</section>")]
    assert re.search(r"Totaal</th><td>&lt; 5</td><td>6</td>", figure)
    # The PDF says the same, and names nobody.
    assert (
        post(
            board,
            "/klaverweide/jaarcijfers/bestuur/pdf",
            {"jaar": YEAR},
            page=f"/klaverweide/jaarcijfers/bestuur?jaar={YEAR}",
        ).status_code
        == 302
    )
    with db_ctx(app):
        doc = ReportDocument.get(ReportDocument.school.is_null())
    text = pdf_text(board.get(f"/klaverweide/jaarcijfers/bestuur/versies/{doc.id}").data)
    assert "< 5" in text and "De Linde" in text and "Ruben Hoekstra" not in text
    xlsx = board.get(f"/klaverweide/jaarcijfers/bestuur/export/scholen.xlsx?jaar={YEAR}")
    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert (
        rows[0][0] == "School"
        and rows[-1][0] == "Totaal"
        and [r[0] for r in rows[1:-1]] == ["De Klaverweide", "De Linde"]
    )


def test_only_a_board_wide_bestuur_sees_the_version_across_schools(app):
    assert as_role(app, "directie").get(f"/klaverweide/jaarcijfers/bestuur?jaar={YEAR}").status_code in (
        403,
        404,
    )
    with db_ctx(app):
        # A bestuur role at one school only: not the board's view.
        local = User.create(
            email="cluster@klaverweide.demo",
            name="Cluster Een",
            password_hash=User.get(User.email == "directie@klaverweide.demo").password_hash,
        )
        UserRole.create(user=local, school=school(), role="bestuur")
    client = as_role(app, "cluster@klaverweide.demo")
    assert client.get(f"/klaverweide/jaarcijfers/bestuur?jaar={YEAR}").status_code == 404
    assert client.get(REPORT).status_code == 200
    assert as_role(app, "bestuur").get(f"/klaverweide/jaarcijfers/bestuur?jaar={YEAR}").status_code == 200


def test_the_report_of_another_school_is_not_reachable_through_this_one(app):
    other = _second_school(app)
    with db_ctx(app):
        action = SafetyAction.create(
            school=other.id,
            school_year=YEAR,
            goal="Van De Linde",
            owner="team",
            due_on=FIRST,
            finding_kind="anders",
        )
        monitor = MonitorResult.create(school=other.id, school_year=YEAR, instrument="X", measured_on=FIRST)
    boss = as_role(app, "directie")
    assert boss.get(f"/klaverweide/jaarcijfers/acties/{action.id}").status_code == 404
    assert boss.get(f"/klaverweide/jaarcijfers/monitor/{monitor.id}").status_code == 404
    assert post(boss, f"/klaverweide/jaarcijfers/monitor/{monitor.id}/verwijderen").status_code == 404
    with db_ctx(app):
        assert MonitorResult.select().where(MonitorResult.id == monitor.id).exists()


def test_kept_figures_follow_every_change_of_what_they_count(app):
    boss = as_role(app, "directie")

    def count():
        html = boss.get(REPORT).get_data(as_text=True)
        section = html[html.index('id="cijfer-trauma-per-soort"') :]
        return int(re.search(r"Totaal</th><td>(\d+)</td>", section).group(1))

    demo = count()  # the demo's own trauma event of this school year

    def trauma_total():
        return str(count() - demo)

    assert trauma_total() == "0"
    with db_ctx(app):
        case = trauma("geweld", FIRST)
    assert trauma_total() == "1"  # a new case
    with db_ctx(app):
        from portal.cases import engine
        from portal.models import CaseEvent

        CaseEvent.delete().where(CaseEvent.case == case.id).execute()
        Case.delete().where(Case.id == case.id).execute()  # as the purge does
    assert trauma_total() == "0"
    with db_ctx(app):
        other = trauma("geweld", FIRST)
        engine.add_note(other, actor("directie"), "Een notitie.")
    assert trauma_total() == "1"


def test_kept_figures_follow_a_purge_of_an_older_case(app):
    """The fingerprint has no count of the school's cases: a purge of a case that is neither
    the newest nor the last changed is seen by the school's purge counter."""
    from portal import retention

    boss = as_role(app, "directie")

    def count():
        html = boss.get(REPORT).get_data(as_text=True)
        section = html[html.index('id="cijfer-trauma-per-soort"') :]
        return int(re.search(r"Totaal</th><td>(\d+)</td>", section).group(1))

    with db_ctx(app):
        old = trauma("geweld", FIRST)
        trauma("geweld", FIRST)  # newer: the highest id and the latest change stay its own
    before = count()
    with db_ctx(app):
        Case.update(closed_at=Case.created_at, retention_until=today() - datetime.timedelta(days=1)).where(
            Case.id == old.id
        ).execute()
    # A plain UPDATE leaves updated_at: the page shows the kept figures (the figures count
    # the case still, so they are right).
    assert count() == before
    with db_ctx(app):
        purged = retention.purge(dry_run=False)
        assert [p.id for p in purged] == [old.id]
    assert count() == before - 1
