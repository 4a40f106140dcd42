"""Fictional demo content for the demo school: two serious incidents, about demo pupils of
the register (Daan Vos, whose chronology has cases of other plugins too, and Lotte Jansen).

One is freshly reported, so a director can take it through the whole route;
the other already has the board consultation recorded. Names are invented.
"""

import datetime

from portal import api

from .forms import IncidentForm
from .workflow import SUSPENSION

INCIDENTS = [
    dict(
        pupil_name="Daan Vos",
        pupil_group="6b",
        days_ago=1,
        occurred_time="10:20",
        place="Schoolplein",
        category="storend_agressief_leerling",
        description="Daan schopte en sloeg tijdens het speelkwartier twee klasgenoten en "
        "bleef dat doen nadat de pleinwacht hem had aangesproken.",
        involved="Twee leerlingen uit groep 6b; pleinwacht (leerkracht groep 5).",
        immediate_action="Daan is naar binnen gebracht en bij de directie opgevangen; de "
        "ouders zijn gebeld en hebben hem opgehaald.",
    ),
    dict(
        pupil_name="Lotte Jansen",
        pupil_group="8a",
        days_ago=3,
        occurred_time="13:05",
        place="Gymzaal, kleedkamer",
        category="wapens",
        description="In de tas van Lotte is een zakmes gevonden waarmee zij een klasgenoot bedreigde.",
        involved="Een klasgenoot uit groep 8a; vakleerkracht gym.",
        immediate_action="Het mes is ingenomen en bewaard bij de directie; de ouders zijn gebeld.",
    ),
]


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
        item = dict(item)
        occurred = api.today() - datetime.timedelta(days=item.pop("days_ago"))
        # Through the start form, as the teacher would, choosing the pupil of the register.
        pupil = api.demo_pupil(school, item["pupil_name"])
        data = {**item, "pupil_name": str(pupil.id), "occurred_on": occurred.isoformat()}
        form = api.posted(IncidentForm, data, school=school)
        cases.append(api.start_case(school, SUSPENSION, form, api.acting_user(reporter)))
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
