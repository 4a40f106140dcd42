"""Transitions through the one core function: refused for the wrong state, a missing
permission, a failing form, a failing guard or an open required checklist item, with a
Dutch reason and nothing changed; a successful one writes one event and audit rows."""

import datetime

import pytest

from portal.cases import engine
from portal.dates import local
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline
from portal.models import CaseEvent

from .conftest import get_csrf
from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import event_count
from .core_helpers import make_case
from .core_helpers import reload

SUNDAY = datetime.date(2026, 11, 29)
MONDAY = datetime.date(2026, 11, 30)


def snapshot(case):
    row = Case.get_by_id(case.id)
    return (
        row.state,
        row.updated_at,
        row.closed_at,
        row.retention_until,
        event_count(case),
        CaseDeadline.select().where(CaseDeadline.case == case.id).count(),
    )


def refused(case, name, role, formdata=None):
    before = snapshot(case)
    with pytest.raises(engine.TransitionRefused) as err:
        engine.run_transition(reload(case), name, actor(role), formdata)
    assert snapshot(case) == before, "a refused transition changed the case"
    return err.value.reason


def tick(case, item_name, role="directie"):
    item = CaseChecklistItem.get((CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == item_name))
    engine.tick(reload(case), item, actor(role))


def test_wrong_state(ctx):
    case = make_case()
    reason = refused(case, "testzaak.sluit", "directie")
    assert reason == "De stap ‘Afronden’ kan niet vanuit de status ‘Nieuw’."
    assert "bestaat niet" in refused(case, "testzaak.vliegen", "directie")


def test_missing_permission(ctx):
    case = make_case()
    assert (
        refused(case, "testzaak.start", "leerkracht") == "U mag de stap ‘In behandeling nemen’ niet zetten."
    )
    engine.run_transition(reload(case), "testzaak.start", actor("ib"))
    # ib handles but may not decide.
    assert (
        refused(case, "testzaak.besluit", "ib", {"reason": "x", "on": MONDAY.isoformat()})
        == "U mag de stap ‘Besluiten’ niet zetten."
    )


def test_failing_form_and_guard(ctx):
    case = make_case()
    engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    assert refused(case, "testzaak.besluit", "directie", {}) == "Controleer de gemarkeerde velden."
    assert (
        refused(case, "testzaak.besluit", "directie", {"reason": "x", "on": "geen datum"})
        == "Controleer de gemarkeerde velden."
    )
    assert (
        refused(case, "testzaak.besluit", "directie", {"reason": "Besluit", "on": SUNDAY.isoformat()})
        == "Op zondag wordt niet besloten."
    )
    out = engine.run_transition(
        reload(case), "testzaak.besluit", actor("directie"), {"reason": "Besluit", "on": MONDAY.isoformat()}
    )
    assert out.event.data["values"] == {"reason": "Besluit", "on": "2026-11-30"}
    assert ["Datum", "30 november 2026"] in out.event.data["shown"]


def test_required_checklist_blocks_closing(ctx):
    case = make_case()
    engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    reason = refused(case, "testzaak.sluit", "directie")
    assert reason == "De zaak kan nog niet worden afgesloten. Nog af te vinken: Brief verstuurd."
    tick(case, "testzaak.brief")
    engine.run_transition(reload(case), "testzaak.sluit", actor("directie"))
    assert reload(case).state == "klaar"


def test_callable_required_checklist_item(ctx):
    case = make_case("Zaak met extra melding")
    engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    reason = refused(case, "testzaak.sluit", "directie")
    assert "Brief verstuurd" in reason and "Extra melding gedaan" in reason
    tick(case, "testzaak.brief")
    assert refused(case, "testzaak.sluit", "directie") == (
        "De zaak kan nog niet worden afgesloten. Nog af te vinken: Extra melding gedaan."
    )
    tick(case, "testzaak.extra")
    out = engine.run_transition(reload(case), "testzaak.sluit", actor("directie"))
    assert out.case.state == "klaar" and out.case.closed_at is not None
    # Counted from the Dutch date of closing (closed_at is stored in UTC).
    assert out.case.retention_until == local(out.case.closed_at).date() + datetime.timedelta(days=30)
    # Closing meets every open deadline; reopening clears the closing data.
    assert (
        not CaseDeadline.select()
        .where((CaseDeadline.case == case.id) & CaseDeadline.met_at.is_null())
        .exists()
    )
    engine.run_transition(reload(case), "testzaak.heropen", actor("directie"))
    row = reload(case)
    assert row.state == "bezig" and row.closed_at is None and row.retention_until is None


def test_success_writes_one_event(ctx):
    case = make_case()
    before = event_count(case)
    out = engine.run_transition(reload(case), "testzaak.start", actor("ib"))
    assert event_count(case) == before + 1
    ev = CaseEvent.get_by_id(out.event.id)
    assert (ev.kind, ev.transition, ev.from_state, ev.to_state) == (
        "transition",
        "testzaak.start",
        "nieuw",
        "bezig",
    )
    assert ev.user_id == actor("ib").id
    # The deadline that the start meets is met; the one it starts exists.
    met = {d.name: d.met_at for d in CaseDeadline.select().where(CaseDeadline.case == case.id)}
    assert met["testzaak.reactie"] is not None
    assert met["testzaak.kalender"] is None


def test_stale_state_is_refused(ctx):
    """Two people click at once: the second transition sees the changed state and stops."""
    case = make_case()
    stale = reload(case)
    engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    before = snapshot(case)
    with pytest.raises(engine.TransitionRefused) as err:
        engine.run_transition(stale, "testzaak.start", actor("ib"))
    assert "intussen" in err.value.reason
    assert snapshot(case) == before


def test_web_transition_and_audit(app, client):
    """Through the detail page: a refused step answers 422 with the reason, changes nothing;
    a view and a change each leave one audit row with time, user, role, school and case."""
    with db_ctx(app):
        case = make_case()
        events = event_count(case)
    login(client, "ib")
    page = f"/klaverweide/zaken/{case.reference}"
    with db_ctx(app):
        n0 = AuditLog.select().where(AuditLog.case_ref == case.reference).count()
    assert client.get(page).status_code == 200
    with db_ctx(app):
        views = list(
            AuditLog.select().where((AuditLog.case_ref == case.reference) & (AuditLog.action == "case.view"))
        )
        assert (
            len(views) == 1 and AuditLog.select().where(AuditLog.case_ref == case.reference).count() == n0 + 1
        )
        v = views[0]
        assert (v.user_email, v.role, v.school, v.outcome) == (
            "ib@klaverweide.demo",
            "ib",
            "klaverweide",
            "ok",
        )
        assert abs(v.at - datetime.datetime.now(datetime.UTC).replace(tzinfo=None)) < datetime.timedelta(
            minutes=1
        ), "audit time is UTC"
    token = get_csrf(client, page)
    r = client.post(f"{page}/stap/testzaak.sluit", data={"csrf_token": token})
    assert r.status_code == 422
    assert "kan niet vanuit de status ‘Nieuw’" in r.get_data(as_text=True)
    with db_ctx(app):
        assert reload(case).state == "nieuw" and event_count(case) == events
    r = client.post(f"{page}/stap/testzaak.start", data={"csrf_token": token})
    assert r.status_code == 302
    with db_ctx(app):
        assert reload(case).state == "bezig" and event_count(case) == events + 1
        changes = list(
            AuditLog.select()
            .where((AuditLog.case_ref == case.reference) & (AuditLog.action == "case.transition"))
            .order_by(AuditLog.id)
        )
        assert [(c.outcome, c.detail) for c in changes] == [
            ("refused", "testzaak.sluit"),
            ("ok", "testzaak.start"),
        ]
        assert changes[-1].user_email == "ib@klaverweide.demo" and changes[-1].role == "ib"
    # A leerkracht cannot post a step on a case they cannot see: 404, nothing changes.
    other = app.test_client()
    login(other, "leerkracht")
    token = get_csrf(other, "/klaverweide/")
    assert other.post(f"{page}/stap/testzaak.besluit", data={"csrf_token": token}).status_code == 404
