"""The case type of this plugin: the meldcode huiselijk geweld en kindermishandeling.

Veiligheidsplan 3.1.7: when the school worries about a child's home situation it follows
the five steps of the meldcode (since 1 January 2019 with the afwegingskader) before it
decides on a melding at Veilig Thuis. Each step is a state reached with its own form, in
the plan's order; every step is on the timeline with its date and who took it. The file
is confidential from the start: the one who raised the concern, the aandachtsfunctionaris,
the intern begeleider and the directie see it, nobody else (not the bestuur).
"""

from portal import api

from . import details
from . import forms
from . import models

TYPE_NAME = "meldcode.dossier"

# Who may do what (declared in __init__).
START = "meldcode.start"  # every staff member of the school: record a concern
VIEW = "meldcode.view"  # aandachtsfunctionaris, IB, directie: see the files
HANDLE = "meldcode.handle"  # the same: consultation, weighing, notes, letters
CONVERSE = "meldcode.gesprek"  # IB and directie: the plan names them for step 3
DECIDE = "meldcode.beslissen"  # directie: board contacts, step 3 not held, step 5

RETENTION = "meldcode.bewaartermijn"
RETENTION_YEARS = (1, 20)

# The steps, in the plan's order. A state says which step the file has completed.
STEP_STATES = ("gesignaleerd", "geconsulteerd", "gesproken", "gewogen")


# ------------------------------------------------------------------ start ----


def start_values(user):
    return {"reported_by": user.id if user else None}


# ------------------------------------------------------------------ steps ----


def record_consultation(case, form, user):
    """Step 2 may include an anonymous consultation of Veilig Thuis (date, advice)."""
    if not form.vt_consulted.data:
        return "Collegiale consultatie vastgelegd."
    models.VeiligThuisAdvice.create(
        case=case.id, consulted_on=form.vt_on.data, advice=api.clean(form.vt_advice), created_by=user.id
    )
    return "Collegiale consultatie vastgelegd; Veilig Thuis is anoniem geraadpleegd."


def conversation_text(form):
    if form.outcome.data == "weggenomen":
        return "Gesprek met ouders en kind gevoerd; het vermoeden is weggenomen."
    return "Gesprek met ouders en kind gevoerd; het vermoeden blijft bestaan."


def suspicion_removed(case):
    """The plan, step 3: when the conversation takes the suspicion away, the next steps of
    the meldcode are not taken."""
    last = details.last_conversation(case)
    return last is not None and last.held and last.outcome == "weggenomen"


def weighing_guard(case):
    if suspicion_removed(case):
        return (
            "In het gesprek is het vermoeden weggenomen; de volgende stappen van de meldcode "
            "worden dan niet gezet. Sluit af met ‘Zorg weggenomen na het gesprek’, of ga een "
            "stap terug als er nieuwe signalen zijn."
        )
    return None


def removed_after_conversation_guard(case):
    if not suspicion_removed(case):
        return (
            "Het vermoeden is in het gesprek niet weggenomen (of het gesprek is niet gevoerd): "
            "de school gaat dan over op stap 4, wegen met het afwegingskader."
        )
    return None


ONLY_REPORT = (
    "Volgens de weging is er sprake van acute of structurele onveiligheid (vraag 2: ja). "
    "Dan is melden bij Veilig Thuis het enige besluit."
)


def _answers_refuse(kind, weighing):
    """The afwegingskader's answers decide which decisions are open (step 5)."""
    # Afwegingskader (2019), question 2: acute or structural unsafety is always reported.
    if weighing.q2 == "ja" and kind != "melden":
        return ONLY_REPORT
    if kind == "hulp" and "nee" in (weighing.q3, weighing.q4, weighing.q5):
        # Veiligheidsplan 3.1.7: help only when the school can organise it and those
        # involved accept it; otherwise the school reports.
        return (
            "Hulp organiseren kan alleen als de school effectieve hulp kan organiseren (vraag 3), "
            "de betrokkenen die aanvaarden (vraag 4) en de hulp tot duurzame veiligheid leidt "
            "(vraag 5). Volgens de weging is dat niet zo: melden bij Veilig Thuis is dan het besluit."
        )
    if kind == "weggenomen" and weighing.q1 == "ja":
        return (
            "Volgens de weging is er een vermoeden (vraag 1: ja): de zorg is dan niet weggenomen. "
            "Besluit tot melden of hulp, of ga een stap terug als er nieuwe signalen zijn."
        )
    return None


def decision_guard(kind):
    """Step 5: the answers of the afwegingskader allow this decision, the clusterdirecteur
    was informed of a strong suspicion, and the board was consulted."""

    def guard(case):
        weighing = details.last_weighing(case)
        if weighing is None:  # cannot happen in state "gewogen"; refuse rather than guess
            return "Weeg eerst de signalen met het afwegingskader (stap 4)."
        reason = _answers_refuse(kind, weighing)
        if reason:
            return reason
        # Only what was recorded after this weighing counts: after new signals (a step
        # back) the board hears the new weighing.
        since = [b for b in details.board_contacts(case) if b.created_at >= weighing.created_at]
        if weighing.strong == "ja" and not any(b.kind == "geinformeerd" for b in since):
            # Veiligheidsplan 3.1.7, step 4: a strong suspicion is reported to the
            # clusterdirecteur, for the bevoegd gezag.
            return (
                "Er is een sterk vermoeden: leg eerst vast wanneer de clusterdirecteur (het bevoegd "
                "gezag) is geïnformeerd, met de stap ‘Clusterdirecteur geïnformeerd’."
            )
        if not any(b.kind == "overleg" for b in since):
            # Veiligheidsplan 3.1.7, step 5: "Deze beslissing neemt de school in overleg met
            # het bestuur."
            return (
                "Het besluit kan pas na overleg met het bestuur. Leg eerst het overleg vast "
                "(datum, met wie, wat besproken is) met de stap ‘Overleg met het bestuur’."
            )
        return None

    return guard


def decided(kind, text):
    """Apply of a decision: what was decided, when and by whom, on the dossier."""

    def apply(case, user):
        models.Dossier.update(decision=kind, decided_on=api.today(), decided_by=user.id).where(
            models.Dossier.case == case.id
        ).execute()
        return text

    return apply


def report_again(case, form):
    return f"Alsnog gemeld bij Veilig Thuis ({api.clean(form.vt_reference)})."


def term_has_come(case, detail):
    """The help's effect is judged at the end of the agreed term (the plan: "na afloop van de
    afgesproken termijn"); an answer that it fails may come earlier, a melding never waits."""
    if detail.help_term and api.today() < detail.help_term:
        return (
            f"De hulp loopt tot {api.nl_date(detail.help_term)}. Of de hulp het gewenste effect "
            "heeft, wordt na afloop van die termijn beoordeeld."
        )
    return None


def effect(ok):
    def apply(case):
        models.Dossier.update(effect_ok=ok).where(models.Dossier.case == case.id).execute()
        return "De hulp heeft het gewenste effect." if ok else "De hulp heeft niet het gewenste effect."

    return apply


def days_until_term(detail):
    """The question "heeft de hulp het gewenste effect?" is due on the agreed date."""
    return max(0, (detail.help_term - api.today()).days)


AGREEMENTS = "meldcode.afspraken"


def organise_help(case, user):
    """Help organised: on the checklist, the agreements on paper for the parents (the plan:
    "Alle afspraken ... leggen we helder vast")."""
    api.add_checklist_item(case, AGREEMENTS, "Afsprakendocument aan de ouders gegeven")
    return decided("hulp", "Besloten tot het organiseren van hulp.")(case, user)


def effect_reached_guard(case, detail):
    """Closing with help that worked: the term has come, and the parents have the agreements
    on paper. (A melding is never held up by either.)"""
    reason = term_has_come(case, detail)
    if reason:
        return reason
    open_items = api.CaseChecklistItem.select().where(
        (api.CaseChecklistItem.case == case.id)
        & (api.CaseChecklistItem.name == AGREEMENTS)
        & api.CaseChecklistItem.done_at.is_null()
    )
    if open_items.exists():
        return "Vink eerst af dat de ouders het afsprakendocument hebben gekregen (checklist)."
    return None


def retention_days(school):
    """The school's period (years, a plugin setting) as days from today."""
    low, high = RETENTION_YEARS
    years = min(high, max(low, api.get_setting(school, RETENTION) or low))
    now = api.today()
    try:
        until = now.replace(year=now.year + years)
    except ValueError:  # 29 February
        until = now.replace(year=now.year + years, day=28)
    return (until - now).days


# ------------------------------------------------------------ transitions ----


def _back(source, target, order):
    return api.Transition(
        f"meldcode.terug_{source}",
        "Een stap terug: nieuwe signalen",
        (source,),
        target,
        HANDLE,
        form=forms.NewSignalsForm,
        record=models.Signal,
        fixed={"back_to": target},
        apply=lambda: "Nieuwe signalen vastgelegd; het dossier gaat een stap terug.",
        order=order,
    )


def _veilig_thuis(state, order):
    # One per state: a step that stays where it is ("Bij twijfels raadplegen we opnieuw
    # anoniem Veilig Thuis").
    return api.Transition(
        f"meldcode.veilig_thuis_{state}",
        "Veilig Thuis anoniem geraadpleegd",
        (state,),
        state,
        HANDLE,
        form=forms.VeiligThuisForm,
        record=models.VeiligThuisAdvice,
        apply=lambda: "Veilig Thuis is anoniem geraadpleegd.",
        order=order,
    )


TRANSITIONS = (
    # Step 2
    api.Transition(
        "meldcode.consultatie",
        "Stap 2: collegiale consultatie vastleggen",
        ("gesignaleerd",),
        "geconsulteerd",
        HANDLE,
        form=forms.ConsultationForm,
        record=models.Consultation,
        apply=record_consultation,
        order=10,
    ),
    _veilig_thuis("geconsulteerd", 15),
    # Step 3: held by IB or directie, or (directie) not held for safety.
    api.Transition(
        "meldcode.gesprek",
        "Stap 3: gesprek met ouders en kind vastleggen",
        ("geconsulteerd",),
        "gesproken",
        CONVERSE,
        form=forms.ConversationForm,
        record=models.Conversation,
        fixed={"held": True},
        apply=conversation_text,
        order=20,
    ),
    api.Transition(
        "meldcode.geen_gesprek",
        "Stap 3: gesprek niet gevoerd (veiligheid)",
        ("geconsulteerd",),
        "gesproken",
        DECIDE,
        form=forms.NotHeldForm,
        record=models.Conversation,
        fixed={"held": False},
        apply=lambda: "Het gesprek met ouders en kind is om veiligheidsredenen niet gevoerd.",
        order=25,
    ),
    api.Transition(
        "meldcode.weggenomen_na_gesprek",
        "Zorg weggenomen na het gesprek",
        ("gesproken",),
        "weggenomen",
        DECIDE,
        form=forms.RemovedForm,
        guard=removed_after_conversation_guard,
        copy=("removed_reason",),
        apply=decided("weggenomen", "Zorg weggenomen na het gesprek met ouders en kind."),
        order=28,
    ),
    _veilig_thuis("gesproken", 29),
    # Step 4
    api.Transition(
        "meldcode.wegen",
        "Stap 4: wegen met het afwegingskader",
        ("gesproken",),
        "gewogen",
        HANDLE,
        form=forms.WeighingForm,
        guard=weighing_guard,
        record=models.Weighing,
        apply=lambda form: (
            "Gewogen met het afwegingskader" + ("; sterk vermoeden." if form.strong.data == "ja" else ".")
        ),
        order=30,
    ),
    # Before step 5: the clusterdirecteur informed (strong suspicion) and the board consulted.
    api.Transition(
        "meldcode.clusterdirecteur",
        "Clusterdirecteur geïnformeerd (sterk vermoeden)",
        ("gewogen",),
        "gewogen",
        DECIDE,
        form=forms.BoardForm,
        record=models.BoardContact,
        fixed={"kind": "geinformeerd"},
        apply=lambda: "De clusterdirecteur is geïnformeerd.",
        order=35,
    ),
    api.Transition(
        "meldcode.bestuur",
        "Overleg met het bestuur",
        ("gewogen",),
        "gewogen",
        DECIDE,
        form=forms.BoardForm,
        record=models.BoardContact,
        fixed={"kind": "overleg"},
        apply=lambda: "Overleg met het bestuur vastgelegd.",
        order=36,
    ),
    _veilig_thuis("gewogen", 37),
    # Step 5
    api.Transition(
        "meldcode.melden",
        "Stap 5: melden bij Veilig Thuis",
        ("gewogen",),
        "gemeld",
        DECIDE,
        form=forms.ReportForm,
        guard=decision_guard("melden"),
        copy=("reported_on", "reported_to", "reported_what", "vt_reference"),
        apply=decided("melden", "Besloten tot melden bij Veilig Thuis."),
        order=40,
    ),
    api.Transition(
        "meldcode.hulp",
        "Stap 5: hulp organiseren",
        ("gewogen",),
        "hulp",
        DECIDE,
        form=forms.HelpForm,
        guard=decision_guard("hulp"),
        copy=("help_agreements", "help_with", "help_term", "help_effect"),
        apply=organise_help,
        order=41,
    ),
    api.Transition(
        "meldcode.weggenomen",
        "Stap 5: zorg weggenomen",
        ("gewogen",),
        "weggenomen",
        DECIDE,
        form=forms.RemovedForm,
        guard=decision_guard("weggenomen"),
        copy=("removed_reason",),
        apply=decided("weggenomen", "Besloten: de zorg is weggenomen."),
        order=42,
    ),
    # Help with a term: the answer closes the file or leads to "alsnog melden".
    api.Transition(
        "meldcode.effect_ja",
        "Heeft de hulp het gewenste effect? Ja: afsluiten",
        ("hulp",),
        "hulp_afgerond",
        HANDLE,
        form=forms.EffectForm,
        guard=effect_reached_guard,
        copy=("effect_on", "effect_note"),
        apply=effect(True),
        order=50,
    ),
    api.Transition(
        "meldcode.effect_nee",
        "Heeft de hulp het gewenste effect? Nee: alsnog melden",
        ("hulp",),
        "alsnog_melden",
        HANDLE,
        form=forms.EffectForm,
        copy=("effect_on", "effect_note"),
        apply=effect(False),
        order=51,
    ),
    api.Transition(
        "meldcode.alsnog_melden",
        "Alsnog melden bij Veilig Thuis",
        ("alsnog_melden",),
        "gemeld",
        DECIDE,
        form=forms.ReportForm,
        copy=("reported_on", "reported_to", "reported_what", "vt_reference"),
        apply=report_again,
        order=55,
    ),
    # Going back a step (new signals): the step before is taken again.
    _back("geconsulteerd", "gesignaleerd", 90),
    _back("gesproken", "geconsulteerd", 91),
    _back("gewogen", "gesproken", 92),
)


TYPE = api.CaseType(
    name=TYPE_NAME,
    title="Meldcode huiselijk geweld en kindermishandeling",
    prefix="MC",
    states=(
        api.State("gesignaleerd", "Stap 1: signalen vastgelegd"),
        api.State("geconsulteerd", "Stap 2: collegiale consultatie gehouden"),
        api.State("gesproken", "Stap 3: gesprek met ouders en kind"),
        api.State("gewogen", "Stap 4: gewogen met het afwegingskader"),
        api.State("hulp", "Stap 5: hulp georganiseerd, met een termijn"),
        api.State("alsnog_melden", "Hulp zonder het gewenste effect: alsnog melden"),
        api.State("gemeld", "Gemeld bij Veilig Thuis", closed=True),
        api.State("hulp_afgerond", "Afgesloten: de hulp had het gewenste effect", closed=True),
        api.State("weggenomen", "Afgesloten: de zorg is weggenomen", closed=True),
    ),
    initial="gesignaleerd",
    transitions=TRANSITIONS,
    view_permission=VIEW,
    handle_permission=HANDLE,
    deadlines=(
        api.Deadline(
            "meldcode.effect",
            "Heeft de hulp het gewenste effect?",
            days_until_term,
            school_days=False,
            start="meldcode.hulp",
            met_by=("meldcode.effect_ja", "meldcode.effect_nee"),
        ),
    ),
    retention_days=retention_days,
    # Confidential from the start: the starter (starter_sees), the aandachtsfunctionaris,
    # IB and directie; nobody else, whatever permission a school gives them.
    confidential_roles=("aandachtsfunctionaris", "ib", "directie"),
    starter_sees=True,
    # A parent's AVG inzage may be refused where it would harm the child (AVG art. 23(1)(i),
    # UAVG art. 41): a meldcode file goes into an export only when the directie includes it.
    inzage_by_default=False,
    # Found by the case list's search, for those who may see the file (nobody else).
    search_columns=(
        "pupil_name",
        "signals",
        "contra_signals",
        "considerations",
        "reported_what",
        "help_agreements",
    ),
    summary_template="meldcode/summary.html",
    summary_context=details.summary,
    detail=models.Dossier,
    start=api.Start(
        forms.ConcernForm,
        "Zorg over de thuissituatie",
        START,
        path="zorg",
        follows=("incidenten.incident",),  # a follow-up of a registered incident
        title="Zorg over de thuissituatie: {pupil_name}",
        confidential=True,
        notify=HANDLE,
        submit="Zorg vastleggen",
        values=start_values,
        saved=(
            "Uw zorg is vastgelegd als {reference}. Alleen u, de aandachtsfunctionaris, de intern "
            "begeleider en de directie zien dit dossier."
        ),
        nav_order=45,
        nav_label="Zorg over de thuissituatie",
        intro=(
            "Maakt u zich zorgen over de thuissituatie van een leerling? Leg hier de signalen vast, "
            "ook de signalen die de zorg tegenspreken, en uw eigen overwegingen (meldcode, stap 1). "
            "De aandachtsfunctionaris en de intern begeleider nemen het daarna met u op. Alleen u, "
            "de aandachtsfunctionaris, de intern begeleider en de directie zien wat u invult."
        ),
        text="Stap 1: signalen vastgelegd.",
    ),
)

CASE_TYPES = [TYPE]
