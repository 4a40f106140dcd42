"""Fictional demo content for De Klaverweide: a realistic school year of incidents (about
forty, across the OCW categories, places and months), a staff accident reported to the
Arbeidsinspectie, two physical interventions (one evaluated), a data breach and a
toegangsverbod at the intention. Every name and event is invented."""

import datetime

from portal import api

from . import forms
from . import workflow as wf


class _DemoIncident(forms.IncidentForm):
    # The register's picker needs a request; the demo's incidents name no pupil.
    pupil = None


class _DemoIntervention(forms.InterventionForm):
    pupil_name = None


class _DemoBan(forms.BanForm):
    pupil = None


def _staff(role):
    user = api.User.get_or_none(api.User.email == f"{role}@klaverweide.demo")
    return api.acting_user(user) if user else None


# (days ago, place, category, what, involved, extra): a year of a primary school of 300
# pupils. The descriptions carry no names: the registration is a statistical record.
INCIDENTS = (
    (
        350,
        "plein",
        "fysiek_geweld",
        "Twee leerlingen van groep 7 vochten bij het voetbalveld; een bloedneus.",
        "leerling",
        {"injury": "licht"},
    ),
    (
        341,
        "lokaal",
        "pesten",
        "Een leerling werd door klasgenoten structureel genegeerd en beledigd.",
        "leerling",
        {},
    ),
    (
        335,
        "gym",
        "ongeval",
        "Leerling viel van het wandrek en bezeerde de pols.",
        "leerling",
        {"victim": "leerling", "injury": "arts"},
    ),
    (328, "online", "pesten", "Kwetsende berichten in de klassenapp van groep 8.", "leerling", {}),
    (320, "toiletten", "vandalisme", "Kapotgetrokken toiletrolhouders en beklad tegelwerk.", "leerling", {}),
    (
        313,
        "plein",
        "bedreiging",
        "Een ouder dreigde een leerkracht bij het hek na een conflict over een straf.",
        "ouder,personeel",
        {},
    ),
    (
        306,
        "lokaal",
        "discriminatie",
        "Een leerling werd beledigd om zijn afkomst.",
        "leerling",
        {"discrimination_ground": "herkomst"},
    ),
    (
        300,
        "buiten",
        "ongeval",
        "Leerling viel tijdens de schoolreis van een klimtoestel; gips aan de arm.",
        "leerling",
        {"victim": "leerling", "injury": "arts"},
    ),
    (
        292,
        "plein",
        "fysiek_geweld",
        "Een leerling schopte een andere leerling; schaafwond aan het been.",
        "leerling",
        {"injury": "licht"},
    ),
    (285, "lokaal", "vandalisme", "Telefoon van een leerkracht uit de tas gestolen.", "personeel,derde", {}),
    (
        279,
        "gym",
        "ongeval",
        "Medewerker gleed uit op de natte vloer van de kleedkamer; drie weken verzuim.",
        "personeel",
        {"victim": "personeel", "injury": "arts", "absence_days": 14},
    ),
    (
        270,
        "online",
        "bedreiging",
        "Dreigende berichten aan een leerling via een game-chat.",
        "leerling,derde",
        {},
    ),
    (262, "plein", "wapenbezit", "Een leerling had een zakmes bij zich in de jaszak.", "leerling", {}),
    (255, "lokaal", "anders", "Brandalarm door een leerling ingedrukt zonder reden.", "leerling", {}),
    (247, "toiletten", "pesten", "Leerlingen filmden een klasgenoot in de toiletten.", "leerling", {}),
    (
        240,
        "plein",
        "ongeval",
        "Leerling botste met een ander tijdens tikkertje; hoofdwond gelijmd.",
        "leerling",
        {"victim": "leerling", "injury": "arts"},
    ),
    (
        233,
        "lokaal",
        "fysiek_geweld",
        "Leerling gooide een stoel; een klasgenoot raakte licht gewond.",
        "leerling",
        {"injury": "licht"},
    ),
    (226, "buiten", "drugs", "Leerlingen van groep 8 met een vape achter de school.", "leerling", {}),
    (
        219,
        "lokaal",
        "discriminatie",
        "Opmerkingen over het geloof van een leerling tijdens een kringgesprek.",
        "leerling",
        {"discrimination_ground": "godsdienst"},
    ),
    (
        212,
        "gym",
        "ongeval",
        "Leerling verstuikte de enkel bij het hoogspringen.",
        "leerling",
        {"victim": "leerling", "injury": "licht"},
    ),
    (
        205,
        "plein",
        "bedreiging",
        "Een derde sprak kinderen aan bij het hek; politie gebeld.",
        "derde,leerling",
        {},
    ),
    (
        198,
        "online",
        "seksueel",
        "Een leerling kreeg ongewenste seksueel getinte berichten van een onbekende.",
        "leerling,derde",
        {},
    ),
    (190, "lokaal", "pesten", "Herhaald beledigen en afpakken van spullen in groep 6.", "leerling", {}),
    (183, "toiletten", "vandalisme", "Wastafel van de muur getrokken.", "leerling", {}),
    (
        176,
        "plein",
        "fysiek_geweld",
        "Vechtpartij na het buitenspelen; een gescheurde lip.",
        "leerling",
        {"injury": "licht"},
    ),
    (
        169,
        "lokaal",
        "ongeval",
        "Medewerker sneed zich bij het knutselen; gehecht bij de huisarts.",
        "personeel",
        {"victim": "personeel", "injury": "arts", "absence_days": 0},
    ),
    (
        162,
        "plein",
        "wapengeweld",
        "Een leerling dreigde met een stok en sloeg een klasgenoot op de arm.",
        "leerling",
        {"injury": "licht"},
    ),
    (
        150,
        "online",
        "discriminatie",
        "Een leerling werd online bespot om haar handicap.",
        "leerling",
        {"discrimination_ground": "handicap"},
    ),
    (
        141,
        "gym",
        "fysiek_geweld",
        "Duw tijdens een spel; leerling viel tegen de bank.",
        "leerling",
        {"injury": "licht"},
    ),
    (132, "lokaal", "bedreiging", "Een leerling dreigde een leerkracht te slaan.", "leerling,personeel", {}),
    (120, "buiten", "vandalisme", "Fietsbanden lek gestoken bij het fietsenhok.", "derde", {}),
    (
        108,
        "plein",
        "ongeval",
        "Leerling viel van de glijbaan; ziekenhuis ter controle, geen opname.",
        "leerling",
        {"victim": "leerling", "injury": "arts"},
    ),
    (96, "lokaal", "anders", "Een leerling liep weg van school; na een half uur gevonden.", "leerling", {}),
    (84, "online", "pesten", "Een nepaccount met foto's van een leerling.", "leerling", {}),
    (
        71,
        "plein",
        "fysiek_geweld",
        "Twee leerlingen sloegen elkaar; een blauw oog.",
        "leerling",
        {"injury": "licht"},
    ),
    (
        58,
        "toiletten",
        "drugs",
        "Resten van een joint gevonden in de toiletten van de bovenbouw.",
        "derde",
        {},
    ),
    (44, "lokaal", "pesten", "Uitsluiten bij het groepswerk; de groep is gesproken.", "leerling", {}),
    (
        30,
        "gym",
        "ongeval",
        "Medewerker viel van een trap bij het opruimen van toestellen; opgenomen in het ziekenhuis.",
        "personeel",
        {"victim": "personeel", "injury": "ziekenhuis", "absence_days": 20},
    ),
    (
        16,
        "plein",
        "bedreiging",
        "Een ouder schreeuwde en dreigde tegen de conciërge bij het hek.",
        "ouder,personeel",
        {},
    ),
    (
        5,
        "lokaal",
        "fysiek_geweld",
        "Een leerling sloeg een klasgenoot met een liniaal; rode plek.",
        "leerling",
        {"injury": "licht"},
    ),
    (
        2,
        "plein",
        "ongeval",
        "Leerling struikelde over een losse stoeptegel; schaafwonden.",
        "leerling",
        {"victim": "leerling", "injury": "licht"},
    ),
)


def _at(days_ago, hour=10):
    day = api.today() - datetime.timedelta(days=days_ago)
    return day, api.to_utc(datetime.datetime.combine(day, datetime.time(hour, 15)))


def _incident(school, by, director, row, open_):
    days_ago, place, category, what, involved, extra = row
    day, moment = _at(days_ago)
    data = {
        "occurred_on": day.isoformat(),
        "occurred_time": "10:15",
        "place": place,
        "category": category,
        "what": what,
        "involved_roles": involved.split(","),
        "injury": extra.get("injury", "geen"),
        "victim": extra.get("victim", ""),
        "discrimination_ground": extra.get("discrimination_ground", ""),
        "measure": "Gesprek met de betrokkenen; afspraken vastgelegd.",
        "parents_informed": "ja" if "leerling" in involved else "nvt",
    }
    if "absence_days" in extra:
        data["absence_days"] = str(extra["absence_days"])
    if data["parents_informed"] == "ja":
        data["parents_informed_on"] = day.isoformat()
        data["parents_informed_by"] = "De groepsleerkracht"
    form = api.posted(_DemoIncident, data)
    case = api.start_case(school, wf.INCIDENT, form, by)
    api.backdate(case, moment)
    detail = api.detail_of(case)
    if detail.ai_required:
        api.run_transition(
            case,
            "incidenten.arbeidsinspectie_gemeld",
            director,
            {"ai_reported_on": day.isoformat(), "ai_reference": "NLA-2026-0042817"},
        )
    if not open_:
        api.run_transition(
            case, "incidenten.afhandelen", director, {"closing_note": "Afgehandeld met de betrokkenen."}
        )
        api.backdate(case, moment, moment + datetime.timedelta(days=1), deadlines=False)


def add_demo(school):
    teacher, ib, director = (_staff(r) for r in ("leerkracht", "ib", "directie"))
    if None in (teacher, ib, director):
        return
    for row in INCIDENTS:
        _incident(school, teacher, director, row, open_=row[0] < 20)

    pupil = api.demo_pupil(school, "Levi Smit")
    if pupil is not None:
        for days_ago, evaluated in ((40, True), (1, False)):
            day, moment = _at(days_ago, 11)
            form = api.posted(
                _DemoIntervention,
                {
                    "occurred_on": day.isoformat(),
                    "occurred_time": "11:20",
                    "intervened_by": "Sanne de Vries (leerkracht)",
                    "preceded": "Een conflict bij het buitenspelen liep uit; de leerling rende met een stoel "
                    "op een klasgenoot af.",
                    "alternatives": "Rustig aangesproken, de klas naar de gang gestuurd, een time-out "
                    "aangeboden: de leerling reageerde niet en bleef gooien.",
                    "ground": "gevaar",
                    "duration_minutes": "3",
                    "injuries": "",
                    "parents_informed": "ja",
                    "parents_informed_time": "15:30",
                },
            )
            name = api.pupil_name(pupil)
            case = api.start_case(
                school,
                wf.INTERVENTION,
                form,
                teacher,
                title=f"Fysiek ingrijpen: {name}",
                values={"pupil_name": name},
                after=lambda case: api.link_pupil(case, pupil, teacher, "betrokken"),
            )
            api.backdate(case, moment)
            if evaluated:
                api.run_transition(
                    case,
                    "incidenten.evalueren",
                    ib,
                    {
                        "evaluated_on": (day + datetime.timedelta(days=2)).isoformat(),
                        "evaluated_with": "Leerkracht, intern begeleider en directie",
                        "verdict": "ja",
                        "lessons": "Eerder de klas laten uitwijken; een time-outplek in de gang inrichten.",
                    },
                )

    day, moment = _at(60, 9)
    breach = api.start_case(
        school,
        wf.BREACH,
        api.posted(
            forms.BreachForm,
            {
                "discovered_on": day.isoformat(),
                "discovered_time": "09:10",
                "what": "Een mail met het rapport van een leerling ging naar de verkeerde ouder.",
                "data_kinds": "Naam, groep en rapportcijfers van één leerling.",
                "affected_count": "1",
            },
        ),
        teacher,
    )
    api.backdate(breach, moment)
    api.run_transition(
        breach,
        "incidenten.fg",
        director,
        {"fg_informed_on": day.isoformat(), "fg_name": "Mr. P. Verhoef (FG)"},
    )
    api.run_transition(
        breach,
        "incidenten.datalek_besluit",
        director,
        {
            "report_ap": "nee",
            "ap_reason": "Eén leerling, geen gevoelige gegevens; de ontvanger heeft de mail verwijderd.",
            "inform_affected": "ja",
            "affected_reason": "De ouders van de leerling zijn gebeld en per mail geïnformeerd.",
        },
    )

    day, moment = _at(12, 15)
    ban = api.start_case(
        school,
        wf.BAN,
        api.posted(
            _DemoBan,
            {
                "parent_name": "J. Bakker",
                "parent_address": "Lindelaan 12\n1234 AB Almere",
                "occurred_on": day.isoformat(),
                "what": "De ouder schreeuwde en dreigde tegen de conciërge bij het hek en duwde hem opzij.",
                "police": "y",
                "police_note": "Wijkagent ingelicht; geen aangifte.",
            },
        ),
        director,
    )
    api.backdate(ban, moment)
    api.run_transition(
        ban,
        "incidenten.tv_gesprek",
        director,
        {
            "talk_on": (day + datetime.timedelta(days=2)).isoformat(),
            "talk_summary": "Het gesprek liep opnieuw uit de hand.",
        },
    )
    api.run_transition(
        ban,
        "incidenten.tv_voornemen",
        director,
        {
            "intention_on": (day + datetime.timedelta(days=5)).isoformat(),
            "intention_reasons": "Herhaald dreigend gedrag tegen medewerkers, ook na een gesprek.",
            "view_until": (api.today() + datetime.timedelta(days=7)).isoformat(),
        },
    )
