"""The audit log for people (issue 20 item 5): every action name the code writes has a Dutch
description, every outcome too; a row says who it was about; filters on person, case, action,
outcome and dates; the logins of the school's people on its log, for the beheerder and the
directie; CSV downloads of the log and of one case's whole log, each audited."""

import ast
import csv
import datetime
import io
import pathlib

import pytest

from portal import audit_log
from portal.models import AuditLog
from portal.models import School
from portal.models import User
from portal.models import UserRole
from portal.passwords import hash_password
from portal.testing import as_role
from portal.testing import login
from portal.testing import post

from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import user

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOG = "/klaverweide/beheer/auditlog"


def _code_names():
    """(actions, outcomes, public suffixes) the code of the portal and its plugins writes."""
    actions, outcomes, public = set(), set(), set()

    def constants(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.IfExp):
            return constants(node.body) + constants(node.orelse)
        return []

    for path in [*ROOT.joinpath("portal").rglob("*.py"), *ROOT.joinpath("plugins").rglob("*.py")]:
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in ("audit", "audit_view") and node.args:
                    actions.update(constants(node.args[0]))
                if name in ("audit", "audit_view"):
                    for kw in node.keywords:
                        if kw.arg == "outcome":
                            outcomes.update(constants(kw.value))
                # The names handed to helpers that audit them (admin._reachable, inzage._choose).
                if name == "_reachable" and len(node.args) > 1:
                    actions.update(constants(node.args[1]))
                if name == "_choose" and len(node.args) > 5:
                    actions.update(constants(node.args[5]))
                if name == "_kind" and len(node.args) > 1:
                    public.update(constants(node.args[1]))
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                actions.update(v for v in constants(node.value) if "." in v)
    return actions, outcomes, public


def test_every_action_and_outcome_in_the_code_has_a_dutch_description():
    actions, outcomes, public = _code_names()
    assert len(actions) > 100
    missing = sorted(a for a in actions if a not in audit_log.ACTIONS)
    assert not missing, f"geen beschrijving in portal/audit_log.py ACTIONS: {missing}"
    assert not sorted(o for o in outcomes if o not in audit_log.OUTCOMES)
    assert not sorted(p for p in public if p not in audit_log.PUBLIC)


def test_descriptions(app):
    with app.app_context():
        assert audit_log.describe("case.view") == "Zaak bekeken"
        assert audit_log.outcome_text("denied") == "Geweigerd: geen recht"
        assert (
            audit_log.describe("klachten.indienen")
            == "Klachten: Melding ingediend door een ouder of leerling"
        )
        assert audit_log.describe("iets.onbekends") == "iets.onbekends"  # shown, never hidden


def test_the_page_reads_in_dutch_and_says_whom_a_row_is_about(app):
    client = as_role(app, "beheerder")
    with db_ctx(app):
        case = make_case("Zaak voor het log")
        teacher = user("leerkracht")
    as_role(app, "directie").get(f"/klaverweide/zaken/{case.reference}")
    as_role(app, "leerkracht").get("/klaverweide/zaken/XX-2026-9999")  # refused
    post(client, f"/klaverweide/beheer/gebruiker/{teacher.id}/uitschakelen")
    html = client.get(LOG).get_data(as_text=True)
    assert "Zaak bekeken" in html and f"Zaak {case.reference}" in html
    assert "Geweigerd: geen recht" in html
    assert "Gebruiker uitgeschakeld" in html and f"Gebruiker {teacher.name}" in html
    assert "case.view" not in html.split("<tbody>")[1].split("Zaak bekeken")[0]  # no codes as labels
    assert f'href="/klaverweide/beheer/auditlog/zaak/{case.reference}.csv"' not in html  # no case chosen
    html = client.get(f"{LOG}?zaak={case.reference.lower()}").get_data(as_text=True)
    assert f'href="/klaverweide/beheer/auditlog/zaak/{case.reference}.csv"' in html
    assert "Auditlog van zaak" in html.split("</title>")[0]


def _actions_on_page(html):
    return html.split("<tbody>")[1]


def test_filters_on_person_case_action_outcome_and_dates(app):
    client = as_role(app, "beheerder")
    with db_ctx(app):
        one = make_case("Eerste").reference
        two = make_case("Tweede").reference
        AuditLog.create(
            action="case.note",
            case_ref=one,
            school="klaverweide",
            user_email="ib@klaverweide.demo",
            at=datetime.datetime(2024, 3, 5, 10, 0),
        )
    as_role(app, "ib").get(f"/klaverweide/zaken/{two}")
    body = _actions_on_page(client.get(f"{LOG}?wie=ib@klaverweide.demo").get_data(as_text=True))
    assert "ib@klaverweide.demo" in body and "directie@klaverweide.demo" not in body
    body = _actions_on_page(client.get(f"{LOG}?zaak={one}").get_data(as_text=True))
    assert one in body and two not in body
    body = _actions_on_page(client.get(f"{LOG}?handeling=case.view").get_data(as_text=True))
    assert "Zaak bekeken" in body and "Notitie bij een zaak geplaatst" not in body
    body = _actions_on_page(client.get(f"{LOG}?handeling=groep:inloggen").get_data(as_text=True))
    assert "Inloggen" in body and "Zaak bekeken" not in body
    body = _actions_on_page(client.get(f"{LOG}?van=2024-03-01&tot=5-3-2024").get_data(as_text=True))
    assert "Notitie bij een zaak geplaatst" in body and "Zaak bekeken" not in body
    body = _actions_on_page(client.get(f"{LOG}?tot=2024-03-04").get_data(as_text=True))
    assert "Geen regels gevonden." in body
    as_role(app, "leerkracht").get("/klaverweide/beheer/")  # 403, not audited as a row here
    as_role(app, "leerkracht").get("/klaverweide/zaken/XX-2026-9999")
    body = _actions_on_page(client.get(f"{LOG}?uitkomst=niet").get_data(as_text=True))
    assert "Geweigerd: geen recht" in body and "Gelukt" not in body
    # A date that is none: a Dutch message, the rest of the filters kept.
    r = client.get(f"{LOG}?van=31-02-2026&zaak={one}")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Vul een datum in als dd-mm-jjjj" in html and "<title>Fout: Auditlog" in html
    assert f'value="{one}"' in html
    r = client.get(f"{LOG}?van=2026-03-05&tot=2026-03-01")
    assert "De einddatum ligt vóór de begindatum." in r.get_data(as_text=True)
    # The look at the log is itself logged, with the filters.
    with db_ctx(app):
        last = (
            AuditLog.select()
            .where(AuditLog.action == "admin.audit_log.view")
            .order_by(AuditLog.id.desc())
            .first()
        )
        assert last.detail == "van=2026-03-05"  # the end date before it was left out


def _other_school(app):
    with db_ctx(app):
        linde = School.create(slug="de-linde", name="De Linde")
        row = User.create(
            email="ib@delinde.demo", name="Iris Linde", password_hash=hash_password("linde-wachtwoord-2026")
        )
        UserRole.create(user=row, school=linde, role="ib")


@pytest.mark.parametrize("reader", ["beheerder", "directie"])
def test_logins_of_the_schools_people_are_on_its_log(app, reader):
    _other_school(app)
    as_role(app, "ib")  # a login of De Klaverweide's ib
    assert login(app.test_client(), "ib@delinde.demo", "linde-wachtwoord-2026").status_code == 302
    login(app.test_client(), "leerkracht", "helemaal-fout-wachtwoord")  # a failed one
    body = _actions_on_page(
        as_role(app, reader).get(f"{LOG}?handeling=groep:inloggen").get_data(as_text=True)
    )
    assert "ib@klaverweide.demo" in body and "Inloggen" in body
    assert "Mislukt: onjuist wachtwoord of code" in body and "leerkracht@klaverweide.demo" in body
    assert "ib@delinde.demo" not in body  # another school's people


def test_who_may_read_the_log(app):
    assert as_role(app, "leerkracht").get(LOG).status_code == 403
    assert as_role(app, "ib").get(f"{LOG}.csv").status_code == 403
    directie = as_role(app, "directie")
    assert directie.get(LOG).status_code == 200
    assert 'href="/klaverweide/beheer/auditlog"' in directie.get("/klaverweide/").get_data(as_text=True)


def _csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_export_of_the_filtered_log_is_audited_and_has_no_formulas(app):
    client = as_role(app, "beheerder")
    with db_ctx(app):
        ref = make_case("Export").reference
        AuditLog.create(action="case.note", case_ref=ref, school="klaverweide", detail="=HYPERLINK(1)")
    rows = _csv(client.get(f"{LOG}.csv?zaak={ref}"))
    assert rows[0][:7] == ["Tijd", "Persoon", "E-mailadres", "Rol", "Zaak", "Handeling", "Uitkomst"]
    assert {r[4] for r in rows[1:]} == {ref}
    assert "Notitie bij een zaak geplaatst" in {r[5] for r in rows[1:]}
    assert "'=HYPERLINK(1)" in {r[8] for r in rows[1:]}
    with db_ctx(app):
        done = AuditLog.get(AuditLog.action == "admin.audit_log.export")
        assert f"zaak={ref}" in done.detail and done.user_email == "beheerder@asg.demo"


def test_the_whole_log_of_one_case_for_its_dossier(app):
    client = as_role(app, "directie")
    with db_ctx(app):
        case = make_case("Dossier")
    as_role(app, "ib").get(f"/klaverweide/zaken/{case.reference}")
    html = client.get(f"/klaverweide/zaken/{case.reference}").get_data(as_text=True)
    link = f"/klaverweide/beheer/auditlog/zaak/{case.reference}.csv"
    assert f'href="{link}"' in html
    rows = _csv(client.get(link))
    assert [(r[2], r[5]) for r in rows[1:]] == [  # oldest first
        ("ib@klaverweide.demo", "Zaak bekeken"),
        ("directie@klaverweide.demo", "Zaak bekeken"),
    ]
    with db_ctx(app):
        done = AuditLog.get(AuditLog.action == "admin.audit_log.case_export")
        assert done.case_ref == case.reference
    assert client.get("/klaverweide/beheer/auditlog/zaak/XX-2026-0404.csv").status_code == 404
    # A leerkracht sees no link and gets no file.
    teacher = as_role(app, "leerkracht")
    assert teacher.get(link).status_code == 403


def test_a_case_of_another_school_is_not_in_this_schools_export(app):
    _other_school(app)
    with db_ctx(app):
        AuditLog.create(action="case.view", case_ref="TZ-2026-7777", school="de-linde")
    assert (
        as_role(app, "beheerder").get("/klaverweide/beheer/auditlog/zaak/TZ-2026-7777.csv").status_code == 404
    )


def test_plugins_are_named_by_their_dutch_titles(app):
    html = as_role(app, "beheerder").get("/klaverweide/beheer/").get_data(as_text=True)
    assert ">Meldcode huiselijk geweld en kindermishandeling</label>" in html
    assert ">meldcode</label>" not in html
    html = as_role(app, "beheerder").get("/klaverweide/beheer/rechten").get_data(as_text=True)
    assert "<small>Klachten</small>" in html and "<small>Portaal</small>" in html
    assert "<small>klachten.handle</small>" not in html
