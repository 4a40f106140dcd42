"""The forms of the duty route: the report (the start) and one form per step. Each step is
answered with a date and what it brought, or explicitly with "nee" and the reason: the route
closes only when every step has one of the two (WPO art. 4a)."""

from flask import g

from portal import api

from .choices import YES_NO

DATE = "Vul een geldige datum in (dd-mm-jjjj)."


class ReportForm(api.Form):
    """A staff member (or the complaint route) reports a possible sexual offence."""

    person_name = api.line(
        "Naam van de betrokken persoon", 200, "Vul de naam in van de persoon om wie het gaat."
    )
    person_function = api.line(
        "Functie of rol op school",
        200,
        "Vul de functie of rol in, bijvoorbeeld overblijfouder, stagiair of leerkracht.",
        description="Ook iemand zonder account: een vrijwilliger, overblijfouder, stagiair of invaller.",
    )
    person_account = api.SelectField(
        "Heeft deze persoon een account in het portaal?",
        choices=[("", "Nee, of weet ik niet")],
        default="",
        description="Kies het account: die persoon ziet deze melding dan nergens.",
    )
    pupil = api.PupilField(
        "Om welke leerling gaat het? (niet verplicht)",
        role="slachtoffer",
        description="Zoek op naam, leerlingnummer of groep.",
    )
    what = api.text(
        "Wat is er gemeld of gezien?",
        10000,
        "Beschrijf wat er is gemeld of gezien, zo feitelijk mogelijk.",
        description="Schrijf op wat u weet, met datum en van wie het komt. U hoeft niets uit te zoeken.",
    )

    def __init__(self, formdata=None, **kw):
        super().__init__(formdata, **kw)
        school = g.get("school")
        staff = api.staff_of(school) if school is not None else []
        self.person_account.choices = [("", "Nee, of weet ik niet")] + [(str(u.id), u.name) for u in staff]


def _yes_no(label, message):
    return api.RadioField(label, choices=YES_NO, required=message)


def _answered(form, answer, on, detail, reason, on_message, detail_message, reason_message):
    """A step answered "ja" needs its date (and ``detail`` when given); "nee" needs a reason."""
    marked = {}
    if answer.data == "ja":
        if on.data is None and not on.errors:
            marked[on.name] = on_message
        if detail is not None and not api.clean(detail):
            marked[detail.name] = detail_message
        reason.data = ""
    elif answer.data == "nee":
        if not api.clean(reason):
            marked[reason.name] = reason_message
        on.data = None
        if detail is not None:
            detail.data = ""
    return marked or None


class ConsultForm(api.Form):
    consulted = _yes_no(
        "Is de vertrouwensinspecteur geraadpleegd?", "Kies of de vertrouwensinspecteur is geraadpleegd."
    )
    consulted_on = api.date_field("Datum van het overleg", None, past=True)
    consult_advice = api.text("Advies van de vertrouwensinspecteur", 10000)
    consult_reason = api.text("Zo nee: waarom niet?", 5000)

    def check(self):
        return _answered(
            self,
            self.consulted,
            self.consulted_on,
            self.consult_advice,
            self.consult_reason,
            "Vul de datum van het overleg in.",
            "Vul het advies van de vertrouwensinspecteur in.",
            "Schrijf op waarom de vertrouwensinspecteur niet is geraadpleegd.",
        )


class DecisionForm(api.Form):
    decided_on = api.date_field("Datum van het besluit", DATE, past=True)
    decision_reason = api.text(
        "Motivering van het besluit", 10000, "Schrijf de motivering van het besluit op."
    )


class InformForm(api.Form):
    informed = _yes_no("Vooraf geïnformeerd?", "Kies of er vooraf is geïnformeerd.")
    informed_on = api.date_field("Datum", None, past=True)
    informed_reason = api.text("Zo nee: waarom niet?", 5000)

    def check(self):
        return _answered(
            self,
            self.informed,
            self.informed_on,
            None,
            self.informed_reason,
            "Vul de datum in waarop is geïnformeerd.",
            "",
            "Schrijf op waarom niet vooraf is geïnformeerd.",
        )


class AangifteForm(api.Form):
    aangifte = _yes_no("Is er aangifte gedaan?", "Kies of er aangifte is gedaan.")
    aangifte_on = api.date_field("Datum van de aangifte", None, past=True)
    police_reference = api.line("Kenmerk of proces-verbaalnummer van de politie", 100)
    aangifte_reason = api.text("Zo nee: waarom niet?", 5000)

    def check(self):
        return _answered(
            self,
            self.aangifte,
            self.aangifte_on,
            self.police_reference,
            self.aangifte_reason,
            "Vul de datum van de aangifte in.",
            "Vul het kenmerk van de politie in.",
            "Schrijf op waarom er geen aangifte is gedaan.",
        )


class BoardForm(api.Form):
    board_informed_on = api.date_field("Datum waarop het bestuur is geïnformeerd", DATE, past=True)


CloseForm = api.text_form(
    "Samenvatting bij het afsluiten", "Schrijf een korte samenvatting.", name="closing_summary"
)
