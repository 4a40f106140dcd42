"""Fictional demo content for the demo school: two serious incidents of the incident
register, each with the suspension case the directie started from it, about demo pupils of
the register (Daan Vos, whose chronology has cases of other plugins too, and Lotte Jansen).

One is fresh, so a director can take it through the whole route; the other already has the
board consultation recorded. Names are invented.
"""

import datetime

from portal import api

from .forms import SuspensionStartForm
from .workflow import INCIDENT
from .workflow import SUSPENSION

# Each: the incident as a teacher registered it in the incident register (plugin
# incidenten: by role, without names), and the suspension case the directie started from it.
INCIDENTS = [
    dict(
        days_ago=1,
        register=dict(
            occurred_time="10:20",
            place="plein",
            category="fysiek_geweld",
            what="Een leerling van groep 6 schopte en sloeg tijdens het speelkwartier twee "
            "klasgenoten en bleef dat doen nadat de pleinwacht hem had aangesproken.",
            involved_roles=["leerling", "personeel"],
            injury="licht",
            measure="Naar binnen gebracht en bij de directie opgevangen; de ouders hebben hem opgehaald.",
            parents_informed="ja",
            parents_informed_by="De directie",
        ),
        suspension=dict(
            pupil_name="Daan Vos",
            pupil_group="6b",
            category="storend_agressief_leerling",
            description="Daan schopte en sloeg tijdens het speelkwartier twee klasgenoten en "
            "bleef dat doen nadat de pleinwacht hem had aangesproken.",
            involved="Twee leerlingen uit groep 6b; pleinwacht (leerkracht groep 5).",
            immediate_action="Daan is naar binnen gebracht en bij de directie opgevangen; de "
            "ouders zijn gebeld en hebben hem opgehaald.",
        ),
    ),
    dict(
        days_ago=3,
        register=dict(
            occurred_time="13:05",
            place="gym",
            category="wapenbezit",
            what="In de tas van een leerling van groep 8 is een zakmes gevonden; een klasgenoot "
            "werd ermee bedreigd.",
            involved_roles=["leerling"],
            injury="geen",
            measure="Het mes is ingenomen en bewaard bij de directie; de ouders zijn gebeld.",
            parents_informed="ja",
            parents_informed_by="De directie",
        ),
        suspension=dict(
            pupil_name="Lotte Jansen",
            pupil_group="8a",
            category="wapens",
            description="In de tas van Lotte is een zakmes gevonden waarmee zij een klasgenoot "
            "bedreigde (gymzaal, kleedkamer).",
            involved="Een klasgenoot uit groep 8a; vakleerkracht gym.",
            immediate_action="Het mes is ingenomen en bewaard bij de directie; de ouders zijn gebeld.",
        ),
    ),
]


def _registered(school, teacher, occurred, row):
    """The incident in the register, through that plugin's own start form (None without the
    plugin incidenten: then there is no suspension to start either)."""
    try:
        register = api.case_type(INCIDENT)
    except KeyError:
        return None
    day = occurred.isoformat()
    data = {**row, "occurred_on": day, "parents_informed_on": day}
    form = api.posted(register.start.form, data, school=school)
    return api.start_case(school, INCIDENT, form, teacher)


def add_demo(school):
    reporter = api.User.get_or_none(api.User.email == "leerkracht@klaverweide.demo")
    director = api.User.get_or_none(api.User.email == "directie@klaverweide.demo")
    if reporter is None or director is None:
        return
    # The letters need the address for a bezwaarschrift (Awb art. 6:4).
    if not api.get_setting(school, "schorsing.bezwaar_adres"):
        api.set_setting(
            school,
            "schorsing.bezwaar_adres",
            f"{school.board_name or 'Het bevoegd gezag'}\nt.a.v. het College van Bestuur\n"
            "Postbus 60100\n1320 AC Almere",
        )
    cases = []
    for item in INCIDENTS:
        occurred = api.today() - datetime.timedelta(days=item["days_ago"])
        origin = _registered(school, api.acting_user(reporter), occurred, item["register"])
        if origin is None:
            return
        # Through the start form, as the directie would from the incident's page, choosing the
        # pupil of the register.
        data = dict(item["suspension"])
        data["pupil_name"] = str(api.demo_pupil(school, data["pupil_name"]).id)
        form = api.posted(SuspensionStartForm, data, school=school)
        cases.append(api.start_case(school, SUSPENSION, form, api.acting_user(director), origin=origin))
    # The second incident: the director already consulted the board.
    api.run_transition(
        cases[1],
        "schorsing.overleg",
        api.acting_user(director),
        {
            "held_on": api.today().isoformat(),
            "with_whom": "Ingrid Verbeek, clusterdirecteur",
            "outcome": "Het bestuur steunt een schorsing van enkele dagen.",
        },
    )
