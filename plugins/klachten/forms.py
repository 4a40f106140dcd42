"""The public forms: submitting a complaint and following it up."""

from wtforms import BooleanField
from wtforms import EmailField
from wtforms import Form
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import StringField
from wtforms import TelField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import Regexp

from portal.forms import no_nul

from .choices import CATEGORIES

TEXT_MAX = 10000


class ComplaintForm(Form):
    category = RadioField("Waar gaat uw klacht over?", choices=CATEGORIES,
                          validators=[InputRequired("Kies waar uw klacht over gaat.")])
    staff_named = StringField(
        "Gaat de klacht over een medewerker van de school? Schrijf dan hier de naam",
        validators=[Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens."), no_nul])
    pupil_name = StringField("Naam van de leerling", validators=[
        Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens."), no_nul])
    pupil_group = StringField("Groep", validators=[
        Optional(), Length(max=40, message="Gebruik hoogstens 40 tekens."), no_nul])
    what_happened = TextAreaField("Wat is er gebeurd?", validators=[
        DataRequired("Beschrijf wat er is gebeurd."),
        Length(max=TEXT_MAX, message=f"Gebruik hoogstens {TEXT_MAX} tekens."), no_nul])
    happened_when = StringField("Wanneer gebeurde het?", validators=[
        Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens."), no_nul],
        description="Bijvoorbeeld: vorige week dinsdag, of sinds de herfstvakantie.")
    tried_teacher = BooleanField("Ik heb er al met de leerkracht over gesproken")
    tried_directie = BooleanField("Ik heb er al met de directie over gesproken")
    tried_other = TextAreaField("Wat heeft u verder al geprobeerd?", validators=[
        Optional(), Length(max=TEXT_MAX, message=f"Gebruik hoogstens {TEXT_MAX} tekens."), no_nul])
    hoped_for = TextAreaField("Wat hoopt u dat er gebeurt?", validators=[
        Optional(), Length(max=TEXT_MAX, message=f"Gebruik hoogstens {TEXT_MAX} tekens."), no_nul])
    contact_name = StringField("Uw naam", validators=[
        Optional(), Length(max=200, message="Gebruik hoogstens 200 tekens."), no_nul])
    contact_email = EmailField("Uw e-mailadres", validators=[
        Optional(), Email("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        Length(max=254)],
        description="Wij sturen u een bevestiging met het referentienummer, nooit met uw code.")
    contact_phone = TelField("Uw telefoonnummer", validators=[
        Optional(), Regexp(r"^[0-9+()\- ]{6,20}$",
                           message="Vul een telefoonnummer in met alleen cijfers, spaties of +.")])
    # Honeypot: hidden from people (CSS class "hp", aria-hidden wrapper); bots fill it in.
    website = StringField("Laat dit veld leeg")
    # One-time token: a refreshed or double-clicked form does not make a second complaint.
    form_token = HiddenField()


class FollowForm(Form):
    reference = StringField("Referentie", validators=[
        DataRequired("Vul de referentie in, bijvoorbeeld KL-2026-0001."), Length(max=40), no_nul],
        description="Bijvoorbeeld KL-2026-0001.")
    code = StringField("Code", validators=[
        DataRequired("Vul uw code in."), Length(max=80), no_nul],
        description="De code van 24 tekens die u kreeg bij het indienen; met of zonder spaties.",
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"})


class AddInfoForm(Form):
    text = TextAreaField("Aanvulling of reactie", validators=[
        DataRequired("Schrijf eerst uw aanvulling."),
        Length(max=TEXT_MAX, message=f"Gebruik hoogstens {TEXT_MAX} tekens."), no_nul])
