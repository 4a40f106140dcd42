"""No English validation message anywhere: every form of the core's case pages and of
every plugin (start forms, step forms, the plugins' own pages) gets bad values for each
field, and every message it gives is Dutch."""

import importlib
import inspect
import pkgutil
import re

import pytest
import wtforms
from werkzeug.datastructures import MultiDict

import plugins
from portal.testing import db_session

# The messages WTForms and its validators give in English (wtforms/locale/wtforms.pot).
ENGLISH = (
    "This field",
    "Not a valid",
    "Invalid",
    "Field must",
    "Number must",
    "is not a valid",
    "must be",
    "required",
    "Please",
    "value",
    "choice",
)


def plugin_forms():
    found = {}
    for info in pkgutil.walk_packages(plugins.__path__, "plugins."):
        if info.name.endswith(".migrations") or ".migrations." in info.name:
            continue
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, wtforms.Form) and obj.__module__ == module.__name__:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def declared_forms(app):
    reg = app.extensions["portal"]
    forms = {}
    for ct in reg.case_types.values():
        for t in ct.transitions:
            if t.form is not None:
                forms[f"{t.name} (stap)"] = t.form
        if ct.start is not None:
            forms[f"{ct.name} (start)"] = ct.start.form
    return forms


def bad_values(form_class):
    """Per field, the values that should each be refused with a message."""
    form = form_class()
    values = {}
    for field in form:
        if isinstance(field, wtforms.DateField | wtforms.TimeField | wtforms.DateTimeField):
            values[field.name] = ["gisteren", "31-02-2026", ""]
        elif isinstance(field, wtforms.IntegerField | wtforms.DecimalField | wtforms.FloatField):
            values[field.name] = ["veel", "99999999999999999999", ""]
        elif isinstance(field, wtforms.SelectFieldBase):
            values[field.name] = ["bestaat-niet", ""]
        elif isinstance(field, wtforms.StringField):  # text, textarea, e-mail, phone
            values[field.name] = ["", "x" * 100_001, "geen@", "\x01"]
    return values


def english(message):
    # Whole words: "geëvalueerd" holds "value" but is Dutch.
    return any(re.search(rf"\b{re.escape(word)}\b", str(message)) for word in ENGLISH)


def test_every_form_speaks_dutch(app):
    forms = {**plugin_forms(), **declared_forms(app)}
    assert len(forms) > 20, sorted(forms)
    problems = []
    with db_session(app):
        for name, form_class in sorted(forms.items()):
            for field, tries in bad_values(form_class).items():
                for value in tries:
                    form = form_class(MultiDict({field: value}))
                    form.validate()
                    for field_name, errors in form.errors.items():
                        for message in errors if isinstance(errors, list) else [errors]:
                            if english(message):
                                problems.append(f"{name}.{field_name} = {value[:20]!r}: {message}")
    assert sorted(set(problems)) == []


@pytest.mark.parametrize(
    "message", ["This field is required.", "Not a valid date value.", "Invalid Choice: could not coerce."]
)
def test_the_check_knows_english(message):
    assert english(message)
