"""The forms kit's shapes that plugins share (portal.forms, in portal.api): checks across
fields (``Form.check``), a choice field's ``required=`` message, and a form filled in from
data as if it were posted (``posted``, for demo data and imports)."""

import pytest
from werkzeug.datastructures import MultiDict

from portal import api

KINDS = (("eenmalig", "Eenmalig"), ("periode", "Voor een periode"))
GROUPS = (("5", "Groep 5"), ("6", "Groep 6"))


class PeriodForm(api.Form):
    kind = api.RadioField("Hoe lang?", choices=KINDS, default="eenmalig", required="Kies hoe lang.")
    groups = api.MultiCheckboxField(
        "Groepen", choices=GROUPS, required="Kies een groep.", choice_message="Kies uit de lijst."
    )
    first = api.date_field("Eerste dag", "Vul de eerste dag in.")
    last = api.date_field("Laatste dag", None)
    note = api.line("Toelichting", 50)

    def check(self):
        if self.kind.data == "eenmalig":
            self.last.data = None  # a field that does not apply is not kept
            return None
        if self.last.data is None and not self.last.errors:
            return {"last": "Vul de laatste dag in."}
        if self.last.data is not None and self.first.data and self.last.data < self.first.data:
            return {"last": "De laatste dag ligt vóór de eerste dag."}
        return None


def period(data):
    return PeriodForm(MultiDict(data))


GOOD = {"kind": "periode", "groups": ["5", "6"], "first": "2026-03-09", "last": "2026-03-13"}


def test_check_marks_fields_after_their_own_checks():
    f = period(GOOD)
    assert f.validate() and f.errors == {}
    f = period({**GOOD, "last": "2026-03-01"})
    assert not f.validate()
    assert f.errors == {"last": ["De laatste dag ligt vóór de eerste dag."]}
    # An empty optional field: its own chain stops at Optional(), the check still speaks.
    f = period({**GOOD, "last": ""})
    assert not f.validate() and f.errors == {"last": ["Vul de laatste dag in."]}


def test_check_runs_also_when_a_field_failed_and_may_clear_a_value():
    # The field's own message, and the check's on another field, together.
    f = period({**GOOD, "first": "gisteren", "last": ""})
    assert not f.validate()
    assert f.errors == {
        "first": ["Vul een geldige datum in (dd-mm-jjjj)."],
        "last": ["Vul de laatste dag in."],
    }
    f = period({**GOOD, "kind": "eenmalig"})
    assert f.validate() and f.last.data is None


def test_a_form_without_check_validates_as_before():
    class Plain(api.Form):
        name = api.line("Naam", 20, "Vul een naam in.")

    assert Plain(MultiDict({"name": "Noor"})).validate()
    f = Plain(MultiDict({"name": ""}))
    assert not f.validate() and f.errors == {"name": ["Vul een naam in."]}


@pytest.mark.parametrize(
    "data, errors",
    [
        ({"groups": []}, {"groups": ["Kies een groep."]}),
        ({"groups": ["9"]}, {"groups": ["Kies uit de lijst."]}),
        ({"kind": "", "groups": ["5"]}, {"kind": ["Kies hoe lang."]}),
        ({"kind": "wekelijks", "groups": ["5"]}, {"kind": ["Kies een van de mogelijkheden."]}),
    ],
)
def test_a_choice_field_says_what_to_choose(data, errors):
    f = period({**GOOD, **data})
    assert not f.validate()
    assert f.errors == errors


def test_a_default_choice_counts_as_chosen():
    data = {k: v for k, v in GOOD.items() if k != "kind"}  # left out of the post
    f = period(data)
    assert f.validate() and f.kind.data == "eenmalig"


def test_required_comes_first_among_the_validators():
    class Pick(api.Form):
        pick = api.SelectField(
            "Kies", choices=KINDS, required="Kies iets.", validators=[api.Length(max=3, message="Te lang.")]
        )

    f = Pick(MultiDict({"pick": ""}))
    assert not f.validate()
    assert f.errors == {"pick": ["Kies iets."]}  # DataRequired stops before Length
    f = Pick(MultiDict({"pick": "periode"}))
    assert not f.validate()
    assert f.errors == {"pick": ["Te lang."]}


def test_posted_fills_in_and_validates_a_form():
    f = api.posted(PeriodForm, GOOD)
    assert f.groups.data == ["5", "6"] and f.last.data.isoformat() == "2026-03-13"
    with pytest.raises(ValueError, match="PeriodForm refused: .*Kies een groep"):
        api.posted(PeriodForm, {**GOOD, "groups": []})
