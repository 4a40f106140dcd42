"""Who sees which case (docs/security.md B1, B3): view permission per type, assignee,
exclusion (never, whatever the role), confidential cases. Anything else is 404,
on the detail page and in the list."""

from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseExclusion

from .conftest import login
from .core_helpers import REF_RE
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import user


def listed(client, query=""):
    r = client.get("/klaverweide/zaken/" + query)
    assert r.status_code == 200
    return set(REF_RE.findall(r.get_data(as_text=True)))


def sees(client, case):
    r = client.get(f"/klaverweide/zaken/{case.reference}")
    assert r.status_code in (200, 404), r.status_code
    in_list = case.reference in listed(client)
    assert (r.status_code == 200) == in_list, "detail page and list disagree"
    return r.status_code == 200


def clients(app, *roles):
    out = {}
    for role in roles:
        c = app.test_client()
        assert login(c, role).status_code == 302
        out[role] = c
    return out


def test_visibility_rules(app):
    with db_ctx(app):
        plain = make_case("Gewone zaak")
        secret = make_case("Vertrouwelijke zaak", confidential=True)
        excluded = make_case("Zaak over directie")
        CaseExclusion.create(case=excluded.id, user=user("directie").id)
    c = clients(app, "leerkracht", "ib", "directie", "bestuur")

    # View permission per type: directie and ib see testzaken, the leerkracht does not.
    assert sees(c["ib"], plain) and sees(c["directie"], plain)
    assert not sees(c["leerkracht"], plain)
    assert not sees(c["bestuur"], plain)

    # Confidential: only the assignee and the roles the type names (directie).
    assert sees(c["directie"], secret)
    assert not sees(c["ib"], secret)
    # Excluded: the staff member never sees it, even as directie ...
    assert not sees(c["directie"], excluded)
    assert sees(c["ib"], excluded)

    # An assignee sees the case, also without the view permission ...
    with db_ctx(app):
        Case.update(assignee=user("leerkracht").id).where(Case.id.in_([plain.id])).execute()
        Case.update(assignee=user("ib").id).where(Case.id == secret.id).execute()
        Case.update(assignee=user("directie").id).where(Case.id == excluded.id).execute()
    assert sees(c["leerkracht"], plain)
    assert sees(c["ib"], secret)
    # ... but an excluded user not even when assigned.
    assert not sees(c["directie"], excluded)

    # Denied views are audited, without anything but the reference.
    with db_ctx(app):
        denied = AuditLog.select().where(
            (AuditLog.action == "case.view")
            & (AuditLog.outcome == "denied")
            & (AuditLog.user_email == "directie@klaverweide.demo")
        )
        assert denied.count() >= 1
        assert all(row.detail == excluded.reference for row in denied)


def test_actions_on_invisible_case_are_404(app):
    with db_ctx(app):
        case = make_case("Onzichtbaar", confidential=True)
    c = clients(app, "ib")["ib"]
    from .conftest import get_csrf

    token = get_csrf(c, "/klaverweide/")
    base = f"/klaverweide/zaken/{case.reference}"
    for url, data in [
        (f"{base}/stap/testzaak.start", {}),
        (f"{base}/notitie", {"text": "x"}),
        (f"{base}/toewijzen", {"assignee": ""}),
        (f"{base}/brief/testzaak.brief", {}),
    ]:
        r = c.post(url, data=dict(data, csrf_token=token))
        assert r.status_code == 404, (url, r.status_code)
    assert c.get(f"{base}/document/1").status_code == 404
    with db_ctx(app):
        fresh = Case.get_by_id(case.id)
        assert fresh.state == "nieuw" and fresh.assignee_id is None


def test_the_starter_of_a_starter_sees_type_always_sees_it(app, monkeypatch):
    """``CaseType.starter_sees``: the one who started a case sees it in the list and on its
    page, also when it is confidential and without the view permission; nobody else gains
    anything, and an exclusion still wins."""
    import dataclasses

    from portal.registry import get_registry

    with db_ctx(app):
        reg = get_registry()
    ct = reg.case_types["testzaak.zaak"]
    with db_ctx(app):
        mine = make_case("Zorg van de leerkracht", by="leerkracht", confidential=True)
        other = make_case("Zorg van de ib", by="ib", confidential=True)
    c = clients(app, "leerkracht", "ib", "ondersteunend")
    assert not sees(c["leerkracht"], mine)  # the type does not say so yet

    monkeypatch.setitem(reg.case_types, "testzaak.zaak", dataclasses.replace(ct, starter_sees=True))
    assert sees(c["leerkracht"], mine)
    assert not sees(c["leerkracht"], other)
    assert not sees(c["ondersteunend"], mine)
    assert not sees(c["ib"], mine)  # confidential: ib is not among the type's roles
    # The chronology and the panels use the same condition.
    from portal.cases.visibility import visible_condition

    with db_ctx(app):
        from portal.models import School

        school = School.get(School.slug == "klaverweide")
        ids = {row.id for row in Case.select().where(visible_condition(actor("leerkracht"), school))}
        assert mine.id in ids and other.id not in ids
        CaseExclusion.create(case=mine.id, user=user("leerkracht").id)
    assert not sees(c["leerkracht"], mine)
