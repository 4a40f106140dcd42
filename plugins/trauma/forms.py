"""Forms of the trauma plugin, all from the portal's forms kit (Dutch messages throughout)."""

from flask import g
from wtforms import FieldList
from wtforms import FormField

from portal import api

from .choices import KINDS
from .choices import SCOPES

# ------------------------------------------------------------------ report ----


def assessors(school=None):
    """The school's own staff who may make the first assessment (trauma.assess), by name."""
    school = school or g.get("school")
    if school is None:
        return []
    may = {u.id for u in api.users_with_permission(school, "trauma.assess")}
    return [u for u in api.staff_of(school) if u.id in may]


class ReportForm(api.Form):
    kind = api.RadioField("Wat is er gebeurd?", choices=KINDS, required="Kies wat er is gebeurd.")
    occurred_on = api.date_field(
        "Wanneer is het gebeurd?", "Vul de datum in (dd-mm-jjjj).", past=True, default=api.today
    )
    scope = api.RadioField(
        "Wie worden erdoor geraakt?", choices=SCOPES, required="Kies wie erdoor geraakt worden."
    )
    group_name = api.line("Groep(en)", 200, description="Bijvoorbeeld: groep 5b.")
    # A pupil of the register (its name is kept for the letters); more pupils are linked
    # on the case page. A group or the whole school is described, not picked.
    pupils = api.PupilField(
        "Om welke leerling gaat het?",
        description="Alleen als het om één of meer leerlingen gaat. Zoek op naam, leerlingnummer "
        "of groep; meer leerlingen koppelt u daarna op de zaakpagina.",
    )
    reported_by = api.line(
        "Van wie kwam de melding?",
        300,
        "Vul in van wie de melding kwam.",
        description="Bijvoorbeeld: de vader van een leerling, een collega, de politie.",
    )
    description = api.text("Wat weten we?", 10000, "Beschrijf kort wat er bekend is.")
    # Plan 3.2.1 stap 2: the group's teacher makes the first assessment. Someone who may not
    # make it (support staff) names the teacher, who gets the case.
    teacher = api.SelectField(
        "Leerkracht van de groep",
        choices=[("", "Kies de leerkracht")],
        default="",
        description="De leerkracht maakt de eerste inschatting en krijgt de melding toegewezen. "
        "U blijft de melding zien.",
    )

    def __init__(self, formdata=None, **kw):
        super().__init__(formdata, **kw)
        self.teacher.choices = [("", "Kies de leerkracht")] + [(str(u.id), u.name) for u in assessors()]

    def check(self):
        """The scope says which of the two is needed."""
        if self.scope.data == "groep" and not api.clean(self.group_name):
            return {"group_name": "Vul in om welke groep het gaat."}
        if self.scope.data == "leerlingen" and not self.pupils.data and not self.pupils.errors:
            return {"pupils": "Kies de leerling om wie het gaat."}
        return None


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
        required="Kies minstens één externe partner.",
        description="Staat de partner er niet bij? Voeg die toe bij Externe partners.",
    )
    contacted_on = api.date_field("Datum van het contact", "Vul de datum in (dd-mm-jjjj).", default=api.today)
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


ParentInfoForm = api.text_form(
    "Wat mogen de ouders van de groep weten?",
    name="parent_info",
    description="In overleg met de familie. Deze tekst komt op de plaats "
    "van {bericht} in de informatiebrief aan de ouders.",
)
