"""Plugin organisatie: the register "Wie doet wat" (exactly one pestcoördinator, BHV'ers with
their certificates), its warnings and reminders, the parents' page, the evaluation moment and
the evacuation drill as cases with their actions, the training register, the figures, the
contacts other plugins read, and access. Through the Flask test client with CSRF on."""

import datetime
import html
import io
import json
import re

import peewee
import pytest
from pypdf import PdfReader

from plugins.organisatie import reminders
from plugins.organisatie.models import Action
from plugins.organisatie.models import Assignment
from plugins.organisatie.models import Drill
from plugins.organisatie.models import Evaluation
from plugins.organisatie.models import Notice
from plugins.organisatie.models import Person
from plugins.organisatie.models import Training
from portal import api
from portal.admin import set_plugin_enabled
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseDocument
from portal.models import CaseEvent
from portal.models import Outbox
from portal.models import School
from portal.models import User
from portal.models import UserRole
from portal.passwords import hash_password
from portal.testing import access_problems
from portal.testing import db_session

from .conftest import login
from .conftest import post

DAY = datetime.timedelta(days=1)
ORG = "/klaverweide/organisatie"
ROLES_PAGE = f"{ORG}/rollen"
TRAINING = f"{ORG}/scholing"
ACTIONS = f"{ORG}/acties"
PUBLIC = f"{ORG}/contactpersonen"
PLAN_EVALUATION = f"{ORG}/evaluatie/plannen"
PLAN_DRILL = f"{ORG}/ontruiming/plannen"


@pytest.fixture
def app_config(app_config):
    # Only this plugin (and the core's test plugin): others are built in parallel.
    return {**app_config, "PORTAL_PLUGINS": ("organisatie",)}


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


@pytest.fixture
def boss(app):
    return as_role(app, "directie")


def with_db(app, fn):
    with db_session(app):
        return fn()


def today():
    return api.today()


def year():
    return api.school_year_of(today())


def school():
    return School.get(School.slug == "klaverweide")


def person(name):
    return Person.get(Person.name == name)


def text_of(response):
    """The page's text as a reader sees it: tags out, entities read, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def case_url(ref):
    return f"/klaverweide/zaken/{ref}"


def step(client, ref, name, data=None):
    return post(client, f"{case_url(ref)}/stap/{name}", data or {}, page=case_url(ref))


def reference_of(response):
    m = re.search(r"/zaken/((?:EV|OT)-\d{4}-\d{4})", response.headers["Location"])
    assert m, response.headers.get("Location")
    return m.group(1)


def expire(app, name, until):
    """Make ``name``'s BHV certificate end on ``until``."""
    with_db(
        app,
        lambda: (
            Training.update(expires_on=until, completed_on=until - 365 * DAY)
            .where((Training.person == person(name).id) & (Training.kind == "bhv"))
            .execute()
        ),
    )


def holder_id(app, role):
    return with_db(
        app,
        lambda: Assignment.get((Assignment.role == role) & (Assignment.school_year == year())).id,
    )


def outbox(app):
    return with_db(app, lambda: [(m.to, m.subject, m.body) for m in Outbox.select().order_by(Outbox.id)])


# ------------------------------------------------------------------ the demo ----


def test_the_demo_has_eight_fictional_bhvers_one_expiring_soon_and_last_years_drill(app):
    def check():
        bhv = Assignment.select().where((Assignment.role == "bhv") & (Assignment.school_year == year()))
        assert bhv.count() == 8
        soon = [
            t
            for t in Training.select().where(Training.kind == "bhv")
            if today() <= t.expires_on <= today() + 60 * DAY
        ]
        assert [t.person.name for t in soon] == ["Kees Brouwer"]
        names = {p.name for p in Person.select()}
        assert "Monique Scholten" not in names  # the plan's real contactpersoon
        drill = Drill.select().join(Case, on=(Drill.case == Case.id)).get()
        first, last = api.school_year_bounds(year() - 1)
        assert first <= drill.held_on <= last and drill.case.state == "geevalueerd"

    with_db(app, check)


# ---------------------------------------------------------------- the register ----


def test_every_staff_member_sees_who_does_what_with_the_bhv_status(app):
    teacher = as_role(app, "leerkracht")
    r = teacher.get(ORG + "/")
    assert r.status_code == 200
    page = text_of(r)
    assert f"Wie doet wat, schooljaar {year()}-{year() + 1}" in page
    assert "8 van 8 BHV'ers met geldig certificaat" in page
    assert "Kees Brouwer BHV-certificaat: verloopt op" in page
    assert "Jeroen Mulder" in page and "Anouk Meijer" in page and "Floor Vermeulen" in page
    assert 'href="tel:0360002201"' in r.get_data(as_text=True)  # the vertrouwenspersoon, callable
    assert "Wie doet wat bijhouden" not in page
    assert teacher.get(ROLES_PAGE).status_code == 403
    assert '<a href="/klaverweide/organisatie/">Wie doet wat</a>' in teacher.get("/klaverweide/").get_data(
        as_text=True
    )


def test_dashboard_counts_bhvers_with_a_valid_certificate(app, boss):
    page = text_of(boss.get("/klaverweide/"))
    assert "8 van 8 BHV'ers met geldig certificaat" in page
    assert "Verloopt binnenkort: Kees Brouwer, verloopt op" in page
    expire(app, "Eva Jansen", today() - DAY)
    page = text_of(boss.get("/klaverweide/"))
    assert "7 van 8 BHV'ers met geldig certificaat" in page
    assert f"Geen geldig certificaat: Eva Jansen, verlopen op {api.nl_date(today() - DAY)}" in page
    register = text_of(boss.get(ORG + "/"))
    assert f"Eva Jansen BHV-certificaat: verlopen op {api.nl_date(today() - DAY)}" in register


def test_a_renewed_certificate_counts_not_the_old_one(app, boss):
    expire(app, "Eva Jansen", today() - DAY)
    r = post(
        boss,
        f"{TRAINING}/nieuw",
        {
            "who": f"p{with_db(app, lambda: person('Eva Jansen').id)}",
            "kind": "bhv",
            "course": "Herhaling BHV",
            "provider": "ASG Academie",
            "completed_on": today().isoformat(),
            "expires_on": (today() + 365 * DAY).isoformat(),
        },
        page=TRAINING,
    )
    assert r.status_code == 302
    assert "8 van 8 BHV'ers met geldig certificaat" in text_of(boss.get("/klaverweide/"))


def test_exactly_one_pestcoordinator(app, boss):
    r = post(boss, ROLES_PAGE, {"role": "pestcoordinator", "name": "Iris Smit"}, page=ROLES_PAGE)
    assert r.status_code == 422
    page = text_of(r)
    assert "Jeroen Mulder is al pbs-pestcoördinator" in page and "precies één" in page
    assert 'value="Iris Smit"' in r.get_data(as_text=True)  # what was typed stays
    assert with_db(app, lambda: Person.select().where(Person.name == "Iris Smit").count()) == 0
    r = post(
        boss, ROLES_PAGE, {"role": "pestcoordinator", "name": "Iris Smit", "replace": "y"}, page=ROLES_PAGE
    )
    assert r.status_code == 302
    assert "(in plaats van Jeroen Mulder)" in text_of(boss.get(ROLES_PAGE))
    holders = with_db(
        app,
        lambda: [a.person.name for a in Assignment.select().where(Assignment.role == "pestcoordinator")],
    )
    assert holders == ["Iris Smit"]
    # Jeroen Mulder stays a BHV'er: only the single role changed hands.
    assert (
        with_db(
            app, lambda: Assignment.select().where(Assignment.person == person("Jeroen Mulder").id).count()
        )
        == 1
    )


def test_the_database_refuses_a_second_pestcoordinator(app):
    def second():
        other = Person.create(school=school().id, name="Tweede")
        with pytest.raises(peewee.IntegrityError), database.atomic():
            Assignment.create(school=school().id, school_year=year(), person=other.id, role="pestcoordinator")

    with_db(app, second)


def test_a_school_without_pestcoordinator_or_contactpersoon_sees_a_red_panel(app, boss):
    assert "panel-alert" not in boss.get("/klaverweide/").get_data(as_text=True)
    for role in ("pestcoordinator", "contactpersoon"):
        r = post(boss, f"{ROLES_PAGE}/{holder_id(app, role)}/verwijderen", page=ROLES_PAGE)
        assert r.status_code == 302
    teacher = as_role(app, "leerkracht")
    html = teacher.get("/klaverweide/").get_data(as_text=True)
    assert 'class="panel panel-alert"' in html
    assert "Let op: geen pbs-pestcoördinator en geen contactpersoon" in text_of(teacher.get("/klaverweide/"))
    assert "Wie doet wat bijwerken" not in html  # only who may fix it gets the link
    assert "Wie doet wat bijwerken" in boss.get("/klaverweide/").get_data(as_text=True)
    assert "Let op: geen pbs-pestcoördinator en geen contactpersoon" in text_of(teacher.get(ORG + "/"))
    rows = with_db(app, lambda: list(AuditLog.select().where(AuditLog.action == "organisatie.rol_weg")))
    assert len(rows) == 2


def test_a_role_for_someone_without_an_account_or_a_colleague_with_one(app, boss):
    r = post(
        boss,
        ROLES_PAGE,
        {
            "role": "bhv",
            "name": "Nina de Vries",
            "phone": "06 1234 5678",
            "certified_on": (today() - 10 * DAY).isoformat(),
            "certified_until": (today() + 355 * DAY).isoformat(),
        },
        page=ROLES_PAGE,
    )
    assert r.status_code == 302
    page = text_of(boss.get(ORG + "/"))
    assert "9 van 9 BHV'ers met geldig certificaat" in page
    assert (
        f"Nina de Vries Telefoon: 06 1234 5678 BHV-certificaat: geldig tot {api.nl_date(today() + 355 * DAY)}"
        in page
    )

    def new_colleague():
        user = User.create(
            email="nieuw@klaverweide.demo", name="Bram Nieuw", password_hash=hash_password("x" * 20)
        )
        UserRole.create(user=user, school=school(), role="leerkracht")
        return user.id

    uid = with_db(app, new_colleague)
    html = boss.get(ROLES_PAGE).get_data(as_text=True)
    assert f'value="u{uid}"' in html and "Bram Nieuw (nog niet in het register)" in html
    assert post(boss, ROLES_PAGE, {"role": "ib", "who": f"u{uid}"}, page=ROLES_PAGE).status_code == 302
    found = with_db(app, lambda: Person.get(Person.user == uid))
    assert found.name == "Bram Nieuw"
    ib = with_db(
        app, lambda: sorted(a.person.name for a in Assignment.select().where(Assignment.role == "ib"))
    )
    assert ib == ["Bram Nieuw", "Marieke Postma"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"role": "ib"}, "Kies iemand uit de lijst of vul een naam in."),
        (
            {"role": "ib", "who": "p1", "name": "Iemand"},
            "Kies iemand uit de lijst óf vul een naam in, niet allebei.",
        ),
        ({"role": "ib", "who": "p999999"}, "Kies iemand uit de lijst."),
        ({"role": "baas", "name": "Iemand"}, "Kies een rol uit de lijst."),
        (
            {"role": "bhv", "name": "Iemand", "certified_on": "2026-01-05"},
            "Vul in tot wanneer het certificaat geldig is.",
        ),
        (
            {"role": "bhv", "name": "Iemand", "certified_on": "2026-01-05", "certified_until": "2025-01-05"},
            "Deze datum ligt niet na de datum van behalen.",
        ),
        (
            {"role": "ib", "name": "Iemand", "phone": "bel mij"},
            "Vul een telefoonnummer in met alleen cijfers",
        ),
        ({"role": "ib", "name": "Iemand", "email": "geen-adres"}, "Vul een geldig e-mailadres in."),
        ({"role": "ib", "name": "Ie\x01mand"}, "Deze tekst bevat ongeldige tekens."),
        ({"role": "ib", "name": "x" * 201}, "Veld mag niet langer zijn dan 200 karakters"),
    ],
)
def test_role_form_refuses_with_a_dutch_message(app, boss, data, message):
    before = with_db(app, lambda: (Person.select().count(), Assignment.select().count()))
    r = post(boss, ROLES_PAGE, data, page=ROLES_PAGE)
    assert r.status_code == 422
    assert message in r.get_data(as_text=True)
    assert 'class="error-summary"' in r.get_data(as_text=True)
    assert with_db(app, lambda: (Person.select().count(), Assignment.select().count())) == before


def test_another_schools_person_is_no_choice(app, boss):
    def elsewhere():
        other = School.create(slug="andere", name="Andere school")
        return Person.create(school=other.id, name="Van Elders").id

    pid = with_db(app, elsewhere)
    r = post(boss, ROLES_PAGE, {"role": "ib", "who": f"p{pid}"}, page=ROLES_PAGE)
    assert r.status_code == 422 and "Kies iemand uit de lijst." in r.get_data(as_text=True)
    assert boss.get(f"{ORG}/persoon/{pid}").status_code == 404
    assert post(boss, f"{ORG}/persoon/{pid}/verwijderen", page=ROLES_PAGE).status_code == 404


def test_next_school_year_takes_over_this_years_roles(app, boss):
    page = f"{ROLES_PAGE}?jaar={year() + 1}"
    assert "Voor dit schooljaar is nog niemand ingevuld." in text_of(boss.get(page))
    r = post(boss, f"{ROLES_PAGE}/overnemen", {"jaar": str(year() + 1)}, page=page)
    assert r.status_code == 302
    assert "15 rol(len) overgenomen" in text_of(boss.get(page))
    counts = with_db(
        app,
        lambda: [
            Assignment.select().where(Assignment.school_year == y).count() for y in (year(), year() + 1)
        ],
    )
    assert counts == [15, 15]
    # Again: nothing twice (and still one pestcoördinator).
    post(boss, f"{ROLES_PAGE}/overnemen", {"jaar": str(year() + 1)}, page=page)
    assert with_db(app, lambda: Assignment.select().where(Assignment.school_year == year() + 1).count()) == 15
    assert post(boss, f"{ROLES_PAGE}/overnemen", {"jaar": "1900"}, page=page).status_code == 404


def test_person_details_change_audited_and_bad_input_kept(app, boss):
    pid = with_db(app, lambda: person("Anouk Meijer").id)
    url = f"{ORG}/persoon/{pid}"
    r = post(boss, url, {"name": "Anouk Meijer", "phone": "niet bekend", "email": "x"}, page=url)
    assert r.status_code == 422
    assert "Vul een telefoonnummer in" in r.get_data(as_text=True) and 'value="niet bekend"' in r.get_data(
        as_text=True
    )
    r = post(
        boss,
        url,
        {
            "name": "Anouk Meijer",
            "organisation": "Vertrouwenspunt",
            "phone": "+31 36 000 2299",
            "email": "a@v.example",
        },
        page=url,
    )
    assert r.status_code == 302
    found = with_db(app, lambda: Person.get_by_id(pid))
    assert (found.phone, found.email, found.organisation) == (
        "+31 36 000 2299",
        "a@v.example",
        "Vertrouwenspunt",
    )
    row = with_db(app, lambda: AuditLog.select().where(AuditLog.action == "organisatie.persoon").get())
    assert row.detail == f"{pid}: organisation, phone, email"  # which fields, not their values
    assert 'href="tel:+31360002299"' in as_role(app, "leerkracht").get(ORG + "/").get_data(as_text=True)


def test_removing_a_person_removes_their_roles_and_courses(app, boss):
    pid = with_db(app, lambda: person("Kees Brouwer").id)
    assert post(boss, f"{ORG}/persoon/{pid}/verwijderen", page=ROLES_PAGE).status_code == 302
    left = with_db(
        app,
        lambda: (
            Assignment.select().where(Assignment.person == pid).count(),
            Training.select().where(Training.person == pid).count(),
        ),
    )
    assert left == (0, 0)
    assert "7 van 7 BHV'ers met geldig certificaat" in text_of(boss.get("/klaverweide/"))


# ---------------------------------------------------------- other plugins read it ----


def test_other_plugins_read_the_contacts_through_the_api(app):
    def read():
        here = school()
        # (The core's test plugin has a vertrouwenspersoon of its own.)
        found = api.school_contacts(here, "vertrouwenspersoon")
        vp = [c for c in found if c.name.startswith("organisatie.")]
        assert [c.reach() for c in vp] == [
            "Anouk Meijer (Vertrouwenspersonen Flevoland (demo)), 036 000 2201, "
            "vertrouwenspersoon@partners.demo"
        ]
        (contact,) = api.school_contacts(here, "contactpersoon")
        assert contact.user_id == User.get(User.email == "contactpersoon@klaverweide.demo").id
        assert contact.role_label == "Contactpersoon" and contact.name.startswith("organisatie.")
        assert contact.page == "organisatie.contactpersonen"  # where parents find the contactpersoon
        assert {c.page for c in api.school_contacts(here, "bhv")} == {""}
        assert len(api.school_contacts(here, "bhv")) == 8
        set_plugin_enabled(here, "organisatie", False)

    with_db(app, read)
    left = with_db(app, lambda: api.school_contacts(school()))
    assert [c.name for c in left if not c.name.startswith("testzaak.")] == []


# --------------------------------------------------------------- parents' page ----


def test_parents_see_who_to_turn_to_without_logging_in(app, client):
    r = client.get(PUBLIC)
    assert r.status_code == 200
    html, page = r.get_data(as_text=True), text_of(r)
    for name in ("Floor Vermeulen", "Jeroen Mulder", "Anouk Meijer"):
        assert name in page
    assert 'href="tel:0360002201"' in html and 'href="mailto:vertrouwenspersoon@partners.demo"' in html
    assert "Kees Brouwer" not in page  # BHV'ers are not for the parents' page
    assert "Uitloggen" not in html and "Hoofdmenu" not in html
    # A logged-in colleague on the same device sees the parents' layout too.
    assert "Hoofdmenu" not in as_role(app, "directie").get(PUBLIC).get_data(as_text=True)


def test_parents_page_says_when_a_role_is_not_filled(app, boss, client):
    post(boss, f"{ROLES_PAGE}/{holder_id(app, 'pestcoordinator')}/verwijderen", page=ROLES_PAGE)
    page = text_of(client.get(PUBLIC))
    assert "De school heeft dit nog niet ingevuld. Bel de school: 036 000 0000" in page


def test_parents_page_is_not_there_where_the_plugin_is_off(app, client):
    with_db(app, lambda: set_plugin_enabled(school(), "organisatie", False))
    assert client.get(PUBLIC).status_code == 404


# --------------------------------------------------------------- reminders ----


def test_directie_gets_one_mail_60_days_before_a_certificate_ends(app):
    until = with_db(app, lambda: Training.get((Training.person == person("Kees Brouwer").id)).expires_on)

    def remind(day):
        return with_db(app, lambda: reminders.certificate_reminder(school(), day))

    assert remind(until - 61 * DAY) is False
    assert outbox(app) == []
    assert remind(until - 60 * DAY) is True
    (mail,) = outbox(app)
    assert mail[0] == "directie@klaverweide.demo"
    assert mail[1] == "BHV-certificaat verloopt: De Klaverweide"
    assert f"Kees Brouwer: verloopt op {api.nl_date(until)}" in mail[2]
    assert "/klaverweide/organisatie/" in mail[2]
    # Once: the next days (and an expired certificate) bring no second mail.
    assert remind(until - 59 * DAY) is False and remind(until + DAY) is False
    assert len(outbox(app)) == 1
    assert with_db(app, lambda: Notice.select().count()) == 1


def test_no_mail_for_a_renewed_certificate_or_without_anyone_to_tell(app):
    def renew():
        kees = person("Kees Brouwer")
        Training.create(
            school=school().id,
            person=kees.id,
            kind="bhv",
            course="Herhaling",
            completed_on=today(),
            expires_on=today() + 365 * DAY,
        )

    with_db(app, renew)
    assert with_db(app, lambda: reminders.certificate_reminder(school(), today())) is False
    expire(app, "Eva Jansen", today() + 10 * DAY)
    with_db(app, lambda: UserRole.delete().where(UserRole.role == "directie").execute())
    assert with_db(app, lambda: reminders.certificate_reminder(school(), today())) is False
    assert outbox(app) == [] and with_db(app, lambda: Notice.select().count()) == 0


def test_from_1_june_without_a_drill_a_red_panel_and_one_reminder(app, boss, monkeypatch):
    june = datetime.date(year() + 1, 6, 1)
    may = june - DAY

    def drill_mail(day):
        return with_db(app, lambda: reminders.drill_reminder(school(), day))

    assert drill_mail(may) is False
    monkeypatch.setattr(api, "today", lambda: may)
    assert "nog geen ontruimingsoefening" not in boss.get("/klaverweide/").get_data(as_text=True)
    monkeypatch.setattr(api, "today", lambda: june)
    html = boss.get("/klaverweide/").get_data(as_text=True)
    assert f"Let op: nog geen ontruimingsoefening in {year()}-{year() + 1}" in html
    assert 'href="/klaverweide/organisatie/ontruiming/plannen">Ontruimingsoefening plannen' in html
    assert drill_mail(june) is True and drill_mail(june + DAY) is False
    mails = [m for m in outbox(app) if "ontruimingsoefening" in m[1]]
    assert len(mails) == 1 and mails[0][0] == "directie@klaverweide.demo"
    assert "minimaal één oefening per jaar" in mails[0][2]


def test_a_drill_held_this_year_ends_the_warning(app, boss, monkeypatch):
    ref = plan_drill(boss)
    assert carry_out(boss, ref).status_code == 302
    june = datetime.date(year() + 1, 6, 1)
    if june <= today():  # the drill was held today: the warning is about this school year
        june = today()
    monkeypatch.setattr(api, "today", lambda: june)
    assert "nog geen ontruimingsoefening" not in boss.get("/klaverweide/").get_data(as_text=True)
    assert with_db(app, lambda: reminders.drill_reminder(school(), june)) is False


def test_the_cron_command_runs_every_school_once(app, runner):
    result = runner.invoke(args=["organisatie-herinneringen"])
    assert result.exit_code == 0, result.output
    assert "klaverweide: herinnering BHV-certificaten verstuurd." in result.output
    again = runner.invoke(args=["organisatie-herinneringen"])
    assert "0 herinnering(en) verstuurd." in again.output
    subjects = [m[1] for m in outbox(app)]
    assert subjects.count("BHV-certificaat verloopt: De Klaverweide") == 1


# ---------------------------------------------------------------- evaluation ----


def plan_evaluation(client, day=None):
    r = post(client, PLAN_EVALUATION, {"planned_on": (day or today()).isoformat()}, page=PLAN_EVALUATION)
    assert r.status_code == 302, r.get_data(as_text=True)
    return reference_of(r)


def minutes(client, ref):
    return step(
        client,
        ref,
        "organisatie.verslag",
        {
            "held_on": today().isoformat(),
            "attendees": "Directie, IB, pestcoördinator, contactpersoon, twee BHV'ers",
            "minutes": "De BHV-certificaten en de vacature besproken.",
            "decisions": "Een nieuwe vertrouwenspersoon zoeken.",
        },
    )


def test_evaluation_moment_agenda_minutes_actions_and_closing(app, boss):
    # The register as the agenda will find it: no vertrouwenspersoon, an expired certificate.
    post(boss, f"{ROLES_PAGE}/{holder_id(app, 'vertrouwenspersoon')}/verwijderen", page=ROLES_PAGE)
    expire(app, "Eva Jansen", today() - DAY)
    assert "Evaluatiemoment plannen" in boss.get(PLAN_EVALUATION).get_data(as_text=True)
    ref = plan_evaluation(boss)
    page = text_of(boss.get(case_url(ref)))
    assert "Geen externe vertrouwenspersoon" in page
    assert f"BHV-certificaat verlopen op {api.nl_date(today() - DAY)}: Eva Jansen" in page
    assert "BHV-certificaat verloopt op" in page and "Kees Brouwer" in page
    assert "In elk lokaal de plattegrond met de vluchtroute ophangen." in page  # last year's open action
    assert "Cijfers van" in page and "Cursussen gevolgd (scholing)" in page
    assert "Leerling toevoegen" not in page  # an evaluation is not about a pupil
    assert (
        post(boss, f"{case_url(ref)}/leerlingen", {"lln-role": "betrokken"}, page=case_url(ref)).status_code
        == 404
    )

    assert minutes(boss, ref).status_code == 302
    kept = with_db(app, lambda: Evaluation.get(Evaluation.case == Case.get(Case.reference == ref).id).agenda)
    assert "Geen externe vertrouwenspersoon" in json.dumps(json.loads(kept), ensure_ascii=False)
    # The register changes after the meeting; the agenda stays as it was discussed.
    post(
        boss, ROLES_PAGE, {"role": "vertrouwenspersoon", "name": "Nieuwe Vertrouwenspersoon"}, page=ROLES_PAGE
    )
    assert "Geen externe vertrouwenspersoon" in text_of(boss.get(case_url(ref)))

    due = today() + 30 * DAY
    r = step(
        boss,
        ref,
        "organisatie.actie",
        {"description": "Herhalingscursus BHV boeken", "owner": "Ruben Hoekstra", "due_on": due.isoformat()},
    )
    assert r.status_code == 302
    r = step(boss, ref, "organisatie.actie", {"description": "Te laat", "owner": "X", "due_on": "2000-01-01"})
    assert r.status_code == 422 and "Deze datum ligt in het verleden." in r.get_data(as_text=True)
    assert step(boss, ref, "organisatie.afronden").status_code == 302
    assert with_db(app, lambda: Case.get(Case.reference == ref).closed_at) is not None

    # The action stays open after the evaluation closed, and the next agenda names it.
    assert "Herhalingscursus BHV boeken" in text_of(boss.get(ACTIONS))
    nxt = plan_evaluation(boss, today() + 90 * DAY)
    assert f"Herhalingscursus BHV boeken (Ruben Hoekstra, uiterlijk {api.nl_date(due)})" in text_of(
        boss.get(case_url(nxt))
    )
    assert "Evaluatiemomenten dit schooljaar 1 van 2" in text_of(boss.get("/klaverweide/"))


def test_an_action_is_tracked_until_done(app, boss):
    ref = plan_evaluation(boss)
    minutes(boss, ref)
    step(
        boss,
        ref,
        "organisatie.actie",
        {"description": "Ontruimingsplan herzien", "owner": "Jeroen Mulder", "due_on": today().isoformat()},
    )
    action = with_db(app, lambda: Action.get(Action.description == "Ontruimingsplan herzien"))
    url = f"{ACTIONS}/{action.id}/klaar"
    r = post(boss, url, {"done_on": (today() + DAY).isoformat()}, page=ACTIONS)
    assert r.status_code == 422 and "Deze datum ligt in de toekomst." in r.get_data(as_text=True)
    # Who may only look (the contactpersoon) sees the list, not the button.
    viewer = as_role(app, "contactpersoon")
    assert "Ontruimingsplan herzien" in text_of(viewer.get(ACTIONS))
    assert f'action="{url}"' not in viewer.get(ACTIONS).get_data(as_text=True)
    assert post(viewer, url, {"done_on": today().isoformat()}, page=ACTIONS).status_code == 403
    assert post(boss, url, {"done_on": today().isoformat()}, page=ACTIONS).status_code == 302
    done = with_db(app, lambda: Action.get_by_id(action.id))
    assert done.done_on == today() and done.done_by_id is not None
    assert "Ontruimingsplan herzien" not in text_of(boss.get(ACTIONS)).split("Onlangs klaar")[0]
    note = with_db(
        app,
        lambda: (
            CaseEvent.select()
            .where(CaseEvent.text.contains("Ontruimingsplan herzien"))
            .order_by(CaseEvent.id.desc())
            .first()
        ),
    )
    assert note.text.startswith("Actie klaar op")
    assert post(boss, url, {"done_on": today().isoformat()}, page=ACTIONS).status_code == 404  # done already


def test_agenda_and_minutes_as_letters(app, boss):
    ref = plan_evaluation(boss)
    minutes(boss, ref)

    def pdf(name):
        assert post(boss, f"{case_url(ref)}/brief/{name}", page=case_url(ref)).status_code == 302
        doc = with_db(app, lambda: CaseDocument.select().where(CaseDocument.name == name).get())
        r = boss.get(f"{case_url(ref)}/document/{doc.id}")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)

    agenda = pdf("organisatie.agenda")
    assert "Agenda evaluatiemoment veiligheid" in agenda and "Open acties" in agenda and "Rondvraag" in agenda
    assert "Een nieuwe vertrouwenspersoon zoeken." in pdf("organisatie.verslag")


# -------------------------------------------------------------------- drills ----


def plan_drill(client, **extra):
    data = {
        "planned_on": today().isoformat(),
        "scenario": "Brand in de gymzaal",
        "announced": "onaangekondigd",
        **extra,
    }
    r = post(client, PLAN_DRILL, data, page=PLAN_DRILL)
    assert r.status_code == 302, r.get_data(as_text=True)
    return reference_of(r)


def carry_out(client, ref, **extra):
    data = {"held_on": today().isoformat(), "minutes": "3", "seconds": "35", "headcount": "ja", **extra}
    return step(client, ref, "organisatie.uitgevoerd", data)


def test_a_drill_from_plan_to_evaluation(app, boss):
    ref = plan_drill(boss)
    page = text_of(boss.get(case_url(ref)))
    assert "Brand in de gymzaal" in page and "Onaangekondigd" in page and "Leerling toevoegen" not in page

    r = carry_out(boss, ref, headcount="nee")
    assert r.status_code == 422 and "Beschrijf wat er niet klopte." in r.get_data(as_text=True)
    r = carry_out(boss, ref, minutes="0", seconds="0")
    assert r.status_code == 422 and "Vul in hoe lang het ontruimen duurde." in r.get_data(as_text=True)
    r = carry_out(boss, ref, seconds="75")
    assert r.status_code == 422 and "Vul 0 tot 59 seconden in." in r.get_data(as_text=True)
    r = carry_out(
        boss,
        ref,
        headcount="nee",
        headcount_note="Eén leerling van groep 7 was bij de tandarts.",
        problems="Deur B klemde.",
    )
    assert r.status_code == 302
    drill = with_db(app, lambda: Drill.get(Drill.case == Case.get(Case.reference == ref).id))
    assert (drill.evacuation_seconds, drill.headcount_ok, drill.problems) == (215, False, "Deur B klemde.")
    page = text_of(boss.get(case_url(ref)))
    assert "3 min 35 s" in page and "nee: Eén leerling van groep 7 was bij de tandarts." in page

    r = step(
        boss,
        ref,
        "organisatie.oefening_actie",
        {
            "description": "Deur B laten repareren",
            "owner": "Conciërge",
            "due_on": (today() + 7 * DAY).isoformat(),
        },
    )
    assert r.status_code == 302
    r = step(boss, ref, "organisatie.evalueren", {"evaluation": "Goed verlopen.", "plan_revised": "y"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    for message in (
        "Vul de versie van het bijgestelde plan in.",
        "Vul de datum van het bijgestelde plan in.",
        "Vul in wanneer de medewerkers over het bijgestelde plan zijn geïnformeerd.",
    ):
        assert message in html
    r = step(
        boss,
        ref,
        "organisatie.evalueren",
        {
            "evaluation": "Goed verlopen, deur B moet beter.",
            "plan_revised": "y",
            "plan_version": "2026-2",
            "plan_revised_on": today().isoformat(),
            "staff_informed_on": today().isoformat(),
        },
    )
    assert r.status_code == 302
    case = with_db(app, lambda: Case.get(Case.reference == ref))
    assert case.state == "geevalueerd" and case.closed_at is not None
    page = text_of(boss.get(case_url(ref)))
    assert f"ja: versie 2026-2 van {api.nl_date(today())}" in page
    assert "Deur B laten repareren" in page
    assert f"Ontruimingsoefening dit schooljaar: gehouden op {api.nl_date(today())}" in text_of(
        boss.get("/klaverweide/")
    )


def test_a_drill_without_a_revised_plan_needs_no_version(app, boss):
    ref = plan_drill(boss)
    carry_out(boss, ref)
    r = step(
        boss,
        ref,
        "organisatie.evalueren",
        {"evaluation": "Alles ging goed.", "plan_version": "vergeten", "plan_revised_on": "2000-01-01"},
    )
    assert r.status_code == 302
    drill = with_db(app, lambda: Drill.get(Drill.case == Case.get(Case.reference == ref).id))
    assert (drill.plan_revised, drill.plan_version, drill.plan_revised_on) == (False, "", None)


def test_a_drill_called_off_does_not_count(app, boss):
    ref = plan_drill(boss)
    r = step(boss, ref, "organisatie.afgelast", {})
    assert r.status_code == 422 and "Vul de reden in." in r.get_data(as_text=True)
    assert step(boss, ref, "organisatie.afgelast", {"cancel_reason": "Storm."}).status_code == 302
    assert with_db(app, lambda: Case.get(Case.reference == ref).state) == "vervallen"
    assert "Ontruimingsoefening dit schooljaar: nog niet gehouden" in text_of(boss.get("/klaverweide/"))


def test_drill_plan_form_errors_are_dutch_and_keep_input(app, boss):
    r = post(
        boss, PLAN_DRILL, {"planned_on": "morgen", "scenario": "Gaslek\x07", "announced": ""}, page=PLAN_DRILL
    )
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    for message in (
        "Vul een geldige datum in",
        "Deze tekst bevat ongeldige tekens.",
        "Kies of de oefening wordt aangekondigd.",
    ):
        assert message in html
    assert with_db(app, lambda: Case.select().where(Case.case_type == "organisatie.ontruiming").count()) == 1


def test_only_who_plans_may_start_or_step(app, boss):
    teacher = as_role(app, "leerkracht")
    assert teacher.get(PLAN_DRILL).status_code == 403
    ref = plan_drill(boss)
    assert teacher.get(case_url(ref)).status_code == 404
    viewer = as_role(app, "contactpersoon")
    assert viewer.get(case_url(ref)).status_code == 200
    assert carry_out(viewer, ref).status_code in (403, 422)
    assert with_db(app, lambda: Case.get(Case.reference == ref).state) == "gepland"


# ------------------------------------------------------------------ training ----


def test_training_register(app, boss):
    ib = as_role(app, "ib")
    r = ib.get(TRAINING)
    assert r.status_code == 200 and "Omgaan met macht en onmacht op de werkvloer" in text_of(r)
    assert "Cursus vastleggen" not in text_of(r)  # the IB reads, the directie keeps it
    assert as_role(app, "leerkracht").get(TRAINING).status_code == 403
    assert (
        with_db(
            app, lambda: AuditLog.select().where(AuditLog.action == "organisatie.scholing_bekeken").count()
        )
        == 1
    )
    who = f"p{with_db(app, lambda: person('Marieke Postma').id)}"
    base = {
        "who": who,
        "kind": "bhv",
        "course": "BHV basis",
        "provider": "ASG Academie",
        "completed_on": today().isoformat(),
    }
    r = post(boss, f"{TRAINING}/nieuw", base, page=TRAINING)
    assert r.status_code == 422 and "Een BHV-certificaat is geldig tot een datum: vul die in." in r.get_data(
        as_text=True
    )
    r = post(boss, f"{TRAINING}/nieuw", {**base, "expires_on": (today() - DAY).isoformat()}, page=TRAINING)
    assert r.status_code == 422 and "Deze datum ligt niet na de datum van de cursus." in r.get_data(
        as_text=True
    )
    r = post(boss, f"{TRAINING}/nieuw", {**base, "completed_on": (today() + DAY).isoformat()}, page=TRAINING)
    assert r.status_code == 422 and "Deze datum ligt in de toekomst." in r.get_data(as_text=True)
    r = post(
        boss,
        f"{TRAINING}/nieuw",
        {**base, "kind": "pesten", "course": "Veilig leerklimaat en pesten"},
        page=TRAINING,
    )
    assert r.status_code == 302
    made = with_db(app, lambda: Training.get(Training.course == "Veilig leerklimaat en pesten"))
    assert made.person.name == "Marieke Postma" and made.expires_on is None
    assert post(boss, f"{TRAINING}/{made.id}/verwijderen", page=TRAINING).status_code == 302
    assert with_db(app, lambda: Training.get_or_none(Training.id == made.id)) is None


# ------------------------------------------------------------------- figures ----


def test_yearly_figures(app, boss):
    page = text_of(boss.get(f"/klaverweide/jaarcijfers/?jaar={year() - 1}"))
    assert "Ontruimingsoefeningen gehouden: 1" in page and "4 min 35 s, telling klopte" in page
    ref = plan_evaluation(boss)
    minutes(boss, ref)
    page = text_of(boss.get(f"/klaverweide/jaarcijfers/?jaar={year()}"))
    assert "Evaluatiemomenten gehouden: 1" in page
    assert "Wie doet wat: rollen bezet: 7 van 7" in page
    assert "BHV'ers 8 van de 8; 8 met geldig certificaat" in page
    assert "Cursussen gevolgd (scholing):" in page
    board = as_role(app, "bestuur")
    r = board.get(f"/klaverweide/jaarcijfers/?jaar={year()}&alle=1")
    assert r.status_code == 200
    assert "De Klaverweide 7 van 7 rollen bezet" in text_of(r)
    assert "De Klaverweide 1 van 2" in text_of(r)


# -------------------------------------------------------------------- access ----


def test_every_route_with_every_role(app, boss):
    ref = plan_evaluation(boss)
    ids = with_db(
        app,
        lambda: {
            "reference": ref,
            "person_id": person("Kees Brouwer").id,
            "assignment_id": Assignment.select().first().id,
            "training_id": Training.select().first().id,
            "action_id": Action.select().first().id,
        },
    )
    assert access_problems(app, ids, blueprint="organisatie") == []


def test_bad_input_never_gives_a_server_error(app, boss):
    nasty = ["\x01", "x" * 30000, "<script>alert(1)</script>", "9" * 40, "2026-02-30", "💥"]
    forms = {
        ROLES_PAGE: (
            "role",
            "who",
            "name",
            "organisation",
            "phone",
            "email",
            "certified_on",
            "certified_until",
        ),
        f"{TRAINING}/nieuw": ("who", "kind", "course", "provider", "completed_on", "expires_on"),
        PLAN_DRILL: ("planned_on", "scenario", "announced", "notes"),
        PLAN_EVALUATION: ("planned_on",),
    }
    for url, names in forms.items():
        for value in nasty:
            r = post(boss, url, {name: value for name in names}, page=ROLES_PAGE)
            assert r.status_code in (302, 422), (url, value[:10], r.status_code)
            assert "<script>alert(1)</script>" not in r.get_data(as_text=True)
    # NUL anywhere: the core's clear 400 before any view.
    assert post(boss, ROLES_PAGE, {"name": "a\x00b"}, page=ROLES_PAGE).status_code == 400
    ref = plan_drill(boss)
    for value in nasty:
        r = carry_out(boss, ref, minutes=value, seconds=value, headcount=value, problems=value)
        assert r.status_code == 422
    assert boss.get(f"{ORG}/?jaar=99999999999999999999999").status_code == 200


def test_the_parents_contact_page_speaks_the_parents_language(app, client):
    html = client.get("/klaverweide/organisatie/contactpersonen?taal=tr").get_data(as_text=True)
    assert 'lang="tr"' in html
    assert "Kime başvurabilirsiniz?" in html and "Bij wie kunt u terecht?" not in html
    assert "İrtibat kişisi" in html  # a role's title, from the core's list
    other = app.test_client()  # the first one chose Turkish, and keeps it for the visit
    html = other.get("/klaverweide/organisatie/contactpersonen", headers={"Accept-Language": "ar"})
    html = html.get_data(as_text=True)
    assert 'dir="rtl"' in html and "إلى من يمكنكم التوجه؟" in html
