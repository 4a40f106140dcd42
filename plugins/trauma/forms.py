"""Forms of the trauma plugin (plain WTForms ``Form``: CSRF is global in the portal)."""

from flask import g
from wtforms import BooleanField
from wtforms import DateField
from wtforms import EmailField
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from portal.dates import today
from portal.forms import no_nul

from .models import TraumaPartner
from .vocab import KINDS
from .vocab import PARTNER_KINDS
from .vocab import SCOPES


class MultiCheckbox(SelectMultipleField):
    """Checkboxes; the name matters: macros.html renders this type as a fieldset."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class NlDateField(DateField):
    """A date field whose parse error is Dutch (WTForms' own message is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een geldige datum in (dd-mm-jjjj).") from None


class NlIntegerField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een heel getal in.") from None


def clean(field):
    """A text field's value, stripped; "" when the field was left out of the post (None)."""
    return (field.data or "").strip()


def not_in_future(form, field):
    if field.data and field.data > today():
        raise ValidationError("Deze datum ligt in de toekomst.")


def text(label, max_len=5000, required=None, **kw):
    validators = [DataRequired(required)] if required else [Optional()]
    return TextAreaField(label, validators=validators + [Length(max=max_len), no_nul], **kw)


# ------------------------------------------------------------------ report ----

class ReportForm(Form):
    kind = RadioField("Wat is er gebeurd?", choices=KINDS,
                      validators=[InputRequired("Kies wat er is gebeurd.")])
    occurred_on = NlDateField("Wanneer is het gebeurd?", default=today,
                            validators=[InputRequired("Vul de datum in (dd-mm-jjjj)."),
                                        not_in_future])
    scope = RadioField("Wie worden erdoor geraakt?", choices=SCOPES,
                       validators=[InputRequired("Kies wie erdoor geraakt worden.")])
    group_name = StringField("Groep(en)", validators=[Length(max=200), no_nul],
                             description="Bijvoorbeeld: groep 5b.")
    pupils = text("Welke leerlingen?", 2000,
                  description="Alleen invullen als het om één of meer leerlingen gaat.")
    reported_by = StringField("Van wie kwam de melding?", validators=[
        DataRequired("Vul in van wie de melding kwam."), Length(max=300), no_nul],
        description="Bijvoorbeeld: de vader van een leerling, een collega, de politie.")
    description = text("Wat weten we?", 10000, "Beschrijf kort wat er bekend is.")

    def validate_group_name(self, field):
        if self.scope.data == "groep" and not clean(field):
            raise ValidationError("Vul in om welke groep het gaat.")

    def validate_pupils(self, field):
        if self.scope.data == "leerlingen" and not clean(field):
            raise ValidationError("Vul in om welke leerlingen het gaat.")


# --------------------------------------------------------------- workflow ----

class SchoolHandlesForm(Form):
    """First assessment, answer "yes": the school goes on with its own step plan."""

    ib_involved = BooleanField("De intern begeleider is betrokken")
    motivation = text("Waarom kan de school dit zelf aan?", 5000,
                      "Schrijf kort op waarom de school dit zelf aankan.")


def partner_choices(school):
    if school is None:
        return []
    return [
        (p.id, f"{p.organisation} ({dict(PARTNER_KINDS).get(p.kind, p.kind)})")
        for p in TraumaPartner.select().where(
            (TraumaPartner.school == school.id) & TraumaPartner.active
        ).order_by(TraumaPartner.organisation)
    ]


class ExternalHelpForm(Form):
    """First assessment, answer "no" (or later): engage one or more external partners."""

    partners = MultiCheckbox(
        "Welke externe partner(s) schakelt de school in?", coerce=int,
        validators=[DataRequired("Kies minstens één externe partner.")],
        description="Staat de partner er niet bij? Voeg die toe bij Externe partners.")
    contacted_on = NlDateField("Datum van het contact", default=today,
                             validators=[InputRequired("Vul de datum in (dd-mm-jjjj).")])
    agreement = text("Wat is er afgesproken?", 5000, "Schrijf op wat er is afgesproken.")
    # Not "ib_involved": both assessment forms are on one page and ids must differ.
    ib_consulted = BooleanField("Besproken met de intern begeleider en de directie")

    def __init__(self, formdata=None, **kw):
        super().__init__(formdata, **kw)
        # The choices are the partners of the school in the URL: another
        # school's partner id is not a valid choice.
        self.partners.choices = partner_choices(g.get("school"))


class CloseForm(Form):
    went_well = text("Evaluatie: wat ging goed?", 5000, "Vul in wat goed ging.")
    to_improve = text("Evaluatie: wat kan beter?", 5000, "Vul in wat beter kan.")


# ------------------------------------------------------------- school pages ----

class PartnerForm(Form):
    organisation = StringField("Organisatie", validators=[
        DataRequired("Vul de naam van de organisatie in."), Length(max=200), no_nul])
    kind = SelectField("Soort", choices=PARTNER_KINDS)
    contact_person = StringField("Contactpersoon", validators=[Length(max=200), no_nul])
    phone = StringField("Telefoon", validators=[Length(max=40), no_nul])
    email = EmailField("E-mailadres", validators=[
        Optional(), Email("Vul een geldig e-mailadres in."), Length(max=254)])
    notes = text("Opmerkingen", 2000)


class StepForm(Form):
    key = HiddenField()
    label = StringField("Stap", validators=[Length(max=300), no_nul])
    due_days = NlIntegerField("Uiterlijk na (dagen)", validators=[
        Optional(), NumberRange(0, 730, "Vul een aantal dagen in tussen 0 en 730.")])
    required = BooleanField("Verplicht voor afsluiten")
    remove = BooleanField("Verwijderen")


class PlanForm(Form):
    steps = FieldList(FormField(StepForm), min_entries=0, max_entries=60)
    letter = text("Tekst van de informatiebrief aan de ouders", 20000,
                  "Vul de tekst van de brief in.")


class ParentInfoForm(Form):
    parent_info = text("Wat mogen de ouders van de groep weten?", 5000,
                       description="In overleg met de familie. Deze tekst komt op de plaats "
                                   "van {bericht} in de informatiebrief aan de ouders.")
