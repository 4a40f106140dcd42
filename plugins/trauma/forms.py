"""Forms of the trauma plugin, all from the portal's forms kit (Dutch messages throughout)."""

from flask import g
from wtforms import FieldList
from wtforms import FormField

from portal import api

from .choices import KINDS
from .choices import SCOPES

# ------------------------------------------------------------------ report ----


class ReportForm(api.Form):
    kind = api.RadioField(
        "Wat is er gebeurd?", choices=KINDS, validators=[api.InputRequired("Kies wat er is gebeurd.")]
    )
    occurred_on = api.DateField(
        "Wanneer is het gebeurd?",
        default=api.today,
        validators=[api.InputRequired("Vul de datum in (dd-mm-jjjj)."), api.not_in_future],
    )
    scope = api.RadioField(
        "Wie worden erdoor geraakt?",
        choices=SCOPES,
        validators=[api.InputRequired("Kies wie erdoor geraakt worden.")],
    )
    # No Optional() on these two: it would stop the chain before the inline validators
    # below, which make each one required for its scope. default="": left out of a post,
    # they are empty text for the case's title and its detail row, not None.
    group_name = api.StringField(
        "Groep(en)",
        validators=[api.Length(max=200), api.no_nul, api.one_line],
        default="",
        description="Bijvoorbeeld: groep 5b.",
    )
    pupils = api.TextAreaField(
        "Welke leerlingen?",
        validators=[api.Length(max=2000), api.no_nul],
        default="",
        description="Alleen invullen als het om één of meer leerlingen gaat.",
    )
    reported_by = api.line(
        "Van wie kwam de melding?",
        300,
        "Vul in van wie de melding kwam.",
        description="Bijvoorbeeld: de vader van een leerling, een collega, de politie.",
    )
    description = api.text("Wat weten we?", 10000, "Beschrijf kort wat er bekend is.")

    def validate_group_name(self, field):
        if self.scope.data == "groep" and not api.clean(field):
            raise api.ValidationError("Vul in om welke groep het gaat.")

    def validate_pupils(self, field):
        if self.scope.data == "leerlingen" and not api.clean(field):
            raise api.ValidationError("Vul in om welke leerlingen het gaat.")


# --------------------------------------------------------------- workflow ----


class SchoolHandlesForm(api.Form):
    """First assessment, answer "yes": the school goes on with its own step plan."""

    ib_involved = api.BooleanField("De intern begeleider is betrokken")
    motivation = api.text(
        "Waarom kan de school dit zelf aan?", 5000, "Schrijf kort op waarom de school dit zelf aankan."
    )


class ExternalHelpForm(api.Form):
    """First assessment, answer "no" (or later): engage one or more external partners."""

    partners = api.MultiCheckboxField(
        "Welke externe partner(s) schakelt de school in?",
        coerce=int,
        validators=[api.DataRequired("Kies minstens één externe partner.")],
        description="Staat de partner er niet bij? Voeg die toe bij Externe partners.",
    )
    contacted_on = api.DateField(
        "Datum van het contact",
        default=api.today,
        validators=[api.InputRequired("Vul de datum in (dd-mm-jjjj).")],
    )
    agreement = api.text("Wat is er afgesproken?", 5000, "Schrijf op wat er is afgesproken.")
    # Not "ib_involved": both assessment forms are on one page and ids must differ.
    ib_consulted = api.BooleanField("Besproken met de intern begeleider en de directie")

    def __init__(self, formdata=None, **kw):
        super().__init__(formdata, **kw)
        # The choices are the partners of the school in the URL (the core's list): another
        # school's partner id is not a valid choice.
        self.partners.choices = api.partner_choices(g.get("school"))


class CloseForm(api.Form):
    went_well = api.text("Evaluatie: wat ging goed?", 5000, "Vul in wat goed ging.")
    to_improve = api.text("Evaluatie: wat kan beter?", 5000, "Vul in wat beter kan.")


# ------------------------------------------------------------- school pages ----


class StepForm(api.Form):
    key = api.HiddenField()
    label = api.line("Stap", 300)
    due_days = api.IntegerField(
        "Uiterlijk na (dagen)",
        validators=[api.Optional(), api.NumberRange(0, 730, "Vul een aantal dagen in tussen 0 en 730.")],
    )
    required = api.BooleanField("Verplicht voor afsluiten")
    remove = api.BooleanField("Verwijderen")


class PlanForm(api.Form):
    steps = FieldList(FormField(StepForm), min_entries=0, max_entries=60)
    letter = api.text("Tekst van de informatiebrief aan de ouders", 20000, "Vul de tekst van de brief in.")


class ParentInfoForm(api.Form):
    parent_info = api.text(
        "Wat mogen de ouders van de groep weten?",
        5000,
        description="In overleg met de familie. Deze tekst komt op de plaats "
        "van {bericht} in de informatiebrief aan de ouders.",
    )
