"""Fictional demo content for the demo school: two meldcode files about demo pupils.

One stands at step 2 (the collegiale consultatie was held), so the intern begeleider and
the directie can take it further; the other went through all five steps to help with a
term that had the desired effect, and is closed. Names and events are invented.
"""

import datetime

from portal import api

from . import forms
from .models import Dossier
from .workflow import TYPE_NAME


class _DemoConcern(forms.ConcernForm):
    # The register's picker needs a request (the school of the page); the demo links the
    # pupil itself, in the same transaction.
    pupil_name = None


def _staff(role):
    user = api.User.get_or_none(api.User.email == f"{role}@klaverweide.demo")
    return api.acting_user(user) if user else None


def _days_ago(n):
    return (api.today() - datetime.timedelta(days=n)).isoformat()


def _start(school, pupil, by, data):
    form = api.posted(_DemoConcern, data)
    name = api.pupil_name(pupil)
    return api.start_case(
        school,
        TYPE_NAME,
        form,
        by,
        title=f"Zorg over de thuissituatie: {name}",
        values={"pupil_name": name},
        after=lambda case: api.link_pupil(case, pupil, by, "betrokken"),
    )


def add_demo(school):
    teacher, ib, af, director = (_staff(r) for r in ("leerkracht", "ib", "aandachtsfunctionaris", "directie"))
    first, second = api.demo_pupil(school, "Yara Kaya"), api.demo_pupil(school, "Levi Smit")
    if None in (teacher, ib, af, director, first, second):
        return

    # At step 2: the teacher's concern, discussed with the aandachtsfunctionaris.
    case = _start(
        school,
        first,
        teacher,
        {
            "signalled_on": _days_ago(9),
            "signals": "Yara komt de laatste twee weken vaak zonder ontbijt en in dezelfde kleren "
            "op school. Ze valt in de klas in slaap en schrikt als de deur hard dichtgaat.",
            "contra_signals": "Ze speelt in de pauze vrolijk met vriendinnen en haar huiswerk is af.",
            "source": "eigen_waarneming",
            "considerations": "Ik weet niet of er thuis iets veranderd is; ik wil dit bespreken.",
        },
    )
    api.run_transition(
        case,
        "meldcode.consultatie",
        af,
        {
            "held_on": _days_ago(6),
            "with_whom": "Hatice Demir, aandachtsfunctionaris",
            "summary": "De signalen passen bij verwaarlozing, maar kunnen ook een tijdelijke "
            "oorzaak hebben. Meer informatie nodig.",
            "decisions": "De intern begeleider nodigt de ouders en Yara uit voor een gesprek.",
        },
    )

    # Closed: five steps to help with a term, which had the desired effect.
    case = _start(
        school,
        second,
        teacher,
        {
            "signalled_on": _days_ago(120),
            "signals": "Levi heeft een blauwe plek op zijn arm en zegt dat hij thuis straf kreeg.",
            "contra_signals": "Hij vertelt er open over en zegt dat het een ongeluk was bij het spelen.",
            "source": "kind",
            "considerations": "Ik twijfel; de uitleg wisselt.",
        },
    )
    api.backdate(
        case, datetime.datetime.combine(api.today() - datetime.timedelta(days=120), datetime.time(9))
    )
    api.run_transition(
        case,
        "meldcode.consultatie",
        ib,
        {
            "held_on": _days_ago(118),
            "with_whom": "Marieke Postma, intern begeleider",
            "summary": "Zorgen over de opvoedsituatie; geen acuut gevaar gezien.",
            "decisions": "Veilig Thuis anoniem raadplegen en een gesprek met de ouders plannen.",
            "vt_consulted": "y",
            "vt_on": _days_ago(117),
            "vt_advice": "Ga in gesprek met de ouders en bied ondersteuning aan.",
        },
    )
    api.run_transition(
        case,
        "meldcode.gesprek",
        ib,
        {
            "held_on": _days_ago(112),
            "with_parents": "y",
            "with_child": "y",
            "summary": "De ouders vertellen over stress door werkloosheid en staan open voor hulp.",
            "outcome": "blijft",
        },
    )
    notes = {
        "q1": ("ja", "De signalen en het gesprek wijzen op een gespannen opvoedsituatie."),
        "q2": ("nee", "Geen acuut gevaar; geen structureel patroon gezien."),
        "q3": ("ja", "Het wijkteam kan opvoedondersteuning bieden."),
        "q4": ("ja", "De ouders willen de hulp."),
        "q5": ("ja", "Verwacht wordt dat de spanning thuis afneemt."),
    }
    weighing = {"weighed_on": _days_ago(110), "strong": "nee"}
    for key, (answer, note) in notes.items():
        weighing.update({key: answer, f"{key}_note": note})
    api.run_transition(case, "meldcode.wegen", ib, weighing)
    api.run_transition(
        case,
        "meldcode.bestuur",
        director,
        {
            "held_on": _days_ago(109),
            "with_whom": "Ingrid Verbeek, clusterdirecteur",
            "note": "Het bestuur steunt het organiseren van hulp met een termijn van drie maanden.",
        },
    )
    api.run_transition(
        case,
        "meldcode.hulp",
        director,
        {
            "help_agreements": "Opvoedondersteuning door het wijkteam, eens per week thuis.",
            "help_with": "De ouders, het wijkteam en de intern begeleider.",
            "help_term": (api.today() + datetime.timedelta(days=1)).isoformat(),
            "help_effect": "Rust thuis; Levi komt ontspannen op school.",
        },
    )
    # The term has passed in the story: the agreed date lies in the past.
    term = api.today() - datetime.timedelta(days=10)
    Dossier.update(help_term=term).where(Dossier.case == case.id).execute()
    api.add_deadline(case, "meldcode.effect", "Heeft de hulp het gewenste effect?", term)
    api.tick(case, "meldcode.afspraken", director, done_on=api.today() - datetime.timedelta(days=100))
    api.run_transition(
        case,
        "meldcode.effect_ja",
        ib,
        {"effect_on": _days_ago(8), "effect_note": "Levi is rustiger; de ouders ervaren de hulp als steun."},
    )
