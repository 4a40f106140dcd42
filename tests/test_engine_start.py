"""The core's start and step helpers that plugins declare instead of writing code: a step's
form recorded as a new plugin row, a guard marking fields, a start's own message and menu
label, missing fields leaving column defaults, ticking by name, backdating with deadlines,
links for mail outside a request."""

import datetime

import pytest
from werkzeug.datastructures import MultiDict

from portal import api
from portal.cases import engine
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline

from .core_helpers import actor
from .core_helpers import make_case
from .core_helpers import reload
from .core_helpers import school


def test_a_guard_may_mark_fields(ctx):
    class F(api.Form):
        on = api.DateField("Datum")

    form = F(MultiDict({"on": "2026-01-01"}))
    form.validate()
    assert engine.guard_reason({"on": "Te vroeg."}, form) == engine.CHECK_FIELDS
    assert form.on.errors == ["Te vroeg."]
    assert engine.guard_reason("Nee.", form) == "Nee." and engine.guard_reason(None, form) is None


def test_form_values_leave_out_missing_fields(ctx):
    from tests.caseplugin import Extra

    class F(api.Form):
        note = api.StringField("Notitie")

    assert engine._form_values(Extra, F(MultiDict({}))) == {}
    assert engine._form_values(Extra, F(MultiDict({"note": " x "}))) == {"note": "x"}


def test_a_step_records_a_row(ctx):
    from tests.caseplugin import Extra

    class F(api.Form):
        note = api.line("Notitie", 100, "Vul iets in.")

    case = make_case("record")
    form = F(MultiDict({"note": "  gesprek gevoerd "}))
    form.validate()
    row = engine._record_row(Extra, case, form, actor("directie"), {})
    assert Extra.get_by_id(row.id).note == "gesprek gevoerd" and row.case_id == case.id


def test_assign_keeps_the_id_not_the_object(ctx):
    case = make_case("toewijzen")
    engine.assign(case, actor("ib"), actor("directie"))
    assert isinstance(case.assignee_id, int)
    assert reload(case).assignee_id == case.assignee_id


def test_tick_by_name_only_when_open(ctx):
    case = make_case("afvinken")
    engine.tick(case, "testzaak.brief", actor("directie"))
    item = CaseChecklistItem.get(
        (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == "testzaak.brief")
    )
    assert item.done_at is not None
    engine.tick(case, "testzaak.brief", actor("directie"))  # already done: nothing happens
    engine.tick(case, "bestaat.niet", actor("directie"))


def test_backdate_counts_deadlines_again(ctx):
    case = make_case("terug in de tijd")
    before = CaseDeadline.get((CaseDeadline.case == case.id) & (CaseDeadline.name == "testzaak.reactie"))
    when = datetime.datetime(2026, 9, 7, 9, 0)  # a Monday
    engine.backdate(case, when)
    after = CaseDeadline.get_by_id(before.id)
    assert after.due_date == datetime.date(2026, 9, 14)  # five school days later
    assert reload(case).created_at == when


def test_case_url_from_portal_url_also_outside_a_request(app):
    """A mail queued by a command or the worker links to PORTAL_URL, with no request at all."""
    from types import SimpleNamespace

    app.config["PORTAL_URL"] = "https://portaal.school.nl"
    case = SimpleNamespace(reference="TZ-2026-0001", school=SimpleNamespace(slug="klaverweide"))
    with app.app_context():
        assert api.case_url(case) == "https://portaal.school.nl/klaverweide/zaken/TZ-2026-0001"


def test_choice_message_in_the_fields_own_words():
    class F(api.Form):
        pick = api.SelectField("Kies", choices=[("a", "A")], choice_message="Kies een groep.")

    form = F(MultiDict({"pick": "b"}))
    assert not form.validate() and form.pick.errors == ["Kies een groep."]


@pytest.fixture
def example(app):
    from portal.admin import set_plugin_enabled

    from .core_helpers import db_ctx

    with db_ctx(app):
        set_plugin_enabled(school(), "voorbeeld", True)
    return app


def test_start_page_says_saved_and_shows_the_case(example):
    from portal.testing import as_role
    from portal.testing import get_csrf

    boss = as_role(example, "directie")
    start = "/klaverweide/voorbeeld/melden"
    r = boss.post(
        start,
        data={"csrf_token": get_csrf(boss, start), "place": "plein", "what": "Gat in het hek."},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Opgeslagen als OV-" in r.get_data(as_text=True)
    assert "/zaken/OV-" in r.request.path


def test_staff_named_matches_the_words_of_a_name(ctx):
    names = lambda text: sorted(p.name for p in api.staff_named(school(), text))  # noqa: E731
    assert names("juf Floor") == ["Floor Vermeulen"]
    assert names("meneer HOEKSTRA van groep 8") == ["Ruben Hoekstra"]
    assert names("de juf van groep 5 (Sanne)") == ["Sanne de Boer"]
    assert names("Youssef") == ["Youssef El Idrissi"]
    assert names("de overblijfmoeder") == [] and names("") == [] and names("de van der") == []
