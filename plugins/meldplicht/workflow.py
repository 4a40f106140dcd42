"""The duty route for a possible sexual offence (WPO art. 4a) as a case type.

gemeld (the bestuur informed by mail at once) → overlegd (the vertrouwensinspecteur
consulted, or why not) → vermoeden or geen_vermoeden (the decision on a "redelijk
vermoeden") → aangifte (the police report, the parents and the person concerned informed
beforehand) → afgesloten. Closing is refused until each step is recorded, or answered "nee"
with the reason.

Who sees it: the bestuur and the directie, also when the case is confidential
(``confidential_roles``), whoever handles the case it followed from; the reporter keeps
sight of their report (``starter_sees``); the person concerned, when they have an account,
is shut out. No one can make it confidential from the bestuur: the bestuur is one of the
confidential roles, and the plugin has no page that shares or hides it.
"""

from portal import api

from . import forms
from .choices import BOARD
from .choices import FOLLOWS
from .choices import HANDLE
from .choices import OPEN_STATES
from .choices import START
from .choices import TYPE_NAME
from .choices import VIEW
from .details import summary_context
from .models import Melding

LAW = "WPO art. 4a"

# --------------------------------------------------------------- the start ----


def _values(form, user):
    """Who reported it and when (the case's creation) is on the row and the timeline."""
    return {"reported_by": user.name if user is not None else "Onbekend"}


def prefill(origin):
    if origin is None:
        return {}
    return {"what": f"Naar aanleiding van {origin.reference} ({origin.title})."}


def exclude_person(case, person, by):
    """The person concerned never sees the report (not in lists, counts, mail)."""
    api.exclude(
        case,
        person,
        by,
        f"{person.name} is gekoppeld als betrokken persoon en is uitgesloten: ziet deze melding nergens.",
    )


def inform_board(case, detail):
    """WPO art. 4a lid 1: the bevoegd gezag hears of it at once. A mail without details to
    the bestuur (and the directie, who handle it with them), the date on the route. Without
    any bestuur address the date stays open and the route asks for it before closing."""
    shut_out = {p.id for p in api.excluded(case)}
    board = [p for p in api.users_with_permission(case.school, BOARD) if p.id not in shut_out and p.email]
    others = [p for p in api.users_with_permission(case.school, HANDLE) if p.id not in shut_out and p.email]
    subject = f"Meldplicht zedendelict: melding {case.reference} bij {case.school.name}"
    body = (
        f"Bij {case.school.name} is een mogelijk zedendelict gemeld door iemand die op school werkt "
        f"({case.reference}). Het bestuur moet direct worden geïnformeerd en overlegt met de "
        f"vertrouwensinspecteur ({LAW}, wettelijke meld- en aangifteplicht).\n\n"
        "Log in op het Veiligheidsportaal om de melding te lezen. Deze e-mail bevat bewust geen details."
    )
    sent = set()
    for person in board + others:
        if person.email not in sent:
            api.queue_mail(person.email, subject, body, case=case)
            sent.add(person.email)
    if not board:
        api.add_event(
            case,
            "note",
            None,
            "Het bestuur kon niet per e-mail worden geïnformeerd: er is geen account met een "
            "e-mailadres voor het bestuur. Informeer het bestuur zelf en leg de datum vast.",
            actor="Veiligheidsportaal",
        )
        return
    detail.board_informed_on = api.today()
    detail.save(only=[Melding.board_informed_on])
    api.add_event(
        case,
        "note",
        None,
        f"Het bestuur is op {api.nl_date(detail.board_informed_on)} per e-mail geïnformeerd "
        f"({', '.join(p.name for p in board)}).",
        actor="Veiligheidsportaal",
    )


def started(case, detail, form, user, origin):
    """In the creating transaction: the person concerned shut out first, and whoever is shut
    out of the case it follows from (the staff member a complaint names), then the mail: no
    one shut out hears that a report exists."""
    account = form.person_account.data if form is not None else ""
    if account:
        person = {str(p.id): p for p in api.staff_of(case.school)}.get(account)
        if person is not None:
            exclude_person(case, person, user)
    if origin is not None:
        for person in api.excluded(origin):
            if str(person.id) != account:
                api.exclude(case, person, user, f"{person.name} is ook van {origin.reference} uitgesloten.")
    inform_board(case, detail)


# --------------------------------------------------- guards and effects ----


def decided(suspicion):
    def apply(detail):
        detail.suspicion = suspicion
        detail.save(only=[Melding.suspicion])
        if suspicion == "ja":
            return (
                "Besluit: er is een redelijk vermoeden. Informeer de ouders en de betrokken persoon "
                "vooraf en doe onverwijld aangifte."
            )
        return "Besluit: er is geen redelijk vermoeden."

    return apply


def informed_first(detail, form):
    """WPO art. 4a: before the aangifte the parents and the person concerned are informed
    (or it is recorded why not), on or before the day of the aangifte."""
    if form.aangifte.data != "ja":
        return None
    missing = []
    if not detail.parents_informed:
        missing.append("de ouders")
    if not detail.person_informed:
        missing.append("de betrokken persoon")
    if missing:
        return (
            f"Leg eerst vast dat {' en '.join(missing)} vooraf {'is' if len(missing) == 1 else 'zijn'} "
            f"geïnformeerd, of waarom niet: vóór de aangifte worden de ouders en de betrokken persoon "
            f"ingelicht ({LAW})."
        )
    day = form.aangifte_on.data
    for who, on in (
        ("De ouders zijn", detail.parents_informed_on),
        ("De betrokken persoon is", detail.person_informed_on),
    ):
        if on is not None and on > day:
            return (
                f"{who} geïnformeerd op {api.nl_date(on)}, na de aangifte op {api.nl_date(day)}: "
                f"dat gebeurt vooraf ({LAW}). Controleer de datums."
            )
    return None


def missing_steps(detail):
    """What the route still lacks before it may close, in the order of the law."""
    missing = []
    if detail.board_informed_on is None:
        missing.append("de datum waarop het bestuur is geïnformeerd")
    if not detail.consulted:
        missing.append("het overleg met de vertrouwensinspecteur (of waarom het niet plaatsvond)")
    if not detail.suspicion:
        missing.append("het besluit of er een redelijk vermoeden is")
    if detail.suspicion == "ja":
        if not detail.parents_informed:
            missing.append("het vooraf informeren van de ouders (of waarom niet)")
        if not detail.person_informed:
            missing.append("het vooraf informeren van de betrokken persoon (of waarom niet)")
        if not detail.aangifte:
            missing.append(
                "de aangifte met het kenmerk van de politie (of waarom er geen aangifte is gedaan)"
            )
    return missing


def may_close(detail):
    missing = missing_steps(detail)
    if missing:
        return (
            f"De meldroute kan nog niet worden afgesloten ({LAW}). Nog vast te leggen: "
            + "; ".join(missing)
            + "."
        )
    return None


def board_not_yet(detail):
    if detail.board_informed_on is not None:
        return f"Het bestuur is al geïnformeerd op {api.nl_date(detail.board_informed_on)}."
    return None


# --------------------------------------------------------------- the type ----

TYPE = api.CaseType(
    name=TYPE_NAME,
    title="Meldplicht zedendelict",
    prefix="MZ",
    states=(
        api.State("gemeld", "Gemeld, bestuur geïnformeerd"),
        api.State("overlegd", "Overleg met de vertrouwensinspecteur vastgelegd"),
        api.State("vermoeden", "Redelijk vermoeden: aangifte voorbereiden"),
        api.State("geen_vermoeden", "Geen redelijk vermoeden"),
        api.State("aangifte", "Aangifte vastgelegd"),
        api.State("afgesloten", "Afgesloten", closed=True),
    ),
    initial="gemeld",
    transitions=(
        api.Transition(
            "meldplicht.bestuur",
            "Datum vastleggen waarop het bestuur is geïnformeerd",
            ("gemeld",),
            "gemeld",
            form=forms.BoardForm,
            guard=board_not_yet,
            copy=("board_informed_on",),
            order=200,
        ),
        api.Transition(
            "meldplicht.overleg",
            "Overleg met de vertrouwensinspecteur vastleggen",
            ("gemeld",),
            "overlegd",
            form=forms.ConsultForm,
            copy=("consulted", "consulted_on", "consult_advice", "consult_reason"),
        ),
        api.Transition(
            "meldplicht.vermoeden",
            "Besluit: er is een redelijk vermoeden",
            ("overlegd",),
            "vermoeden",
            form=forms.DecisionForm,
            copy=("decided_on", "decision_reason"),
            apply=decided("ja"),
        ),
        api.Transition(
            "meldplicht.geen_vermoeden",
            "Besluit: er is geen redelijk vermoeden",
            ("overlegd",),
            "geen_vermoeden",
            form=forms.DecisionForm,
            copy=("decided_on", "decision_reason"),
            apply=decided("nee"),
        ),
        api.Transition(
            "meldplicht.ouders",
            "Ouders vooraf geïnformeerd (of waarom niet)",
            ("vermoeden",),
            "vermoeden",
            form=forms.InformForm,
            copy=(
                ("informed", "parents_informed"),
                ("informed_on", "parents_informed_on"),
                ("informed_reason", "parents_reason"),
            ),
        ),
        api.Transition(
            "meldplicht.betrokkene",
            "Betrokken persoon vooraf geïnformeerd (of waarom niet)",
            ("vermoeden",),
            "vermoeden",
            form=forms.InformForm,
            copy=(
                ("informed", "person_informed"),
                ("informed_on", "person_informed_on"),
                ("informed_reason", "person_reason"),
            ),
        ),
        api.Transition(
            "meldplicht.aangifte",
            "Aangifte vastleggen (of waarom er geen aangifte is)",
            ("vermoeden",),
            "aangifte",
            form=forms.AangifteForm,
            guard=informed_first,
            copy=("aangifte", "aangifte_on", "police_reference", "aangifte_reason"),
        ),
        api.Transition(
            "meldplicht.afsluiten",
            "Meldroute afsluiten",
            OPEN_STATES,
            "afgesloten",
            form=forms.CloseForm,
            guard=may_close,
            copy=("closing_summary",),
        ),
    ),
    view_permission=VIEW,
    handle_permission=HANDLE,
    # The bestuur and the directie see every report, confidential or not: a contactpersoon
    # handling the complaint it came from cannot keep it from them.
    confidential_roles=("bestuur", "directie"),
    starter_sees=True,
    # Five years after closing, longer than a complaint: a later report about the same person
    # is weighed with this one. A school's legal hold keeps it longer (portal.legal_hold).
    retention_days=365 * 5,
    summary_template="meldplicht/summary.html",
    summary_context=summary_context,
    detail=Melding,
    search_columns=("person_name", "person_function", "what"),
    start=api.Start(
        forms.ReportForm,
        "Mogelijk zedendelict door een medewerker of vrijwilliger",
        START,
        path="melden",
        title=lambda form: f"Mogelijk zedendelict ({api.clean(form.person_function)})",
        confidential=True,
        text="Mogelijk zedendelict gemeld aan het bestuur (meld- en aangifteplicht, WPO art. 4a).",
        intro="Vermoedt u dat iemand die op school werkt (een medewerker, vrijwilliger, "
        "overblijfouder of stagiair) een zedendelict pleegt of pleegde tegen een leerling? Dan "
        "moet u dat direct aan het bestuur melden (WPO art. 4a). Dat kan hier, ook buiten de "
        "directie om. Het bestuur krijgt meteen bericht en overlegt met de vertrouwensinspecteur.",
        submit="Melden aan het bestuur",
        saved="Uw melding is opgeslagen als {reference}. Het bestuur heeft direct bericht gekregen.",
        values=_values,
        prefill=prefill,
        after=started,
        follows=FOLLOWS,
        nav_order=48,
    ),
)
