"""Trauma (issue 14 item 6): the letter to the group's parents waits until the contact with the
family is recorded, with the reason in Dutch on the case page and nothing made when forced; a
report by support staff goes to the group's teacher, who sees it and makes the first
assessment (plan 3.2.1 stap 2), and the reporter keeps sight of it."""

import pytest

from portal.models import Case
from portal.models import CaseDocument
from portal.models import Outbox
from portal.models import User

from .conftest import login
from .conftest import post
from .core_helpers import db_ctx
from .test_trauma import REPORT
from .test_trauma import as_role
from .test_trauma import case_url
from .test_trauma import checklist
from .test_trauma import family_contacted
from .test_trauma import reference_of
from .test_trauma import report
from .test_trauma import step

WAITS = (
    "De informatiebrief aan de ouders van de groep kan pas worden gemaakt als het contact met "
    "de familie is vastgelegd: vink eerst ‘Contact opnemen met de familie’ af in de checklist."
)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("trauma",)}


def documents(app, ref):
    with db_ctx(app):
        return CaseDocument.select().join(Case).where(Case.reference == ref).count()


def test_the_parents_letter_waits_for_the_family_contact(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    step(client, ref, "trauma.zelf", {"motivation": "Wij kunnen dit."})
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert WAITS in page and "Maak: Informatiebrief aan de ouders van de groep" not in page
    # Forced anyway: refused, nothing made.
    r = post(client, f"{case_url(ref)}/brief/trauma.ouderbrief", page=case_url(ref))
    assert r.status_code == 302 and documents(app, ref) == 0
    told = client.get(case_url(ref)).get_data(as_text=True)
    assert "kan bij deze zaak nu niet worden gemaakt" in told and WAITS in told
    # The file's summary does not wait.
    assert post(client, f"{case_url(ref)}/brief/trauma.samenvatting", page=case_url(ref)).status_code == 302
    family_contacted(client, app, ref)
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert WAITS not in page and "Maak: Informatiebrief aan de ouders van de groep" in page
    assert post(client, f"{case_url(ref)}/brief/trauma.ouderbrief", page=case_url(ref)).status_code == 302
    assert documents(app, ref) == 2


def test_the_wait_names_the_step_as_the_school_named_it(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    step(client, ref, "trauma.zelf", {"motivation": "Wij kunnen dit."})
    item = next(i for i in checklist(app, ref) if i.name == "trauma.familie")
    from portal.models import CaseChecklistItem

    with db_ctx(app):
        CaseChecklistItem.update(label="Bezoek aan de familie").where(
            CaseChecklistItem.id == item.id
        ).execute()
    assert "vink eerst ‘Bezoek aan de familie’ af in de checklist." in client.get(case_url(ref)).get_data(
        as_text=True
    )


def test_a_report_by_support_staff_goes_to_the_groups_teacher(app):
    support = as_role(app, "ondersteunend")
    form = support.get(REPORT).get_data(as_text=True)
    assert "Leerkracht van de groep" in form
    # Without the teacher: refused, in Dutch, nothing lost or made.
    with db_ctx(app):
        before = Case.select().count()
        teacher = User.get(User.email == "leerkracht@klaverweide.demo")
    r = report(support)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Kies de leerkracht van de groep: die maakt de eerste inschatting." in html
    assert "Moeder is gisteren overleden." in html
    with db_ctx(app):
        assert Case.select().count() == before
    ref = reference_of(report(support, teacher=str(teacher.id)))
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        assert case.assignee_id == teacher.id and case.confidential
        assert Outbox.select().where((Outbox.case == case.id) & (Outbox.to == teacher.email)).exists()
    # The teacher sees it and makes the first assessment (not 404).
    tc = as_role(app, "leerkracht")
    page = tc.get(case_url(ref)).get_data(as_text=True)
    assert "Eerste inschatting: ja, de school kan dit zelf aan" in page
    assert step(tc, ref, "trauma.zelf", {"motivation": "Wij kunnen dit."}).status_code == 302
    # The reporter keeps sight of it, but takes no steps.
    assert support.get(case_url(ref)).status_code == 200
    r = step(support, ref, "trauma.sluit", {"went_well": "x", "to_improve": "y"})
    assert r.status_code in (403, 422)
    with db_ctx(app):
        assert Case.get(Case.reference == ref).state == "zelf"


def test_a_teacher_reporting_is_not_asked_for_a_teacher(client, app):
    login(client, "leerkracht")
    assert "Leerkracht van de groep" not in client.get(REPORT).get_data(as_text=True)
    ref = reference_of(report(client))
    with db_ctx(app):
        assert Case.get(Case.reference == ref).assignee.email == "leerkracht@klaverweide.demo"


def test_a_teacher_of_another_school_is_no_choice(app):
    support = as_role(app, "ondersteunend")
    with db_ctx(app):
        board = User.get(User.email == "bestuur@asg.demo")
    r = report(support, teacher=str(board.id))
    assert r.status_code == 422 and "Kies een van de mogelijkheden." in r.get_data(as_text=True)
