"""Every view of a case, a list, a search, the dashboard, a report and an admin user page
writes an audit row; view rows are written in batches (no commit per page view), changes
at once."""

from portal import audit as audit_module
from portal.models import AuditLog

from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import make_case


def actions(app):
    with db_ctx(app):
        return [(r.action, r.detail) for r in AuditLog.select().order_by(AuditLog.id)]


def test_views_that_used_to_write_no_row(app, client):
    with db_ctx(app):
        case = make_case("gezien")
        from portal.models import User

        ib = User.get(User.email == "ib@klaverweide.demo").id
    login(client, "beheerder")
    before = len(actions(app))
    client.get("/klaverweide/")
    client.get("/klaverweide/zaken/?q=TZ-2026&te_laat=1")
    client.get(f"/klaverweide/zaken/{case.reference}")
    client.get(f"/klaverweide/beheer/gebruiker/{ib}")
    seen = actions(app)[before:]
    names = [a for a, _ in seen]
    assert {"dashboard.view", "case.list", "case.view", "admin.user.view"} <= set(names), names
    listed = next(d for a, d in seen if a == "case.list")
    assert "q=TZ-2026" in listed and "te_laat=1" in listed


def test_view_rows_wait_for_the_batch_and_changes_do_not(app, client, monkeypatch):
    import os

    buffer = audit_module._ViewBuffer()
    buffer.pid = os.getpid()  # no writer thread: this test writes the batch itself
    monkeypatch.setattr(audit_module, "_buffer", buffer)
    app.config["AUDIT_VIEW_BATCH"] = True
    login(client, "directie")  # a login is not a view: written at once
    assert "login" in [a for a, _ in actions(app)]
    before = len(actions(app))
    client.get("/klaverweide/")
    client.get("/klaverweide/zaken/")
    assert len(actions(app)) == before and len(buffer.rows) == 2
    assert buffer.flush() == 2
    assert [a for a, _ in actions(app)[before:]] == ["dashboard.view", "case.list"]


def test_a_start_filled_in_from_a_case_and_a_starters_receipt_write_a_row(app):
    """The expulsion form filled in with a pupil's name from an incident, and the receipt a
    teacher gets for a case they reported (without seeing the case): both are views of
    a child's record."""
    from portal.admin import set_plugin_enabled
    from portal.testing import get_csrf
    from portal.testing import school

    from .test_schorsing import report_incident

    with db_ctx(app):
        set_plugin_enabled(school(), "voorbeeld", True)
    teacher = app.test_client()
    login(teacher, "leerkracht")
    start = "/klaverweide/voorbeeld/melden"
    r = teacher.post(start, data={"csrf_token": get_csrf(teacher, start), "place": "plein", "what": "Gat."})
    reported = r.headers["Location"].rsplit("/", 1)[1]
    assert teacher.get(f"/klaverweide/zaken/gemeld/{reported}").status_code == 200
    rows = actions(app)
    assert ("case.receipt", "") in rows

    director = app.test_client()
    login(director, "directie")
    ref = report_incident(director)
    rows = actions(app)
    page = director.get(f"/klaverweide/schorsing/verwijdering/nieuw?incident={ref}")
    # Filled in from the incident: its reference and its pupil (chosen from the register).
    assert f'value="{ref}"' in page.get_data(as_text=True)
    assert ("case.start.prefill", f"schorsing.verwijdering incident={ref}") in actions(app)[len(rows) :]
    with db_ctx(app):
        receipt = AuditLog.get(AuditLog.action == "case.receipt")
        assert receipt.case_ref == reported and receipt.user_email == "leerkracht@klaverweide.demo"
