"""What a plugin need not say: a step's permission and a letter's permission default to the
case type's ``handle_permission``, steps are offered as declared; and the kit's pieces for
a plugin's own case page (``api.visible_case``), a computed value confirmed in two steps
(``api.ConfirmField``) and the names kept as text before the pupil register
(``api.keep_pupil_names``)."""

import pytest
from flask import g
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from portal import api
from portal.cases import engine
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CasePupil
from portal.registry import get_registry
from portal.testing import actor
from portal.testing import db_session
from portal.testing import school

from .core_helpers import make_case

TYPE = api.CaseType(
    name="proef.zaak",
    title="Proef",
    prefix="PR",
    states=(api.State("a", "A"), api.State("b", "B"), api.State("c", "C", closed=True)),
    initial="a",
    transitions=(
        api.Transition("proef.zeta", "Zeta", ("a",), "b"),
        api.Transition("proef.alfa", "Alfa", ("a",), "c", "proef.decide"),
        api.Transition("proef.eerst", "Eerst", ("a",), "b", order=10),
    ),
    view_permission="proef.view",
    handle_permission="proef.handle",
)


def test_a_step_without_permission_is_for_whoever_handles_the_case():
    steps = {t.name: t.permission for t in TYPE.transitions}
    assert steps == {
        "proef.zeta": "proef.handle",
        "proef.alfa": "proef.decide",
        "proef.eerst": "proef.handle",
    }


def test_steps_are_offered_by_order_then_as_declared(app):
    # schorsing declares its steps in the order the route takes them, without ``order``:
    # by name they would come as besluit, geen_schorsing, horen, overleg.
    with db_session(app):
        g.school = school()
        # The demo's fresh suspension case (started from an incident of the register).
        case = (
            Case.select()
            .where((Case.case_type == "schorsing.schorsing") & (Case.state == "gemeld"))
            .order_by(Case.id)
            .first()
        )
        offered = [t.name for t in engine.allowed_transitions(case, actor("directie"))]
    assert offered == [
        "schorsing.overleg",
        "schorsing.horen",
        "schorsing.besluit",
        "schorsing.geen_schorsing",
    ]


def test_a_letter_without_permission_is_for_whoever_handles_the_case(app):
    with app.app_context():
        documents = get_registry().documents
        # The schorsing plugin's letters name no permission of their own.
        assert documents["schorsing.brief_ouders"].permission == "schorsing.handle"
        assert documents["klachten.afsluitbrief"].permission == "klachten.handle"


# ------------------------------------------------------------- visible_case ----


def test_visible_case_answers_404_and_audits_what_the_user_may_not_see(app):
    with db_session(app):
        case = make_case()
        reference = case.reference
    for role, seen in (("directie", True), ("leerkracht", False)):
        with app.test_request_context("/klaverweide/"):
            database.connect(reuse_if_open=True)
            g.school = school()
            from flask_login import login_user

            login_user(actor(role))
            if seen:
                assert api.visible_case(reference).id == case.id
                with pytest.raises(NotFound):
                    api.visible_case(reference, "klachten.klacht")  # of another type
            else:
                with pytest.raises(NotFound):
                    api.visible_case(reference)
            with pytest.raises(NotFound):
                api.visible_case("TZ-1999-9999")
    with db_session(app):
        denied = AuditLog.select().where((AuditLog.action == "case.view") & (AuditLog.outcome == "denied"))
        assert denied.count() == 4


# ------------------------------------------------------------- ConfirmField ----


class PeriodForm(api.Form):
    days = api.IntegerField("Dagen")
    confirmed = api.ConfirmField("Ik heb de periode gecontroleerd")


def test_confirm_counts_only_for_what_was_shown():
    form = PeriodForm(MultiDict({"days": "3", "confirmed": "y"}))
    assert form.validate()
    # Ticked, but not for this value: shown, unticked, carrying the value.
    assert not form.confirmed.confirmed("3-dagen", "Drie dagen. Klopt dit?")
    assert form.confirmed.errors == ["Drie dagen. Klopt dit?"]
    assert 'value="3-dagen"' in form.confirmed() and "checked" not in form.confirmed()
    # Ticked for the value that was shown: confirmed.
    form = PeriodForm(MultiDict({"days": "3", "confirmed": "3-dagen"}))
    assert form.validate() and form.confirmed.confirmed("3-dagen", "Drie dagen. Klopt dit?")
    assert form.confirmed.errors == []
    # A changed value is shown anew, whatever was ticked before.
    form = PeriodForm(MultiDict({"days": "4", "confirmed": "3-dagen"}))
    assert form.validate() and not form.confirmed.confirmed("4-dagen", "Vier dagen. Klopt dit?")


def test_posted_for_a_school_chooses_from_its_register(app):
    class PupilForm(api.Form):
        pupil = api.PupilField("Leerling", required="Kies de leerling.")

    with app.app_context():
        database.connect(reuse_if_open=True)
        here = school()
        daan = api.demo_pupil(here, "Daan Vos")
        form = api.posted(PupilForm, {"pupil": str(daan.id)}, school=here)
        assert form.pupil.pupil.id == daan.id and form.pupil.data == "Daan Vos"
        assert g.get("school") is None  # left as it was
        with pytest.raises(ValueError, match="Kies een leerling uit de lijst"):
            api.posted(PupilForm, {"pupil": str(daan.id)})  # no school: no register


# --------------------------------------------------------- keep_pupil_names ----


@pytest.mark.schema  # makes a table of its own: as the schema's owner on PostgreSQL
def test_keep_pupil_names_makes_each_name_a_pupil_not_linked(ctx):
    database.execute_sql(
        'CREATE TABLE "proef_detail" ("id" INTEGER PRIMARY KEY, "case_id" INTEGER, "names" TEXT)'
    )
    one, two, three, linked = (make_case(f"Zaak {n}") for n in range(4))
    daan = api.demo_pupil(school(), "Daan Vos")
    api.link_pupil(linked, daan, actor("directie"))
    rows = [
        (one.id, "Sem de Jong"),
        (two.id, "Lotte Jansen\n\n Noah Bakker \nLotte Jansen"),
        (three.id, "  "),
    ]
    rows.append((linked.id, "Daan Vos"))
    for row_id, (case_id, names) in enumerate(rows, 1):
        database.execute_sql(
            'INSERT INTO "proef_detail" ("id", "case_id", "names") VALUES (%s, %s, %s)'.replace(
                "%s", database.param
            ),
            (row_id, case_id, names),
        )
    assert api.keep_pupil_names(database, "proef_detail", "names", role="getuige", lines=True) == 3
    kept = [
        (r.case_id, r.pupil_id, r.name, r.role)
        for r in CasePupil.select()
        .where(CasePupil.case.in_([one.id, two.id, three.id]))
        .order_by(CasePupil.id)
    ]
    assert kept == [
        (one.id, None, "Sem de Jong", "getuige"),
        (two.id, None, "Lotte Jansen", "getuige"),
        (two.id, None, "Noah Bakker", "getuige"),
    ]
    created = Case.get_by_id(one.id).created_at
    assert CasePupil.get(CasePupil.case == one.id).linked_at == created  # when the name was given
    # The case that named its pupil already keeps what it has; running it again adds nothing.
    assert [r.pupil_id for r in CasePupil.select().where(CasePupil.case == linked.id)] == [daan.id]
    assert api.keep_pupil_names(database, "proef_detail", "names", lines=True) == 0
    page_rows = api.case_pupils(Case.get_by_id(two.id))
    assert [(r.display, r.linked) for r in page_rows] == [("Lotte Jansen", None), ("Noah Bakker", None)]
    database.execute_sql('DROP TABLE "proef_detail"')


def test_keep_pupil_names_before_the_register_does_nothing():
    class NoRegister:
        def get_tables(self):
            return ["klachten_klacht"]

    assert api.keep_pupil_names(NoRegister(), "klachten_klacht", "pupil_name") == 0


# ----------------------------------------------------------- text_form, CaseField ----


def test_text_form_is_a_form_of_one_text():
    Reason = api.text_form("Waarom?", "Vul een reden in.", name="reason", max_length=10)
    form = Reason(MultiDict({"reason": ""}))
    assert not form.validate() and form.errors == {"reason": ["Vul een reden in."]}
    form = Reason(MultiDict({"reason": "x" * 11}))
    assert not form.validate() and form.errors == {"reason": ["Veld mag niet langer zijn dan 10 karakters."]}
    Note = api.text_form("Toelichting")  # optional, under "note"
    assert Note(MultiDict({})).validate() and [f.name for f in Note()] == ["note"]


class FollowForm(api.Form):
    source = api.CaseField("Kenmerk", "testzaak.zaak", "Er is geen testzaak met dit kenmerk.")


def test_case_field_takes_a_visible_case_of_its_type(app):
    with db_session(app):
        reference = make_case().reference
    from flask_login import login_user

    for role, found in (("directie", True), ("leerkracht", False)):
        with app.test_request_context("/klaverweide/"):
            database.connect(reuse_if_open=True)
            g.school = school()
            login_user(actor(role))
            form = FollowForm(MultiDict({"source": f" {reference.lower()} "}))
            if found:
                assert form.validate() and form.source.case.reference == form.source.data == reference
            else:  # a case the user may not see is no case
                assert not form.validate() and form.errors == {
                    "source": ["Er is geen testzaak met dit kenmerk."]
                }
            form = FollowForm(MultiDict({"source": "KL-2026-0001"}))  # another type, or none at all
            assert not form.validate() and form.source.case is None
            form = FollowForm(MultiDict({"source": ""}))
            assert form.validate() and form.source.case is None
