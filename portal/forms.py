"""The forms kit: fields, validators and messages in Dutch, for the core and every plugin.

Every form of the portal derives from ``Form``, whose messages come from WTForms'
Dutch translation, so even a field nobody gave a message of its own never shows
English. The fields here have better messages of their own ("Vul een geldige datum
in (dd-mm-jjjj)." rather than "Ongeldige datum."), refuse what the databases cannot
store (NUL, integers beyond 64 bits) and carry ``autocomplete`` tokens on personal
fields (WCAG 1.3.5), so that a phone fills in a parent's name and address. The messages a
parent's form can show are translatable (portal/i18n.py); staff pages read them in Dutch.

CSRF is not part of these forms: the portal checks it on every POST (Flask-WTF's
CSRFProtect), so plugin forms are plain ``Form`` classes.
"""

import contextlib
import re

import wtforms
from flask import g
from werkzeug.datastructures import MultiDict
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from .dates import today
from .i18n import lazy_gettext as _l

__all__ = [
    "BooleanField",
    "CaseField",
    "ConfirmField",
    "bounded_int",
    "DataRequired",
    "DateField",
    "Email",
    "EmailField",
    "Form",
    "HiddenField",
    "InputRequired",
    "IntegerField",
    "Length",
    "MultiCheckboxField",
    "NumberRange",
    "Optional",
    "RadioField",
    "SelectField",
    "StringField",
    "TelField",
    "TextAreaField",
    "TimeField",
    "ValidationError",
    "WebAddressField",
    "clean",
    "date_field",
    "email_field",
    "label",
    "line",
    "name_field",
    "no_nul",
    "not_in_future",
    "phone_field",
    "posted",
    "text",
    "text_form",
]

# The largest integer both databases store (64-bit signed).
MAX_INT = 2**63 - 1


class Form(wtforms.Form):
    """A form whose built-in messages are Dutch, with ``check`` for what only several fields
    together can tell."""

    class Meta:
        locales = ("nl_NL", "nl")
        cache_translations = True

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        marked = self.check() or {}
        for name, message in marked.items():
            self[name].errors = [*self[name].errors, message]
        for field in self:
            # A translatable message becomes text now, in the language of this request.
            if isinstance(field.errors, list) and field.errors:
                field.errors = [e if isinstance(e, (str, list, dict)) else str(e) for e in field.errors]
        return ok and not marked

    def check(self):
        """Checks across fields, after each field's own (also when one of those failed):
        {field name: message} marks those fields, as a guard's answer does (a period that
        ends before it starts). A field's own validator cannot do this for an empty optional
        field: ``Optional()`` stops its chain first. May also set values (clear a field that
        does not apply)."""
        return None


def bounded_int(value):
    """``int`` for a request value that a database column can hold: use as
    ``request.args.get("x", type=bounded_int)``, which then answers the default for
    "99999999999999999999" instead of letting the database fail on it."""
    number = int(value)
    if abs(number) > MAX_INT:
        raise ValueError("out of range")
    return number


def no_nul(form, field):
    """Refuse control characters (PostgreSQL rejects NUL; SQLite would store it)."""
    value = field.data
    if isinstance(value, str) and any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise ValidationError(_l("Deze tekst bevat ongeldige tekens."))


def one_line(form, field):
    """Refuse line breaks in a one-line field (a name, a subject: they end up in mail headers)."""
    value = field.data
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        raise ValidationError(_l("Gebruik één regel, zonder enters."))


def not_in_future(form, field):
    if field.data and field.data > today():
        raise ValidationError("Deze datum ligt in de toekomst.")


def clean(field):
    """A text field's value, stripped; "" when the field was left out of the post (None)."""
    return (field.data or "").strip()


# ------------------------------------------------------------------ fields ----


class DateField(wtforms.DateField):
    """A date (the browser's date picker sends yyyy-mm-dd) with a Dutch parse error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een geldige datum in (dd-mm-jjjj).") from None


class TimeField(wtforms.TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een geldige tijd in (uu:mm).") from None


class IntegerField(wtforms.IntegerField):
    """A whole number; one that no database column can hold is refused, not a 500."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een heel getal in.") from None
        if self.data is not None and abs(self.data) > MAX_INT:
            self.data = None
            raise ValueError("Dit getal is te groot.")


class _ChoiceMessage:
    """A Dutch message for a posted value that is not one of the choices (``choice_message=``
    to say it in the field's own words); ``required=`` the message when none is chosen."""

    choice_message = _l("Kies een van de mogelijkheden.")

    def __init__(self, label=None, validators=None, *, choice_message=None, required=None, **kw):
        # ``required``: the message when nothing is chosen (a default choice counts as chosen).
        validators = list(validators or ())
        if required:
            validators.insert(0, DataRequired(required))
        super().__init__(label, validators, **kw)
        if choice_message:
            self.choice_message = choice_message

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.choice_message) from None
        except ValueError:  # no choices at all
            raise ValidationError(self.choice_message) from None


class SelectField(_ChoiceMessage, wtforms.SelectField):
    pass


class RadioField(_ChoiceMessage, wtforms.RadioField):
    pass


class MultiCheckboxField(_ChoiceMessage, wtforms.SelectMultipleField):
    """Checkboxes for several choices; the form macros render it as a fieldset."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


BooleanField = wtforms.BooleanField


class ConfirmField(wtforms.BooleanField):
    """A box that confirms what the portal worked out from the other fields (a period on the
    school calendar), in two steps and without JavaScript: see ``confirmed``."""

    def confirmed(self, value, text):
        """True when the box was ticked for exactly ``value`` (a text that stands for what
        was shown). Otherwise the box comes back unticked, carrying ``value``, with ``text``
        under it: ticking it confirms what was shown, and a changed field shows anew."""
        if self.data and (self.raw_data or [""])[0] == value:
            return True
        self.data, self.raw_data = False, [value]
        self.errors = [*self.errors, text]
        return False


EmailField = wtforms.EmailField
HiddenField = wtforms.HiddenField
StringField = wtforms.StringField
TelField = wtforms.TelField
TextAreaField = wtforms.TextAreaField


class WebAddressField(wtforms.StringField):
    """A web address as people type it (``www.Klaverweide.nl``, a pasted link), checked by
    ``portal.webaddress``: after validation ``data`` is the normalised address, safe as a
    link (``https://www.klaverweide.nl``), and ``domain`` its domain (``klaverweide.nl``).
    A refused form shows the address again as it was typed. ``required`` is the message
    for an empty field; without it the field may stay empty (and ``domain`` is "")."""

    def __init__(self, label="Webadres", validators=None, *, required=None, **kw):
        # A keyboard with "/" and ".com" on a phone. No maxlength: a browser would cut a
        # long pasted link silently, where the check says that it is too long.
        kw.setdefault("render_kw", {}).setdefault("inputmode", "url")
        super().__init__(label, _required(required) + list(validators or ()), **kw)
        self.domain = ""

    def _value(self):
        return self.raw_data[0] if self.raw_data else super()._value()

    def post_validate(self, form, validation_stopped):
        if validation_stopped or self.errors:
            return
        from .webaddress import AddressError
        from .webaddress import parse

        try:
            address = parse(self.data)
        except AddressError as exc:
            raise ValidationError(str(exc)) from None
        self.data, self.domain = address.url, address.domain


class CaseField(wtforms.StringField):
    """The reference of another case of ``case_type`` (the one this case follows from: an
    expulsion route from an incident). Optional; after validation ``data`` is the reference
    as the portal writes it and ``case`` the Case, or None when left empty. A reference of no
    such case at the request's school, or of one the user may not see, is refused with
    ``message`` (the same answer for both)."""

    def __init__(self, label, case_type, message="Er is geen zaak met dit kenmerk.", validators=None, **kw):
        super().__init__(label, [Optional(), Length(max=40), no_nul, *(validators or ())], **kw)
        self.case_type, self.message, self.case = case_type, message, None

    def post_validate(self, form, validation_stopped):
        self.case = None
        if validation_stopped or self.errors or not clean(self):
            return
        from flask_login import current_user

        from .cases.visibility import get_visible

        school = g.get("school")
        case = get_visible(school, clean(self).upper(), current_user) if school is not None else None
        if case is None or case.case_type != self.case_type:
            raise ValidationError(self.message)
        self.case, self.data = case, case.reference


# ---------------------------------------------------------------- shortcuts ----
# The same few field shapes recur in every plugin; these keep the declarations short.


def _required(message):
    return [DataRequired(message)] if message else [Optional()]


def text(label, max_length=5000, required=None, **kw):
    """A multi-line text; ``required`` is the Dutch message shown when it is left empty."""
    return TextAreaField(label, validators=_required(required) + [Length(max=max_length), no_nul], **kw)


def line(label, max_length=200, required=None, **kw):
    """A one-line text (no line breaks)."""
    return StringField(
        label, validators=_required(required) + [Length(max=max_length), no_nul, one_line], **kw
    )


def text_form(label, required=None, *, name="note", max_length=5000, **kw):
    """A form of one text, for a step that asks only that (a reason, a note): the field
    ``name`` is ``text(label, max_length, required, **kw)``."""
    return type(f"TextForm_{name}", (Form,), {name: text(label, max_length, required, **kw)})


def date_field(label, required="Vul een geldige datum in (dd-mm-jjjj).", past=False, **kw):
    """A date; ``required`` the message when it is empty (None: optional); ``past`` refuses a
    date after today (a conversation held, an incident that happened)."""
    validators = [InputRequired(required)] if required else [Optional()]
    return DateField(label, validators=validators + ([not_in_future] if past else []), **kw)


def label(choices, key):
    """The label of ``key`` in ``(key, label)`` choices; an unknown key (an old value) as it is."""
    return dict(choices).get(key, key or "")


def posted(form_class, data, school=None):
    """``form_class`` as if ``data`` were posted (text, or a list for several checkboxes),
    validated: demo data and imports pass the same checks as a person at the form. A refused
    form raises ValueError with its messages. ``school``: the school the form is filled in
    for outside a request (whose register a ``PupilField`` takes the pupil's id from)."""
    if school is not None:
        with _school_of_the_request(school):
            return posted(form_class, data)
    form = form_class(MultiDict(data))
    if not form.validate():
        raise ValueError(f"{form_class.__name__} refused: {form.errors}")
    return form


@contextlib.contextmanager
def _school_of_the_request(school):
    """``g.school`` (where fields look for the school) set to ``school`` for a while."""
    before = g.pop("school", None)
    g.school = school
    try:
        yield
    finally:
        g.pop("school", None)
        if before is not None:
            g.school = before


def name_field(label="Naam", required=None, **kw):
    kw.setdefault("render_kw", {}).setdefault("autocomplete", "name")
    return line(label, 200, required, **kw)


def email_field(label="E-mailadres", required=None, **kw):
    kw.setdefault("render_kw", {}).setdefault("autocomplete", "email")
    validators = _required(required) + [Email("Vul een geldig e-mailadres in."), Length(max=254), one_line]
    if not required:
        validators = [Optional(), Email("Vul een geldig e-mailadres in."), Length(max=254), one_line]
    return EmailField(label, validators=validators, **kw)


def phone_characters(form, field):
    if field.data and not re.fullmatch(r"[0-9+()\- ]{6,20}", field.data):
        raise ValidationError(_l("Vul een telefoonnummer in met alleen cijfers, spaties of +."))


def phone_field(label="Telefoonnummer", required=None, **kw):
    kw.setdefault("render_kw", {}).setdefault("autocomplete", "tel")
    return TelField(
        label, validators=_required(required) + [Length(max=40), no_nul, one_line, phone_characters], **kw
    )
