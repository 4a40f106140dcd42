"""Retention tied to the pupil: a closed case about pupils goes only when its own period has
passed and every linked pupil left the school long enough ago (a school setting per case
type, default two years); never on legal hold; a pupil record goes when no case and no open
inzage request keeps it, audited without the name; the purge takes a case's mail along, also
mail queued before cases were linked to their mail. On SQLite and PostgreSQL."""

import datetime
import importlib
import re

from portal import mail
from portal import retention
from portal.models import AuditLog
from portal.models import Case
from portal.models import CasePupil
from portal.models import InzageRequest
from portal.models import Outbox
from portal.models import Pupil
from portal.models import PupilGroup
from portal.models import School
from portal.models import SchoolSetting
from portal.pupils import link
from portal.pupils import note_name
from portal.pupils import save
from portal.registry import get_registry
from portal.settings import set_setting

from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import reload
from .core_helpers import school
from .test_engine_retention import closed_case

SETTING = "testzaak.zaak.years_after_left"
years_before = retention.years_before


def pupil(first="Fenna", last="Willemsen", number="900001", left_on=None):
    made = save(
        school(),
        {
            "las_number": number,
            "first_name": first,
            "prefix": "",
            "last_name": last,
            "birth_date": datetime.date(2015, 5, 1),
            "enrolled_on": datetime.date(2019, 8, 20),
        },
        "8a",
    )
    if left_on is not None:
        leave(made, left_on)
    return made


def leave(child, day):
    Pupil.update(left_on=day).where(Pupil.id == child.id).execute()


def case_about(*children, hold=False):
    """A closed testzaak (30 days' retention) with ``children`` linked (linked while at school)."""
    case = closed_case(hold=hold)
    for child in children:
        link(case, child, actor("directie"))
    return reload(case)


def due_ids(day):
    return [c.id for c in retention.purge(today=day, dry_run=True)]


def after_retention(case):
    return case.retention_until + datetime.timedelta(days=1)


# ----------------------------------------------------------------- cases ----


def test_a_case_about_a_pupil_waits_until_the_pupil_left_two_years_ago(ctx):
    child = pupil()
    case = case_about(child)
    day = after_retention(case)
    assert get_registry().settings[SETTING].default == 2
    assert case.id not in due_ids(day)  # still at school
    leave(child, years_before(day, 2))  # exactly two years: not yet
    assert case.id not in due_ids(day) and case.id not in [
        c.id for c in retention.purge(today=day, dry_run=False)
    ]
    leave(child, years_before(day, 2) - datetime.timedelta(days=1))
    assert case.id in due_ids(day)
    # Its own period counts too: a pupil long gone does not make a case go early.
    assert case.id not in due_ids(case.retention_until)
    done = retention.purge(today=day, dry_run=False)
    assert case.id in [c.id for c in done]
    assert not Case.select().where(Case.id == case.id).exists()
    assert not CasePupil.select().where(CasePupil.case == case.id).exists()
    assert Pupil.select().where(Pupil.id == child.id).exists()  # the case goes, not the pupil
    [row] = AuditLog.select().where((AuditLog.action == "case.purge") & (AuditLog.case_ref == case.reference))
    assert "Fenna" not in row.detail and "Willemsen" not in row.detail


def test_every_linked_pupil_must_have_left_long_enough_ago(ctx):
    gone, recent = pupil(), pupil("Sem", "Brouwer", "900002")
    case = case_about(gone, recent)
    day = after_retention(case)
    leave(gone, years_before(day, 5))
    leave(recent, day - datetime.timedelta(days=30))
    assert case.id not in due_ids(day)
    leave(recent, years_before(day, 3))
    assert case.id in due_ids(day)


def test_the_school_chooses_the_years_per_case_type_and_0_switches_it_off(ctx):
    child = pupil(left_on=datetime.date(2000, 1, 1))
    case = case_about(child)
    day = after_retention(case)
    leave(child, years_before(day, 3))
    assert case.id in due_ids(day)
    set_setting(school(), SETTING, 5)
    assert case.id not in due_ids(day)
    # Another school's setting does not count here.
    other = School.create(slug="anderschool", name="Andere School")
    SchoolSetting.create(school=other, name=SETTING, value="0")
    assert case.id not in due_ids(day)
    set_setting(school(), SETTING, 0)
    leave(child, None)  # even at school: only the period after closing counts
    assert case.id in due_ids(day)


def test_a_typed_name_alone_holds_nothing_and_a_legal_hold_holds_everything(ctx):
    typed = closed_case()
    note_name(typed, "Noor El Idrissi")
    child = pupil(left_on=datetime.date(2001, 1, 1))
    held = case_about(child, hold=True)
    day = after_retention(held)
    ids = due_ids(day)
    assert typed.id in ids and held.id not in ids
    done = [c.id for c in retention.purge(today=day, dry_run=False)]
    assert typed.id in done and held.id not in done
    assert Case.select().where(Case.id == held.id).exists()


def test_a_pupil_who_came_back_keeps_the_case_when_the_purge_deletes(ctx, monkeypatch):
    """The list of due cases is read before the delete: a pupil enrolled again in between
    keeps the case (the delete repeats the pupil condition), and nothing is audited."""
    child = pupil()
    case = case_about(child)
    other = closed_case("Zonder leerling")
    day = after_retention(case)
    leave(child, years_before(day, 4))
    stale = due_ids(day)
    assert {case.id, other.id} <= set(stale)
    leave(child, None)
    monkeypatch.setattr(
        retention, "_due_ids", lambda today, after_id, limit: [i for i in stale if i > after_id][:limit]
    )
    done = [c.id for c in retention.purge(today=day, dry_run=False)]
    assert other.id in done and case.id not in done
    assert Case.select().where(Case.id == case.id).exists()
    refs = [r.case_ref for r in AuditLog.select().where(AuditLog.action == "case.purge")]
    assert case.reference not in refs and other.reference in refs


# ---------------------------------------------------------------- pupils ----


def pupil_ids(day, dry_run=True):
    return [p.id for p in retention.purge_pupils(today=day, dry_run=dry_run)]


def test_a_pupil_record_goes_two_years_after_leaving_audited_without_the_name(ctx):
    day = datetime.date(2030, 6, 1)
    old = pupil(left_on=years_before(day, 2) - datetime.timedelta(days=1))
    recent = pupil("Sem", "Brouwer", "900002", left_on=years_before(day, 2))
    here = pupil("Jesse", "Kramer", "900003")
    listed = pupil_ids(day)
    assert old.id in listed and recent.id not in listed and here.id not in listed
    assert Pupil.select().where(Pupil.id == old.id).exists()  # a dry run deletes nothing
    assert pupil_ids(day, dry_run=False) == listed
    assert not Pupil.select().where(Pupil.id == old.id).exists()
    assert not PupilGroup.select().where(PupilGroup.pupil == old.id).exists()
    assert Pupil.select().where(Pupil.id.in_([recent.id, here.id])).count() == 2
    [row] = AuditLog.select().where(AuditLog.action == "pupil.purge")
    assert row.pupil_id == old.id and row.school == "klaverweide"
    assert "Fenna" not in row.detail and "Willemsen" not in row.detail and "900001" not in row.detail
    # The school's setting counts.
    set_setting(school(), retention.PUPIL_SETTING, 10)
    assert recent.id not in pupil_ids(day + datetime.timedelta(days=400))


def test_a_case_keeps_the_pupil_until_the_case_itself_goes(ctx):
    child = pupil()
    case = case_about(child)
    still_open = pupil("Sem", "Brouwer", "900002")
    link(make_case("Nog open"), still_open, actor("directie"))
    day = after_retention(case)
    leave(child, years_before(day, 3))
    leave(still_open, years_before(day, 3))
    # The dry run counts the cases that go in the same run.
    assert case.id in due_ids(day)
    listed = pupil_ids(day)
    assert child.id in listed and still_open.id not in listed
    # The real run: the case first, then the pupil.
    assert [c.id for c in retention.purge(today=day, dry_run=False)] == [case.id]
    assert pupil_ids(day, dry_run=False) == [child.id]
    assert Pupil.select().where(Pupil.id == still_open.id).exists()


def test_an_open_inzage_request_keeps_the_pupil(ctx):
    day = datetime.date(2030, 6, 1)
    child = pupil(left_on=datetime.date(2024, 1, 1))
    request = InzageRequest.create(
        school=school().id,
        pupil=child.id,
        requester_name="Anna Willemsen",
        relation="ouder",
        received_on=datetime.date(2030, 5, 20),
        deadline=datetime.date(2030, 6, 20),
    )
    assert child.id not in pupil_ids(day)
    InzageRequest.update(sent_on=datetime.date(2030, 5, 30)).where(InzageRequest.id == request.id).execute()
    assert pupil_ids(day, dry_run=False) == [child.id]
    assert not InzageRequest.select().where(InzageRequest.id == request.id).exists()


def test_a_pupil_linked_after_the_list_was_read_stays(ctx, monkeypatch):
    day = datetime.date(2030, 6, 1)
    child = pupil(left_on=datetime.date(2024, 1, 1))
    other = pupil("Sem", "Brouwer", "900002", left_on=datetime.date(2024, 1, 1))
    stale = pupil_ids(day)
    assert {child.id, other.id} <= set(stale)
    case = make_case("Later gekoppeld")
    CasePupil.create(case=case.id, pupil=child.id)  # (link() refuses a pupil who left)
    monkeypatch.setattr(
        retention,
        "_due_pupil_ids",
        lambda today, after_id, limit, dry_run: [i for i in stale if i > after_id],
    )
    assert pupil_ids(day, dry_run=False) == [other.id]
    assert CasePupil.select().where(CasePupil.pupil == child.id).exists()
    # A second purge with the same stale list deletes and audits nothing twice.
    assert pupil_ids(day, dry_run=False) == []
    assert [r.pupil_id for r in AuditLog.select().where(AuditLog.action == "pupil.purge")] == [other.id]


def test_pupil_purges_at_the_same_time_in_threads(app):
    """Two purges from two threads (two connections): each pupil deleted and audited once."""
    import threading

    from portal.db import database

    day = datetime.date(2030, 6, 1)
    with db_ctx(app):
        ids = [
            pupil("Kind", f"Nummer{i}", f"95{i:04d}", left_on=datetime.date(2024, 1, 1)).id for i in range(30)
        ]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                database.connect(reuse_if_open=True)
                try:
                    barrier.wait(30)
                    results.append(retention.purge_pupils(today=day, dry_run=False, batch_size=7))
                finally:
                    database.close()
        except Exception as exc:  # reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert sorted(p.id for got in results for p in got) == sorted(ids)
    with db_ctx(app):
        audited = [r.pupil_id for r in AuditLog.select().where(AuditLog.action == "pupil.purge")]
        assert sorted(audited) == sorted(ids)


def test_the_purge_command_lists_pupils_by_number_only(app, runner):
    with db_ctx(app):
        child = pupil(left_on=datetime.date(2020, 1, 1))
        gone = closed_case()
    result = runner.invoke(args=["purge", "--dry-run", "--today", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert f"Zou verwijderen: klaverweide leerling #{child.id} (vertrokken 2020-01-01)" in result.output
    assert f"Zou verwijderen: klaverweide {gone.reference}" in result.output
    assert "Fenna" not in result.output and "Willemsen" not in result.output
    assert re.search(r"Zou verwijderen: \d+ zaken, \d+ leerlingen\.", result.output)
    result = runner.invoke(args=["purge", "--today", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert f"Verwijderd: klaverweide leerling #{child.id}" in result.output
    with db_ctx(app):
        assert not Pupil.select().where(Pupil.id == child.id).exists()
        assert (
            AuditLog.select()
            .where((AuditLog.action == "pupil.purge") & (AuditLog.pupil_id == child.id))
            .exists()
        )


# ------------------------------------------------------------------ mail ----


def test_the_purge_takes_a_cases_mail_along_also_mail_from_before_the_link(ctx):
    case = closed_case()
    other = closed_case("Blijft")
    Case.update(legal_hold=True).where(Case.id == other.id).execute()
    linked = mail.queue(
        "ouder@voorbeeld.nl", f"Uw klacht is ontvangen ({case.reference})", "Tekst", case=case
    )
    # Mail as it was queued before m0004: no case, the reference in its subject.
    old = mail.queue("ouder@voorbeeld.nl", f"Nieuw bericht over {case.reference}", "Tekst", school=school())
    kept_other = mail.queue(
        "ouder2@voorbeeld.nl", f"Nieuw bericht over {other.reference}", "T", school=school()
    )
    loose = mail.queue("iemand@voorbeeld.nl", "Geen zaak", "Tekst", school=school())
    elsewhere = School.create(slug="anderschool", name="Andere School")
    foreign = mail.queue("x@voorbeeld.nl", f"Over {case.reference}", "Tekst", school=elsewhere)
    assert Outbox.get_by_id(old.id).case_id is None
    m0008 = importlib.import_module("portal.migrations.m0008_inzage")
    from portal.db import database

    with database.atomic():
        assert m0008.link_old_mail(database) == 2
    assert Outbox.get_by_id(old.id).case_id == case.id
    assert Outbox.get_by_id(kept_other.id).case_id == other.id
    assert Outbox.get_by_id(foreign.id).case_id is None  # another school's case of that reference: none
    assert Outbox.get_by_id(loose.id).case_id is None

    done = retention.purge(today=after_retention(case), dry_run=False)
    assert case.id in [c.id for c in done] and other.id not in [c.id for c in done]
    remaining = {r.id for r in Outbox.select()}
    assert linked.id not in remaining and old.id not in remaining
    assert {kept_other.id, loose.id, foreign.id} <= remaining
    assert not Outbox.select().where(Outbox.to == "ouder@voorbeeld.nl").exists()


def test_the_settings_page_offers_years_after_leaving_per_case_type(app):
    from .conftest import login

    client = app.test_client()
    login(client, "beheerder")
    html = client.get("/klaverweide/beheer/school").get_data(as_text=True)
    assert "Testzaak: bewaren tot (jaren) na vertrek van de leerling" in html
    assert "Leerlingenlijst: gegevens van een leerling bewaren tot (jaren) na vertrek" in html
    with db_ctx(app):
        reg = get_registry()
        for name, ct in reg.case_types.items():
            setting = reg.settings[f"{name}.years_after_left"]
            assert setting.kind == "int" and setting.default == ct.retention_years_after_left
            assert reg.setting_owner[setting.name] == reg.case_type_owner[name]
