"""Per-school settings declared by the core and the plugins (``register_settings``)."""

from wtforms import BooleanField
from wtforms import EmailField
from wtforms import Form
from wtforms import IntegerField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import Email
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

from .db import atomic
from .forms import no_nul
from .forms import one_line
from .models import SchoolSetting
from .registry import get_registry


def _convert(decl, raw):
    if decl.kind == "int":
        try:
            return int(raw)
        except (TypeError, ValueError):
            return decl.default
    if decl.kind == "bool":
        return raw in ("1", "true", "True", True)
    return raw


def get_setting(school, name):
    """The school's value for setting ``name``, or its declared default."""
    decl = get_registry().settings[name]
    row = SchoolSetting.get_or_none((SchoolSetting.school == school.id) & (SchoolSetting.name == name))
    return decl.default if row is None else _convert(decl, row.value)


def set_setting(school, name, value):
    decl = get_registry().settings[name]
    text = ("1" if value else "0") if decl.kind == "bool" else str(value if value is not None else "")
    (
        SchoolSetting.insert(school=school.id, name=name, value=text)
        .on_conflict(
            conflict_target=[SchoolSetting.school, SchoolSetting.name], update={SchoolSetting.value: text}
        )
        .execute()
    )


def _field(decl):
    kw = {"description": decl.help}
    if decl.kind == "int":
        return IntegerField(
            decl.label,
            validators=[Optional(), NumberRange(0, 10000, "Vul een getal in tussen 0 en 10000.")],
            **kw,
        )
    if decl.kind == "bool":
        return BooleanField(decl.label, **kw)
    if decl.kind == "email":
        return EmailField(
            decl.label,
            validators=[Optional(), Email("Vul een geldig e-mailadres in."), Length(max=254)],
            **kw,
        )
    if decl.kind == "textarea":
        return TextAreaField(decl.label, validators=[Length(max=20000)], **kw)
    # A one-line setting (a phone number, a name) may end up in a mail or on an error page.
    return StringField(decl.label, validators=[Length(max=500), no_nul, one_line], **kw)


def settings_form(school, slugs, formdata=None):
    """A form with the settings of the core and of the ``slugs`` plugins."""
    reg = get_registry()
    names = [n for n, owner in reg.setting_owner.items() if owner == "portal" or owner in slugs]

    class SettingsForm(Form):
        pass

    for name in names:
        setattr(SettingsForm, name.replace(".", "__"), _field(reg.settings[name]))
    data = {name.replace(".", "__"): get_setting(school, name) for name in names}
    form = SettingsForm(formdata=formdata, data=data)
    form.owner_of = {name.replace(".", "__"): reg.setting_owner[name] for name in names}
    return form


def save_settings(school, form):
    with atomic():
        for field in form:
            set_setting(school, field.name.replace("__", "."), field.data)
