"""Plugin social_media (safety plan 3.1.3): allowed list, permission requests, feed, figures.

Integration through the Flask test client with CSRF on; the demo school starts
with Basispoort, Gynzy and Squla on its list and one open request (spelen.nl).
"""

import datetime
import json

import pytest

from portal.dates import today
from portal.db import database
from portal.testing import access_problems
from portal.testing import db_session

from .conftest import login
from .conftest import post

BASE = "/klaverweide/social_media"
INDEX = f"{BASE}/"
ASK = f"{BASE}/aanvragen"
LIST = f"{BASE}/lijst"
FEED = f"{BASE}/allowed.json"
# How the staff page shows a domain (the search placeholder also mentions youtube.com).
YT = '<span class="sm-domain">youtube.com</span>'


# ------------------------------------------------------------- helpers ----


def in_days(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def ask(
    client,
    address="https://www.youtube.com/watch?v=watercyclus",
    groups=("6",),
    purpose="Aardrijkskunde: de watercyclus",
    kind="eenmalig",
    start=None,
    end="",
    name="YouTube",
):
    data = {
        "address": address,
        "name": name,
        "groups": list(groups),
        "purpose": purpose,
        "kind": kind,
        "start_date": start or in_days(3),
        "end_date": end,
    }
    return post(client, ASK, data, page=ASK)


def reference_of(client):
    """Reference of the newest request of the logged-in teacher (the first row of the list)."""
    html = client.get(ASK).get_data(as_text=True)
    mine = html.split("Mijn aanvragen", 1)[1]
    return mine.split("/zaken/", 1)[1].split('"', 1)[0]


# The privacy questions every approval answers (AVG art. 28): YouTube-like, no pupil data.
PRIVACY = {"privacy_agreement": "geen", "pupil_data": ["geen"], "min_age": "13"}


def step(client, ref, name, data=None):
    page = f"/klaverweide/zaken/{ref}"
    return post(client, f"{page}/stap/social_media.{name}", data or {}, page=page)


def count_requests(app):
    from plugins.social_media.models import AppRequest

    with app.app_context():
        database.connect(reuse_if_open=True)
        n = AppRequest.select().count()
        database.close()
    return n


def outbox(app):
    from portal.models import Outbox

    with app.app_context():
        database.connect(reuse_if_open=True)
        rows = [(o.to, o.subject, o.body) for o in Outbox.select().order_by(Outbox.id)]
        database.close()
    return rows


def feed(app):
    r = app.test_client().get(FEED)
    assert r.status_code == 200
    return r.get_json()


def approve_youtube(client_teacher, client_directie, **kw):
    assert ask(client_teacher, **kw).status_code == 302
    ref = reference_of(client_teacher)
    r = step(client_directie, ref, "goedkeuren", {**PRIVACY, "remark": "Goed idee."})
    assert r.status_code == 302, r.get_data(as_text=True)
    return ref


@pytest.fixture
def teacher(app):
    c = app.test_client()
    login(c, "leerkracht")
    return c


@pytest.fixture
def directie(app):
    c = app.test_client()
    login(c, "directie")
    return c


# ----------------------------------------------------------- demo data ----


def test_demo_school_has_the_plan_apps_and_an_open_request(teacher, app):
    html = teacher.get(INDEX).get_data(as_text=True)
    for name in ("Basispoort", "Gynzy", "Squla"):
        assert name in html
    assert count_requests(app) == 1
    assert "spelen.nl" in teacher.get(ASK).get_data(as_text=True)
    assert feed(app)["domains"] == ["basispoort.nl", "gynzy.com", "squla.nl"]


# ------------------------------------------------------------ requests ----


def test_teacher_requests_and_directie_is_told(teacher, app):
    r = ask(teacher)
    # Back on the request page (Start.then="start"), told who decides, the request listed.
    assert r.status_code == 302 and r.headers["Location"] == ASK
    html = teacher.get(ASK).get_data(as_text=True)
    assert count_requests(app) == 2
    ref = reference_of(teacher)
    assert ref.startswith("SM-")
    assert f"Uw aanvraag {ref} is naar de directie gestuurd." in html
    assert "wacht op besluit" in html.split("Mijn aanvragen", 1)[1]
    mail = [m for m in outbox(app) if ref in m[1]]
    assert [m[0] for m in mail] == ["directie@klaverweide.demo"]
    # The teacher sees it waiting on the dashboard too.
    dash = teacher.get("/klaverweide/").get_data(as_text=True)
    assert "Mijn aanvragen social media" in dash and "YouTube, groep 6: wacht op besluit" in dash


def test_already_allowed_says_so_and_makes_no_case(teacher, app):
    r = ask(teacher, address="https://app.gynzy.com/les/breuken", name="")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Dit mag al" in html and "Gynzy" in html and "gynzy.com" in html
    assert 'value="https://app.gynzy.com/les/breuken"' in html  # the form is kept
    assert count_requests(app) == 1  # only the demo request
    # A look-alike domain is not covered.
    assert ask(teacher, address="https://gynzy.com.spelletjes.example").status_code == 302


def test_bad_request_input_keeps_what_was_typed(teacher, app):
    r = ask(teacher, address="javascript:alert(1)", purpose="", groups=())
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Alleen webadressen die beginnen met http:// of https://" in html
    assert "Kies minstens één groep." in html
    assert "Schrijf op voor welke les" in html
    assert 'value="javascript:alert(1)"' in html and 'value="YouTube"' in html
    # The core's start page: a summary of the errors at the top, each linked to its field.
    assert 'class="error-summary"' in html and "3 velden moeten nog worden verbeterd" in html
    assert 'href="#address"' in html and 'href="#groups-0"' in html
    assert "<title>Fout: Toestemming vragen" in html
    assert count_requests(app) == 1


@pytest.mark.parametrize(
    "kind, start, end, message",
    [
        ("eenmalig", "", "", "Vul de datum in"),
        ("eenmalig", "gisteren", "", "geldige datum"),
        ("eenmalig", "past", "", "in het verleden"),
        ("periode", "soon", "", "laatste dag van de periode"),
        ("periode", "soon", "before", "vóór de eerste dag"),
        ("periode", "soon", "long", "hoogstens een jaar"),
        ("wekelijks", "soon", "", "Kies een van de mogelijkheden"),
    ],
)
def test_request_dates_are_checked(teacher, kind, start, end, message):
    dates = {
        "": "",
        "gisteren": "gisteren",
        "past": in_days(-1),
        "soon": in_days(5),
        "before": in_days(4),
        "long": in_days(5 + 400),
    }
    r = ask(teacher, kind=kind, start=dates[start] or " ", end=dates[end])
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)


def test_nul_and_unknown_group_are_refused(teacher, app):
    assert ask(teacher, purpose="les\x00").status_code == 400
    r = ask(teacher, groups=("9",))
    assert r.status_code == 422 and "Kies uit de groepen" in r.get_data(as_text=True)
    assert count_requests(app) == 1


def test_the_core_makes_the_case_with_its_details_mail_and_audit(teacher, app):
    from plugins.social_media.models import AppRequest
    from portal.models import AuditLog
    from portal.models import Case

    # Mail links come from PORTAL_URL, never from the request's Host header.
    app.config["PORTAL_URL"] = "https://portaal.school.nl"
    assert ask(teacher, address="HTTPS://WWW.YouTube.com/watch?v=1", groups=("4", "5")).status_code == 302
    ref = reference_of(teacher)
    with db_session(app):
        case = Case.get(Case.reference == ref)
        req = AppRequest.get(AppRequest.case == case.id)
        assert case.title == "YouTube voor groep 4 en 5" and case.state == "aangevraagd"
        assert (req.address, req.domain, req.name, req.groups) == (
            "https://www.youtube.com/watch?v=1",
            "youtube.com",
            "YouTube",
            "4,5",
        )
        assert req.requested_by.email == "leerkracht@klaverweide.demo"
        assert req.school_id == case.school_id and req.decision == ""
        assert (req.kind, req.start_date, req.end_date) == (
            "eenmalig",
            today() + datetime.timedelta(days=3),
            today() + datetime.timedelta(days=3),
        )
        assert [a.action for a in AuditLog.select().where(AuditLog.case_ref == ref)] == ["case.create"]
    ((to, subject, body),) = [m for m in outbox(app) if ref in m[1]]
    assert to == "directie@klaverweide.demo"
    assert subject == f"Nieuwe aanvraag: YouTube ({ref})"
    assert "Sanne de Boer vraagt toestemming om YouTube (youtube.com) te gebruiken in groep 4 en 5" in body
    assert f"Besluit hier: https://portaal.school.nl/klaverweide/zaken/{ref}" in body


def test_without_a_name_the_domain_is_the_label(teacher, app):
    data = {
        "address": "schooltv.nl",
        "groups": "3",
        "purpose": "Les",
        "kind": "eenmalig",
        "start_date": in_days(1),
    }  # no "name" in the post at all
    assert post(teacher, ASK, data, page=ASK).status_code == 302
    assert "schooltv.nl voor groep 3" in teacher.get("/klaverweide/zaken/").get_data(as_text=True)


def test_the_demo_request_told_the_directie_like_any_other(app):
    """Made outside a request (init-db --demo), its mail still has the case's link."""
    ((to, subject, body),) = [m for m in outbox(app) if "Nieuwe aanvraag" in m[1]]
    assert to == "directie@klaverweide.demo" and subject.startswith("Nieuwe aanvraag: spelen.nl")
    assert "Besluit hier: http" in body and "/klaverweide/zaken/SM-" in body


def test_a_director_who_asks_is_not_mailed_about_it(directie, app):
    assert ask(directie, address="schooltv.nl", name="Schooltv").status_code == 302
    assert not [m for m in outbox(app) if "Schooltv" in m[1]]


@pytest.mark.parametrize(
    "address, message",
    [
        ("data:text/html,<b>x</b>", "http:// of https://"),
        ("http://192.168.1.10/", "geen IP-adres"),
        ("https://youtube.com@evil.example", "gebruikersnaam"),
        ("basispoort", "volledig webadres"),
    ],
)
def test_an_address_that_is_no_site_makes_no_request(teacher, app, address, message):
    r = ask(teacher, address=address)
    assert r.status_code == 422 and message in r.get_data(as_text=True)
    assert count_requests(app) == 1


def test_a_link_prefills_the_address(teacher):
    html = teacher.get(ASK + "?adres=" + "x" * 600).get_data(as_text=True)
    assert 'value="' + "x" * 500 + '"' in html and "x" * 501 not in html


def test_access_to_every_page_of_the_plugin(app):
    assert access_problems(app, blueprint="social_media") == []


# ----------------------------------------------------------- decisions ----


def test_approve_on_a_date_mails_teacher_and_shows_it_allowed(teacher, directie, app):
    ref = approve_youtube(teacher, directie, start=in_days(0))
    mail = [m for m in outbox(app) if m[0] == "leerkracht@klaverweide.demo"]
    assert len(mail) == 1 and mail[0][1].startswith("Goedgekeurd: YouTube")
    assert "groep 6" in mail[0][2] and "Goed idee." in mail[0][2]
    html = teacher.get(INDEX).get_data(as_text=True)
    assert "Toestemming gegeven" in html and YT in html and "Groep 6, op " in html
    assert "goedgekeurd, geldt nu" in teacher.get(ASK).get_data(as_text=True)
    assert "YouTube, groep 6: goedgekeurd, geldt nu" in teacher.get("/klaverweide/").get_data(as_text=True)
    case = teacher.get(f"/klaverweide/zaken/{ref}").get_data(as_text=True)
    assert "<dt>Domein</dt><dd>youtube.com</dd>" in case  # the summary is markup, not text
    data = feed(app)
    assert "youtube.com" in data["domains"]
    assert data["approved"] == [{"domain": "youtube.com", "until": in_days(0)}]
    # Only once on a date: nothing on the allowed list.
    assert "youtube.com" not in [a["domain"] for a in data["allowed"]]


def test_group_filter_and_search(teacher, directie, app):
    approve_youtube(teacher, directie, start=in_days(0))
    assert YT in teacher.get(INDEX + "?groep=6").get_data(as_text=True)
    assert YT not in teacher.get(INDEX + "?groep=3").get_data(as_text=True)
    html = teacher.get(INDEX + "?q=https://app.gynzy.com/les").get_data(as_text=True)
    assert '<span class="sm-name">Gynzy</span>' in html
    assert '<span class="sm-name">Squla</span>' not in html
    html = teacher.get(INDEX + "?q=schooltv").get_data(as_text=True)
    assert '<span class="sm-name">' not in html and "Toestemming vragen voor ‘schooltv’" in html
    assert 'href="/klaverweide/social_media/aanvragen?adres=schooltv"' in html
    assert 'value="schooltv"' in teacher.get(ASK + "?adres=schooltv").get_data(as_text=True)
    assert teacher.get(INDEX + "?groep=<x>&q=" + "y" * 5000).status_code == 200


def test_a_future_approval_is_not_yet_in_force(teacher, directie, app):
    approve_youtube(teacher, directie, start=in_days(3))
    assert "youtube.com" not in feed(app)["domains"]
    assert "geldt vanaf" in teacher.get(ASK).get_data(as_text=True)


def test_period_ends_by_itself(teacher, directie, app):
    from plugins.social_media import details
    from plugins.social_media.models import AppRequest
    from portal.models import School

    approve_youtube(teacher, directie, kind="periode", start=in_days(0), end=in_days(10))
    assert feed(app)["approved"] == [{"domain": "youtube.com", "until": in_days(10)}]
    with app.app_context():
        database.connect(reuse_if_open=True)
        school = School.get(School.slug == "klaverweide")
        day = today()
        for offset, expected in ((0, True), (10, True), (11, False)):
            later = day + datetime.timedelta(days=offset)
            domains = details.feed(school, later)["domains"]
            assert ("youtube.com" in domains) is expected, offset
        # Move the period into the past, as if three weeks went by.
        AppRequest.update(
            start_date=day - datetime.timedelta(days=20), end_date=day - datetime.timedelta(days=10)
        ).where(AppRequest.domain == "youtube.com").execute()
        database.close()
    assert "youtube.com" not in feed(app)["domains"]
    assert YT not in teacher.get(INDEX).get_data(as_text=True)
    assert "afgelopen op" in teacher.get(ASK).get_data(as_text=True)


def test_structural_approval_goes_on_the_list_and_withdrawal_takes_it_off(teacher, directie, app):
    ref = approve_youtube(teacher, directie, kind="structureel", start="")
    data = feed(app)
    assert {"domain": "youtube.com", "name": "YouTube"} in data["allowed"]
    assert data["approved"] == []
    assert "youtube.com" in directie.get(LIST).get_data(as_text=True)
    # Asking again is now answered at once.
    assert "Dit mag al" in ask(teacher).get_data(as_text=True)
    r = step(directie, ref, "intrekken", {"reason": "Er kwam reclame tussen de filmpjes."})
    assert r.status_code == 302
    assert "youtube.com" not in feed(app)["domains"]
    assert "ingetrokken: Er kwam reclame" in teacher.get(ASK).get_data(as_text=True)


def test_approve_with_add_to_list(teacher, directie, app):
    assert ask(teacher, address="schooltv.nl", name="Schooltv").status_code == 302
    ref = reference_of(teacher)
    assert step(directie, ref, "goedkeuren", {**PRIVACY, "add_to_list": "y"}).status_code == 302
    assert {"domain": "schooltv.nl", "name": "Schooltv"} in feed(app)["allowed"]


def test_decline_needs_a_reason_and_tells_the_teacher(teacher, directie, app):
    assert ask(teacher, address="spelletjes.example.nl", name="Spelletjes").status_code == 302
    ref = reference_of(teacher)
    r = step(directie, ref, "afwijzen", {"reason": ""})
    assert r.status_code == 422 and "Schrijf op waarom" in r.get_data(as_text=True)
    assert step(directie, ref, "afwijzen", {"reason": "Te veel reclame."}).status_code == 302
    mail = [m for m in outbox(app) if m[0] == "leerkracht@klaverweide.demo"]
    assert mail[-1][1].startswith("Afgewezen: Spelletjes") and "Te veel reclame." in mail[-1][2]
    assert "afgewezen: Te veel reclame." in teacher.get(ASK).get_data(as_text=True)
    assert "spelletjes.example.nl" not in feed(app)["domains"]


def test_a_request_whose_date_passed_cannot_be_approved(teacher, directie, app):
    from plugins.social_media.models import AppRequest

    assert ask(teacher).status_code == 302
    ref = reference_of(teacher)
    with app.app_context():
        database.connect(reuse_if_open=True)
        past = today() - datetime.timedelta(days=1)
        AppRequest.update(start_date=past, end_date=past).where(AppRequest.domain == "youtube.com").execute()
        database.close()
    r = step(directie, ref, "goedkeuren", PRIVACY)
    assert r.status_code == 422 and "al voorbij" in r.get_data(as_text=True)


# -------------------------------------------------------------- access ----


def test_leerkracht_cannot_approve_or_manage(teacher, app):
    assert ask(teacher).status_code == 302
    ref = reference_of(teacher)
    r = step(teacher, ref, "goedkeuren")
    assert r.status_code == 422 and "U mag de stap" in r.get_data(as_text=True)
    page = teacher.get(f"/klaverweide/zaken/{ref}").get_data(as_text=True)
    assert "Goedkeuren" not in page and "Aangevraagd" in page
    assert teacher.get(LIST).status_code == 403
    assert (
        post(
            teacher,
            LIST,
            {"name": "X", "address": "x.nl", "since": in_days(0), "approved_by": "ik"},
            page=ASK,
        ).status_code
        == 403
    )
    assert post(teacher, f"{LIST}/1/verwijderen", {}, page=ASK).status_code == 403
    assert "youtube.com" not in feed(app)["domains"]


@pytest.mark.parametrize(
    "role, index, ask_page, manage",
    [
        ("leerkracht", 200, 200, 403),
        ("ondersteunend", 200, 200, 403),
        ("ib", 200, 200, 403),
        ("contactpersoon", 200, 403, 403),
        ("directie", 200, 200, 200),
        ("beheerder", 200, 403, 403),
    ],
)
def test_pages_per_role(client, role, index, ask_page, manage):
    login(client, role)
    assert client.get(INDEX).status_code == index
    assert client.get(ASK).status_code == ask_page
    assert client.get(LIST).status_code == manage


def test_anonymous_gets_the_feed_only(client):
    assert client.get(INDEX).status_code == 302
    assert client.get(ASK).status_code == 302
    assert client.get(LIST).status_code == 302
    assert client.get(FEED).status_code == 200
    assert client.get("/onbekend/social_media/allowed.json").status_code == 404


def test_feed_is_gone_when_the_school_disables_the_plugin(client, app):
    from portal.models import SchoolPlugin

    with app.app_context():
        database.connect(reuse_if_open=True)
        SchoolPlugin.delete().where(SchoolPlugin.plugin == "social_media").execute()
        database.close()
    assert client.get(FEED).status_code == 404


# ---------------------------------------------------------------- feed ----


def test_feed_has_no_personal_data(teacher, directie, app):
    approve_youtube(
        teacher,
        directie,
        start=in_days(0),
        name="Filmpje van juf Sanne",
        purpose="Les over de watercyclus met Zoë uit groep 6",
    )
    r = app.test_client().get(FEED)
    assert r.mimetype == "application/json"
    assert r.headers["Cache-Control"] == "public, max-age=300"
    text = r.get_data(as_text=True)
    data = json.loads(text)
    assert set(data) == {"school", "date", "includes_subdomains", "domains", "allowed", "approved"}
    for item in data["approved"]:
        assert set(item) == {"domain", "until"}
    for marker in (
        "Sanne",
        "de Boer",
        "Ruben",
        "Hoekstra",
        "leerkracht",
        "directie",
        "Zoë",
        "Zo\\u00eb",
        "watercyclus",
        "groep",
        "Filmpje",
        "SM-",
        "@",
    ):
        assert marker not in text, marker
    # A logged-in user's copy is not cached (the core's rule for authenticated pages).
    assert teacher.get(FEED).headers["Cache-Control"] == "no-store"


# --------------------------------------------------- the list, directie ----


def test_directie_manages_the_list(directie, app):
    form = {
        "name": "Schooltv",
        "address": "https://www.schooltv.nl/video/x",
        "purpose": "Filmpjes bij wereldoriëntatie",
        "since": in_days(0),
        "approved_by": "Ruben Hoekstra",
        **PRIVACY,
    }
    r = post(directie, LIST, form, page=LIST)
    assert r.status_code == 302
    html = directie.get(LIST).get_data(as_text=True)
    assert "Schooltv" in html and "schooltv.nl" in html
    assert "schooltv.nl" in feed(app)["domains"]
    r = post(directie, LIST, {**form, "name": "Nog eens", "address": "schooltv.nl"}, page=LIST)
    assert r.status_code == 422 and "staat al op de lijst" in r.get_data(as_text=True)
    r = post(directie, LIST, {**form, "address": "javascript:void(0)"}, page=LIST)
    assert r.status_code == 422 and "http:// of https://" in r.get_data(as_text=True)

    from plugins.social_media.models import AllowedApp

    with app.app_context():
        database.connect(reuse_if_open=True)
        app_id = AllowedApp.get(AllowedApp.domain == "schooltv.nl").id
        database.close()
    assert post(directie, f"{LIST}/{app_id}/verwijderen", {}, page=LIST).status_code == 302
    assert "schooltv.nl" not in feed(app)["domains"]
    assert post(directie, f"{LIST}/{app_id}/verwijderen", {}, page=LIST).status_code == 404
    assert directie.get(f"{LIST}/{app_id}/verwijderen").status_code == 405


def test_directie_dashboard_shows_waiting_requests(directie):
    html = directie.get("/klaverweide/").get_data(as_text=True)
    assert "Aanvragen social media: 1 wachten op besluit" in html
    assert "spelen.nl, groep 5" in html
    # No empty "my requests" panel for the directie.
    assert "Mijn aanvragen social media" not in html


# ------------------------------------------------------------ settings ----


def test_rules_text_is_escaped_with_line_breaks(teacher, app):
    from portal.models import School
    from portal.settings import set_setting

    with app.app_context():
        database.connect(reuse_if_open=True)
        school = School.get(School.slug == "klaverweide")
        set_setting(
            school, "social_media.school_rules", "Regel één\nRegel <script>alert(1)</script>\n\nNieuwe alinea"
        )
        set_setting(school, "social_media.guidelines_url", "javascript:alert(1)")
        database.close()
    html = teacher.get(INDEX).get_data(as_text=True)
    assert "<p>Regel één<br>Regel &lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "<p>Nieuwe alinea</p>" in html
    assert "javascript:" not in html
    with app.app_context():
        database.connect(reuse_if_open=True)
        set_setting(school, "social_media.guidelines_url", "https://www.asg.nl/richtlijnen")
        database.close()
    assert 'href="https://www.asg.nl/richtlijnen"' in teacher.get(INDEX).get_data(as_text=True)


def test_default_rules_come_from_the_plan(teacher):
    html = teacher.get(INDEX).get_data(as_text=True)
    assert "Alleen Basispoort, Gynzy en Squla mogen in de klas worden opgestart." in html


def test_stylesheet_is_served_for_the_large_text(client):
    r = client.get(f"{BASE}/social_media.css")
    assert r.status_code == 200 and r.mimetype == "text/css" and ".sm-board" in r.get_data(as_text=True)


# ------------------------------------------------------------- figures ----


def test_annual_figures(teacher, directie, app):
    from plugins.social_media.reports import figures
    from portal.dates import school_year_of
    from portal.models import School

    approve_youtube(teacher, directie, start=in_days(0))
    assert ask(teacher, address="https://www.youtube.com/watch?v=2").status_code == 302
    assert ask(teacher, address="spelletjes.example.nl").status_code == 302
    step(directie, reference_of(teacher), "afwijzen", {"reason": "Nee."})
    year = school_year_of(today())
    with app.app_context():
        database.connect(reuse_if_open=True)
        school = School.get(School.slug == "klaverweide")
        counts, top = figures(school, year)
        assert figures(None, year)[0].value == counts.value
        assert figures(school, year - 1)[0].value == 0
        database.close()
    assert counts.value == 4
    assert dict(counts.rows) == {
        "Goedgekeurd": 1,
        "Afgewezen": 1,
        "Ingetrokken na goedkeuring": 0,
        "Nog geen besluit": 2,
    }
    assert top.rows[0] == ("youtube.com", 2)
    html = directie.get(f"/klaverweide/jaarcijfers/?jaar={year}").get_data(as_text=True)
    assert "Aanvragen social media en apps: 4" in html and "youtube.com" in html


# ------------------------------------------------- privacy (issue 14, item 7) ----

UNCOVERED = (
    "Deze app verwerkt gegevens van leerlingen, maar er is geen verwerkersovereenkomst en de "
    "leverancier staat niet in het Privacyconvenant Onderwijs: de app kan niet blijvend worden "
    "toegestaan (AVG art. 28). Sluit eerst een verwerkersovereenkomst af."
)


def request_row(app, ref):
    from plugins.social_media.models import AppRequest
    from portal.models import Case

    with app.app_context():
        database.connect(reuse_if_open=True)
        row = AppRequest.get(AppRequest.case == Case.get(Case.reference == ref).id)
        database.close()
    return row


def test_approving_asks_the_privacy_questions_and_records_the_answers(teacher, directie, app):
    assert ask(teacher, address="schooltv.nl", name="Schooltv").status_code == 302
    ref = reference_of(teacher)
    page = directie.get(f"/klaverweide/zaken/{ref}").get_data(as_text=True)
    for question in (
        "Is er een verwerkersovereenkomst, of staat de leverancier in het Privacyconvenant Onderwijs?",
        "Welke gegevens van leerlingen gebruikt de app?",
        "Minimumleeftijd volgens de leverancier (0 als er geen is)",
    ):
        assert question in page, question
    r = step(directie, ref, "goedkeuren", {"remark": "Goed."})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    for message in (
        "Kies of er een verwerkersovereenkomst is of de leverancier in het Privacyconvenant staat.",
        "Kies welke gegevens van leerlingen de app gebruikt (of ‘Geen’).",
        "Vul de minimumleeftijd in (0 als de leverancier er geen noemt).",
    ):
        assert message in html, message
    r = step(directie, ref, "goedkeuren", {**PRIVACY, "pupil_data": ["geen", "naam"]})
    assert r.status_code == 422
    assert "Kies ‘Geen’ of de gegevens die de app gebruikt, niet allebei." in r.get_data(as_text=True)
    assert request_row(app, ref).decision == ""
    answers = {"privacy_agreement": "privacyconvenant", "pupil_data": ["naam", "resultaten"], "min_age": "0"}
    assert step(directie, ref, "goedkeuren", {**answers, "add_to_list": "y"}).status_code == 302
    row = request_row(app, ref)
    assert (row.decision, row.privacy_agreement, row.pupil_data, row.min_age) == (
        "goedgekeurd",
        "privacyconvenant",
        "naam,resultaten",
        0,
    )
    from plugins.social_media.models import AllowedApp

    with app.app_context():
        database.connect(reuse_if_open=True)
        listed = AllowedApp.get(AllowedApp.domain == "schooltv.nl")
        database.close()
    assert (listed.privacy_agreement, listed.pupil_data, listed.min_age) == (
        "privacyconvenant",
        "naam,resultaten",
        0,
    )
    page = directie.get(f"/klaverweide/zaken/{ref}").get_data(as_text=True)
    assert "naam, resultaten en voortgang" in page and "Privacyconvenant Onderwijs ondertekend" in page


def test_pupil_data_without_an_agreement_is_never_allowed_for_good(teacher, directie, app):
    uncovered = {"privacy_agreement": "geen", "pupil_data": ["account", "resultaten"], "min_age": "13"}
    # On the allowed list through the request: refused, nothing changed.
    assert ask(teacher, address="quizlet.com", name="Quizlet").status_code == 302
    ref = reference_of(teacher)
    r = step(directie, ref, "goedkeuren", {**uncovered, "add_to_list": "y"})
    assert r.status_code == 422 and UNCOVERED in r.get_data(as_text=True)
    assert request_row(app, ref).decision == ""
    assert "quizlet.com" not in feed(app)["domains"]
    # For the date asked, without the list: allowed (not for good), the answers kept.
    assert step(directie, ref, "goedkeuren", uncovered).status_code == 302
    row = request_row(app, ref)
    assert (row.decision, row.privacy_agreement, row.pupil_data) == (
        "goedgekeurd",
        "geen",
        "account,resultaten",
    )
    assert {"domain": "quizlet.com", "name": "Quizlet"} not in feed(app)["allowed"]
    # A structural request is for good: refused.
    assert ask(teacher, address="kahoot.com", name="Kahoot", kind="structureel").status_code == 302
    ref = reference_of(teacher)
    r = step(directie, ref, "goedkeuren", uncovered)
    assert r.status_code == 422 and UNCOVERED in r.get_data(as_text=True)
    assert request_row(app, ref).decision == ""
    # Straight onto the list by the directie: refused, nothing added.
    form = {
        "name": "Kahoot",
        "address": "kahoot.com",
        "purpose": "Quizzen",
        "since": in_days(0),
        "approved_by": "Ruben Hoekstra",
        **uncovered,
    }
    r = post(directie, LIST, form, page=LIST)
    assert r.status_code == 422 and UNCOVERED in r.get_data(as_text=True)
    assert "kahoot.com" not in feed(app)["domains"]
    # With a verwerkersovereenkomst it may.
    r = post(directie, LIST, {**form, "privacy_agreement": "verwerkersovereenkomst"}, page=LIST)
    assert r.status_code == 302
    assert "kahoot.com" in feed(app)["domains"]
