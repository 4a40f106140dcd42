"""Forms of the organisatie plugin, all from the portal's forms kit (Dutch messages)."""

from flask import g

from portal import api

from . import register
from .choices import ANNOUNCED
from .choices import ROLES
from .choices import TRAINING_KINDS
from .choices import YES_NO

# Contact details of someone else: a browser must not fill in the user's own.
OFF = {"autocomplete": "off"}


def who_choices(school):
    """The register's people ("p<id>") and the school's staff with an account who are not in
    it yet ("u<id>"), by name: another school's person or account is no valid choice."""
    if school is None:
        return []
    people = register.people(school)
    linked = {p.user_id for p in people if p.user_id}
    choices = [(f"p{p.id}", p.name) for p in people]
    choices += [
        (f"u{u.id}", f"{u.name} (nog niet in het register)")
        for u in api.staff_of(school)
        if u.id not in linked
    ]
    return sorted(choices, key=lambda c: (c[1].lower(), c[0]))


def _past_or_today(form, field):
    if field.data is not None and field.data < api.today():
        raise api.ValidationError("Deze datum ligt in het verleden.")


# ------------------------------------------------------------------ register ----


class RoleForm(api.Form):
    role = api.SelectField(
        "Rol", choices=ROLES, required="Kies de rol.", choice_message="Kies een rol uit de lijst."
    )
    who = api.SelectField(
        "Wie",
        choices=[],
        default="",
        choice_message="Kies iemand uit de lijst.",
        description="Iemand uit het register of een collega met een account. Staat de persoon er niet "
        "bij, vul dan hieronder de naam in.",
    )
    name = api.line("Of: naam van iemand zonder account", 200, render_kw=OFF)
    organisation = api.line(
        "Organisatie",
        200,
        description="Bij iemand van buiten de school, zoals de externe vertrouwenspersoon.",
    )
    phone = api.phone_field("Telefoonnummer", render_kw=OFF)
    email = api.email_field(
        "E-mailadres",
        render_kw=OFF,
        description="Hoe ouders en collega's deze persoon bereiken. Bij iemand uit het register vervangt "
        "wat u invult de gegevens die er stonden.",
    )
    certified_on = api.date_field(
        "BHV-certificaat behaald op", None, past=True, description="Alleen bij een BHV'er."
    )
    certified_until = api.date_field("BHV-certificaat geldig tot", None, description="Alleen bij een BHV'er.")
    replace = api.BooleanField("Vervangt de huidige pestcoördinator")

    def __init__(self, formdata=None, **kw):
        super().__init__(formdata, **kw)
        self.who.choices = [("", "Kies iemand")] + who_choices(g.get("school"))

    def check(self):
        wrong = {}
        name = api.clean(self.name)
        if not self.who.data and not name and not self.name.errors:
            wrong["who"] = "Kies iemand uit de lijst of vul een naam in."
        elif self.who.data and name:
            wrong["name"] = "Kies iemand uit de lijst óf vul een naam in, niet allebei."
        if self.role.data != "bhv":
            self.certified_on.data = self.certified_until.data = None
        elif not (self.certified_on.errors or self.certified_until.errors):
            on, until = self.certified_on.data, self.certified_until.data
            if on and not until:
                wrong["certified_until"] = "Vul in tot wanneer het certificaat geldig is."
            elif until and not on:
                wrong["certified_on"] = "Vul in wanneer het certificaat is behaald."
            elif on and until and until <= on:
                wrong["certified_until"] = "Deze datum ligt niet na de datum van behalen."
        return wrong


class PersonForm(api.Form):
    name = api.line("Naam", 200, "Vul de naam in.", render_kw=OFF)
    organisation = api.line("Organisatie", 200, description="Bij iemand van buiten de school.")
    phone = api.phone_field("Telefoonnummer", render_kw=OFF)
    email = api.email_field(
        "E-mailadres",
        render_kw=OFF,
        description="Bij de contactpersoon, de pestcoördinator en de vertrouwenspersoon staan telefoon en "
        "e-mail op de pagina voor ouders.",
    )


class CopyYearForm(api.Form):
    year = api.IntegerField("Schooljaar", validators=[api.InputRequired(), api.NumberRange(2000, 2100)])


class TrainingForm(api.Form):
    who = api.SelectField(
        "Medewerker", choices=[], required="Kies de medewerker.", choice_message="Kies iemand uit de lijst."
    )
    kind = api.SelectField("Soort", choices=TRAINING_KINDS, required="Kies de soort scholing.")
    course = api.line(
        "Cursus",
        200,
        "Vul de naam van de cursus in.",
        description="Bijvoorbeeld: Herhaling BHV, of Omgaan met macht en onmacht op de werkvloer.",
    )
    provider = api.line("Aanbieder", 200, default="ASG Academie")
    completed_on = api.date_field("Gevolgd op", past=True)
    expires_on = api.date_field(
        "Geldig tot", None, description="Bij een certificaat dat verloopt, zoals BHV (meestal een jaar)."
    )

    def __init__(self, formdata=None, **kw):
        super().__init__(formdata, **kw)
        self.who.choices = [("", "Kies iemand")] + who_choices(g.get("school"))

    def check(self):
        done, until = self.completed_on.data, self.expires_on.data
        if self.expires_on.errors or self.completed_on.errors:
            return None
        if self.kind.data == "bhv" and until is None:
            return {"expires_on": "Een BHV-certificaat is geldig tot een datum: vul die in."}
        if until is not None and done is not None and until <= done:
            return {"expires_on": "Deze datum ligt niet na de datum van de cursus."}
        return None


# --------------------------------------------------------------- evaluation ----


class EvaluationPlanForm(api.Form):
    planned_on = api.date_field("Datum van het evaluatiemoment")


class MinutesForm(api.Form):
    held_on = api.date_field("Gehouden op", past=True)
    attendees = api.text("Wie waren er?", 2000, "Vul in wie er waren.")
    minutes = api.text("Verslag", 20000, "Vul het verslag in.", description="Noem geen namen van leerlingen.")
    decisions = api.text(
        "Besluiten", 10000, description="Acties legt u hierna vast, elk met een eigenaar en een datum."
    )


class ActionForm(api.Form):
    description = api.text("Actie", 2000, "Beschrijf de actie.")
    owner = api.line("Wie is eigenaar?", 200, "Vul in wie de actie uitvoert.", render_kw=OFF)
    due_on = api.DateField(
        "Uiterlijk klaar op",
        validators=[api.InputRequired("Vul de datum in (dd-mm-jjjj)."), _past_or_today],
    )


class ActionDoneForm(api.Form):
    done_on = api.date_field("Klaar op", past=True, default=api.today)


# -------------------------------------------------------------------- drills ----


class DrillPlanForm(api.Form):
    planned_on = api.date_field("Datum van de oefening")
    scenario = api.line(
        "Scenario",
        300,
        "Beschrijf het scenario.",
        description="Bijvoorbeeld: brand in de gymzaal, de hoofduitgang is niet te gebruiken.",
    )
    announced = api.RadioField(
        "Aangekondigd of niet?", choices=ANNOUNCED, required="Kies of de oefening wordt aangekondigd."
    )
    notes = api.text("Toelichting", 2000, default="")


class DrillDateForm(api.Form):
    planned_on = api.date_field("Nieuwe datum van de oefening")


class DrillHeldForm(api.Form):
    held_on = api.date_field("Gehouden op", past=True)
    minutes = api.IntegerField(
        "Tijd tot iedereen buiten was: minuten",
        validators=[
            api.InputRequired("Vul het aantal minuten in."),
            api.NumberRange(0, 120, "Vul 0 tot 120 minuten in."),
        ],
    )
    seconds = api.IntegerField(
        "en seconden",
        default=0,
        validators=[api.Optional(), api.NumberRange(0, 59, "Vul 0 tot 59 seconden in.")],
    )
    headcount = api.RadioField(
        "Klopte de telling op de verzamelplaats?",
        choices=YES_NO,
        required="Kies of de telling klopte.",
    )
    headcount_note = api.text("Wat klopte er niet aan de telling?", 2000, default="")
    problems = api.text(
        "Problemen tijdens de oefening",
        5000,
        default="",
        description="Bijvoorbeeld: het alarm was niet te horen in groep 3.",
    )

    def check(self):
        wrong = {}
        if self.headcount.data == "ja":
            self.headcount_note.data = ""  # nothing to explain
        elif self.headcount.data == "nee" and not api.clean(self.headcount_note):
            wrong["headcount_note"] = "Beschrijf wat er niet klopte."
        if (
            not (self.minutes.errors or self.seconds.errors)
            and (self.minutes.data or 0) + (self.seconds.data or 0) == 0
        ):
            wrong["minutes"] = "Vul in hoe lang het ontruimen duurde."
        return wrong

    @property
    def total_seconds(self):
        return (self.minutes.data or 0) * 60 + (self.seconds.data or 0)


class DrillEvaluateForm(api.Form):
    evaluation = api.text("Evaluatie: wat ging goed, wat kan beter?", 10000, "Vul de evaluatie in.")
    plan_revised = api.BooleanField("Het ontruimingsplan is bijgesteld")
    plan_version = api.line(
        "Versie van het bijgestelde ontruimingsplan", 40, description="Bijvoorbeeld: 2026-2."
    )
    plan_revised_on = api.date_field("Datum van het bijgestelde ontruimingsplan", None, past=True)
    staff_informed_on = api.date_field(
        "Medewerkers geïnformeerd op",
        None,
        past=True,
        description="De BHV'ers zorgen dat de medewerkers de (aangepaste) procedures kennen.",
    )

    def check(self):
        # Safety plan 3.5.2: the plan is revised after the drill where needed, and the BHV'ers
        # see to it that the staff know the revised procedures: a revised plan needs its
        # version, its date and the day the staff were told.
        if not self.plan_revised.data:
            self.plan_version.data, self.plan_revised_on.data = "", None
            return None
        wrong = {}
        if not api.clean(self.plan_version):
            wrong["plan_version"] = "Vul de versie van het bijgestelde plan in."
        if self.plan_revised_on.data is None and not self.plan_revised_on.errors:
            wrong["plan_revised_on"] = "Vul de datum van het bijgestelde plan in."
        if self.staff_informed_on.data is None and not self.staff_informed_on.errors:
            wrong["staff_informed_on"] = (
                "Vul in wanneer de medewerkers over het bijgestelde plan zijn geïnformeerd."
            )
        return wrong


class CancelForm(api.Form):
    cancel_reason = api.text("Waarom gaat de oefening niet door?", 2000, "Vul de reden in.")
