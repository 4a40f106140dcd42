"""WTForms of the schorsing plugin.

Transition forms are plain ``Form`` classes: the core adds CSRF for every POST.
``NlForm`` switches WTForms' own messages ("Ongeldige datum.") to Dutch.
"""

from wtforms import BooleanField
from wtforms import DateField
from wtforms import Form
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import TimeField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import ValidationError

from portal.dates import today
from portal.forms import no_nul

from .models import CATEGORIES
from .models import OUTCOMES

MAX_DAYS = 5  # the plan: one to five consecutive school days


class NlForm(Form):
    class Meta:
        locales = ("nl_NL", "nl")


def _text(label, message, max_length=5000, required=True):
    validators = [DataRequired(message)] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=max_length), no_nul])


def _line(label, message, max_length=200):
    return StringField(label, validators=[DataRequired(message), Length(max=max_length), no_nul])


def _date(label, message="Vul een geldige datum in."):
    return DateField(label, validators=[DataRequired(message)])


def not_in_future(form, field):
    if field.data and field.data > today():
        raise ValidationError("Deze datum ligt in de toekomst.")


# ------------------------------------------------------------- incident ----

class IncidentForm(NlForm):
    pupil_name = _line("Naam van de leerling", "Vul de naam van de leerling in.")
    pupil_group = _line("Groep", "Vul de groep in, bijvoorbeeld 6b.", 40)
    occurred_on = DateField("Datum van het incident", validators=[
        DataRequired("Vul een geldige datum in."), not_in_future])
    occurred_time = TimeField("Tijd", validators=[DataRequired("Vul een tijd in, bijvoorbeeld 10:15.")])
    place = _line("Plaats", "Waar gebeurde het? Bijvoorbeeld: schoolplein.")
    category = RadioField("Soort incident", choices=CATEGORIES,
                          validators=[DataRequired("Kies het soort incident.")])
    category_other = StringField("Anders, namelijk", validators=[Length(max=200), no_nul])
    description = _text("Wat is er gebeurd?", "Beschrijf wat er is gebeurd.")
    involved = _text("Wie waren erbij betrokken?", "", required=False)
    immediate_action = _text("Wat is er direct gedaan?", "Beschrijf wat er direct is gedaan.")

    def validate_category_other(self, field):
        if self.category.data == "anders" and not (field.data or "").strip():
            raise ValidationError("Beschrijf het soort incident bij ‘Anders, namelijk’.")


class ExpulsionStartForm(NlForm):
    pupil_name = _line("Naam van de leerling", "Vul de naam van de leerling in.")
    pupil_group = _line("Groep", "Vul de groep in, bijvoorbeeld 6b.", 40)
    grounds = _text("Waarom wordt verwijdering overwogen?",
                    "Beschrijf de ernstige verstoring van orde en rust.")
    incident = StringField("Kenmerk van het incident (als er een is)",
                           validators=[Length(max=40), no_nul],
                           description="Bijvoorbeeld SCH-2026-0001; de gegevens van de leerling "
                                       "worden dan overgenomen.")


# ------------------------------------------------------ suspension route ----

class ConsultationForm(NlForm):
    held_on = DateField("Datum van het overleg", validators=[
        DataRequired("Vul een geldige datum in."), not_in_future])
    with_whom = _line("Met wie (naam en functie bij het bestuur)", "Vul in met wie is overlegd.")
    outcome = _text("Uitkomst van het overleg", "Vul de uitkomst van het overleg in.")


class HearingForm(NlForm):
    held_on = DateField("Datum van het gesprek", validators=[
        DataRequired("Vul een geldige datum in."), not_in_future])
    summary = _text("Samenvatting", "Vat het gesprek kort samen.")


class DaysField(IntegerField):
    """An integer field whose parse error is the same Dutch range message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(DAYS_MESSAGE) from None


DAYS_MESSAGE = f"Een schorsing duurt 1 tot en met {MAX_DAYS} aaneengesloten schooldagen."


class DecisionForm(NlForm):
    first_day = _date("Eerste schorsingsdag")
    days = DaysField("Aantal schooldagen", validators=[
        InputRequired("Vul het aantal schooldagen in."), NumberRange(1, MAX_DAYS, DAYS_MESSAGE)],
        render_kw={"min": 1, "max": MAX_DAYS, "inputmode": "numeric"})
    reason = _text("Reden van de schorsing", "Vul de reden van de schorsing in.")
    schoolwork = _text("Afspraken over schoolwerk tijdens de schorsing",
                       "Vul in hoe de leerling tijdens de schorsing schoolwerk krijgt.")
    meeting_on = DateField("Datum gesprek met de ouders (voor de uitnodiging in de brief)",
                           validators=[Optional()])
    # Two-step confirmation without JavaScript: the first submit computes the
    # last day and shows it under this box; the box's value then carries that
    # period, so a confirmation only counts for the period that was shown.
    confirmed = BooleanField("Ik heb de berekende schorsingsperiode gecontroleerd")


class EvaluationForm(NlForm):
    held_on = DateField("Datum van de evaluatie", validators=[DataRequired("Vul een geldige datum in.")])
    summary = _text("Evaluatie", "Vat de evaluatie samen: hoe verliep de terugkeer?")


class CloseForm(NlForm):
    note = _text("Toelichting bij het afsluiten", "", required=False)


class NoSuspensionForm(NlForm):
    note = _text("Waarom volgt er geen schorsing?", "Licht toe waarom er geen schorsing volgt.")


# -------------------------------------------------------- expulsion route ----

class IntentForm(NlForm):
    intent_on = _date("Datum van het voornemen")
    intent_text = _text("Motivering van het voornemen",
                        "Licht toe waarom het bestuur van plan is de leerling te verwijderen.")


class ApproachForm(NlForm):
    school_name = _line("Naam van de school", "Vul de naam van de school in.")
    approached_on = _date("Datum van het contact")
    outcome = SelectField("Uitkomst", choices=OUTCOMES,
                          validators=[DataRequired("Kies de uitkomst.")])
    special_education = BooleanField("Het gaat om een school voor speciaal onderwijs")
    tlv_on = DateField("Datum toelaatbaarheidsverklaring van het samenwerkingsverband",
                       validators=[Optional()])
    tlv_reference = StringField("Kenmerk toelaatbaarheidsverklaring",
                                validators=[Length(max=100), no_nul])
    note = _text("Toelichting", "", required=False)

    def validate(self, extra_validators=None):
        # A form-level check: the date field is Optional(), which would stop an
        # inline validator on an empty field before it runs.
        ok = super().validate(extra_validators)
        if (self.special_education.data and self.outcome.data == "geaccepteerd"
                and not self.tlv_on.data and not self.tlv_on.errors):
            self.tlv_on.errors.append(
                "Voor een school voor speciaal onderwijs is een toelaatbaarheidsverklaring "
                "van het samenwerkingsverband nodig: vul de datum in.")
            ok = False
        return ok


class ExpulsionDecisionForm(NlForm):
    decided_on = _date("Datum van het besluit")
    effective_on = _date("Verwijderd met ingang van")


class WithdrawForm(NlForm):
    note = _text("Waarom gaat de verwijdering niet door?", "Licht toe waarom.")


def for_step(form_cls, step):
    """``form_cls`` with HTML ids prefixed by ``step``.

    The core's case page shows the form of every possible step at once; two
    forms with a field ``held_on`` would otherwise share an id, and a label
    would point at the wrong input. Field names stay the same.
    """
    unbound = sorted(
        ((name, value) for name, value in vars_with_bases(form_cls)
         if isinstance(value, UnboundField)),
        key=lambda item: item[1].creation_counter,
    )
    attrs = {
        name: value.field_class(*value.args, **{**value.kwargs, "id": f"{step}-{name}"})
        for name, value in unbound
    }
    return type(f"{form_cls.__name__}_{step}", (form_cls,), attrs)


def vars_with_bases(cls):
    seen = {}
    for klass in reversed(cls.__mro__):
        seen.update(vars(klass))
    return seen.items()
