"""The plugin's own forms: a teacher's request and the directie's allowed-list entry.

Plain WTForms ``Form`` classes: CSRF is checked globally by the core, and the
templates add the token with ``{{ csrf() }}``.
"""

import datetime

from wtforms import DateField
from wtforms import Form
from wtforms import RadioField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from portal.dates import today
from portal.forms import no_nul

from .domains import AddressError
from .domains import split_address
from .models import GROUPS
from .models import KINDS

# A period may last at most this long: it keeps the case (and so the record of
# the approval) within the retention period of the case type.
MAX_PERIOD_DAYS = 366


class MultiCheckbox(SelectMultipleField):
    """Checkboxes; the core's ``field`` macro renders this type as a fieldset."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        allowed = {value for value, _ in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError("Kies uit de groepen in de lijst.")


class Choice(RadioField):
    """Radio buttons with a Dutch message for a value that was not offered."""

    def pre_validate(self, form):
        if self.data not in {value for value, _ in self.choices}:
            raise ValidationError("Kies een van de mogelijkheden.")


class DutchDateField(DateField):
    """A date field whose parse error is Dutch (WTForms' own message is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Vul een geldige datum in (dag-maand-jaar).") from None


def web_address(form, field):
    """Validate and remember the normalised address on the form (``form.url``, ``form.domain``)."""
    try:
        form.url, form.domain = split_address(field.data)
    except AddressError as exc:
        raise ValidationError(str(exc)) from None


class RequestForm(Form):
    address = StringField(
        "Webadres", validators=[DataRequired("Vul een webadres in, zoals www.youtube.com."),
                                Length(max=500), no_nul, web_address],
        description="Plak het adres van de video, het spel of de site, of typ de naam van de "
                    "site, zoals www.youtube.com.")
    name = StringField("Naam van de app of site (niet verplicht)",
                       validators=[Length(max=120), no_nul],
                       description="Bijvoorbeeld: YouTube, filmpje over de watercyclus.")
    groups = MultiCheckbox("Voor welke groep(en)?", choices=GROUPS,
                           validators=[DataRequired("Kies minstens één groep.")])
    purpose = TextAreaField("Voor welke les of welk doel?", validators=[
        DataRequired("Schrijf op voor welke les of welk doel u het wilt gebruiken."),
        Length(max=1000), no_nul])
    kind = Choice("Hoe lang?", choices=list(KINDS.items()), default="eenmalig",
                      validators=[DataRequired("Kies hoe lang u het wilt gebruiken.")])
    start_date = DutchDateField("Datum (bij een periode: de eerste dag)",
                                validators=[Optional()])
    end_date = DutchDateField("Laatste dag (alleen bij een periode)", validators=[Optional()],
                              description="Na deze dag vervalt de toestemming vanzelf.")

    url = ""
    domain = ""

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        kind, start, end = self.kind.data, self.start_date.data, self.end_date.data
        first = today()
        if kind == "structureel":
            start = start or first
            self.start_date.data, self.end_date.data = start, None
        elif kind in ("eenmalig", "periode") and start is None and not self.start_date.errors:
            self.start_date.errors.append("Vul de datum in waarop u het wilt gebruiken.")
            ok = False
        if start is not None and start < first:
            self.start_date.errors.append("Deze datum ligt in het verleden.")
            ok = False
        if kind == "eenmalig" and start is not None:
            self.end_date.data = start
        if kind == "periode" and start is not None:
            if end is None:
                if not self.end_date.errors:
                    self.end_date.errors.append("Vul de laatste dag van de periode in.")
                ok = False
            elif end < start:
                self.end_date.errors.append("De laatste dag ligt vóór de eerste dag.")
                ok = False
            elif end - start > datetime.timedelta(days=MAX_PERIOD_DAYS):
                self.end_date.errors.append(
                    "Een periode duurt hoogstens een jaar. Vraag voor langer een structurele "
                    "toestemming aan.")
                ok = False
        return ok


class AllowedAppForm(Form):
    """A new entry on the allowed list, added by the directie."""

    name = StringField("Naam", validators=[DataRequired("Vul de naam van de app of site in."),
                                           Length(max=120), no_nul])
    address = StringField("Webadres of domein", validators=[
        DataRequired("Vul een webadres in, zoals www.basispoort.nl."), Length(max=500), no_nul,
        web_address])
    purpose = StringField("Waarvoor", validators=[Length(max=500), no_nul],
                          description="Bijvoorbeeld: rekenen en taal op het digibord.")
    since = DutchDateField("Toegestaan sinds", validators=[
        DataRequired("Vul een geldige datum in (dag-maand-jaar).")])
    approved_by = StringField("Goedgekeurd door", validators=[
        DataRequired("Vul in wie het heeft goedgekeurd."), Length(max=200), no_nul])

    url = ""
    domain = ""
