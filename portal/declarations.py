"""What plugins declare: frozen dataclasses returned by the collection hooks.

Every declaration has a ``name`` that starts with the plugin's slug and a dot
(``klachten.handle``); the core validates duplicates and dangling references at
start-up and renders them. Plugins never return HTML.
"""

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any
from typing import Callable

ROLES = {
    "leerkracht": "Leerkracht",
    "ondersteunend": "Ondersteunend personeel",
    "ib": "Intern begeleider",
    "contactpersoon": "Contactpersoon",
    "aandachtsfunctionaris": "Aandachtsfunctionaris meldcode",
    "directie": "Directie",
    "bestuur": "Bestuur",
    "beheerder": "Functioneel beheerder",
}

STAFF_ROLES = tuple(ROLES)

# The roles that can see the content of cases: they must log in with a second factor
# (unless a deployment deliberately sets PORTAL_REQUIRE_MFA=0).
DOSSIER_ROLES = ("ib", "contactpersoon", "aandachtsfunctionaris", "directie", "bestuur", "beheerder")


@dataclass(frozen=True)
class Permission:
    name: str
    label: str
    default_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class State:
    name: str
    title: str
    closed: bool = False
    # Dutch text for the submitter (parent) following a public case.
    public_text: str = ""


@dataclass(frozen=True)
class Transition:
    """A step from one of ``sources`` to ``target``.

    ``form`` is a form class of the kit (``portal.api.Form``; the core adds CSRF).
    ``guard`` returns a Dutch refusal reason, {field name: message} to mark fields, or
    None; ``apply`` runs inside the transaction to write plugin data, checklist ticks or
    mail, and may return text for the timeline. Both are called with any of ``case``, ``detail``, ``form``,
    ``user`` and ``school`` that they name. ``copy`` names form fields whose values
    the core writes onto the case's detail row before ``apply`` runs: a name, or a
    pair (form field, detail column). ``permission`` None: the case type's
    ``handle_permission``. Steps are offered by ``order``, and as declared where it is equal.
    """

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str | None = None
    form: Any = None
    guard: Callable | None = None
    apply: Callable | None = None
    copy: tuple = ()
    # A plugin table that gets a new row from the form with every step (a conversation, a
    # hearing): its columns of the form's field names, ``case``, ``created_by`` when it has
    # that column, and the ``fixed`` values.
    record: Any = None
    fixed: dict = field(default_factory=dict)
    # A transition the submitter may see on the timeline (e.g. "afgerond").
    public: bool = False
    order: int = 100

    def copied_fields(self):
        """[(form field, detail column)] of ``copy``."""
        return [(c, c) if isinstance(c, str) else tuple(c) for c in self.copy]


@dataclass(frozen=True)
class Start:
    """How a case of a type begins: the core serves the page, checks the form, creates the
    case with its detail row, checklist, deadlines, timeline, mail and audit row in one
    transaction, and shows the case (or, to a reporter who may not see it, a receipt).

    Every callable is called with any of ``form``, ``user``, ``school`` (and, for
    ``after``, ``case`` and ``detail``) that it names.
    """

    form: Any
    # The page's title and button, e.g. "Traumatische gebeurtenis melden".
    label: str
    # Who may start one; None only for a ``public`` start (parents, no account).
    permission: str | None = None
    # The page's address under the plugin's prefix: /<school>/<slug>/<path>.
    path: str = "nieuw"
    # The case's title: a text with {field} placeholders filled from the form, or a callable.
    title: Any = None
    confidential: bool = False
    # The starter becomes the assignee (and so keeps seeing a confidential case).
    assign_to_starter: bool = False
    # Holders of this permission get a mail that a case was started: the reference only, or
    # ``notify_text`` (called with case, detail, user, school) -> (subject, body).
    notify: str | None = None
    notify_text: Callable | None = None
    # What the starter reads once the case is saved ({reference} filled in), and where they
    # go: "case" (the case page, or a receipt for a starter who may not see it) or "start"
    # (back to an empty start page).
    saved: str = "Opgeslagen als {reference}."
    then: str = "case"
    # Text above the form, the button's text, and the first line of the case's timeline.
    intro: str = ""
    submit: str = "Opslaan"
    text: str = ""
    # A template of the plugin for the page (it extends "cases/start.html"), and extra context.
    template: str | None = None
    context: Callable | None = None
    # Initial values from the page's query string: ``prefill(args, user, school, origin) ->
    # dict`` (``origin``: the case the page was opened from, see ``follows``, or None).
    prefill: Callable | None = None
    # The case types from whose page this start is offered as a next step ("*": any type):
    # opened from there, the start page knows that case (``origin``: to ``prefill``,
    # ``guard``, ``values`` and ``after``; a pupil field is filled in with its pupil) and
    # the new case is linked to it (portal/cases/links.py).
    follows: tuple = ()
    # Only as a next step from the page of a case of ``follows``: opened on its own, the start
    # page shows ``elsewhere`` (where such a case begins) and links to the start pages of those
    # types instead of the form, and ``start_case`` refuses to start one without an origin.
    follow_up_only: bool = False
    elsewhere: str = ""
    # A Dutch reason to refuse the start (422, the form kept), {field name: message} to mark
    # fields, or None.
    guard: Callable | None = None
    # A Dutch notice instead of a case (200): "dit is al toegestaan".
    check: Callable | None = None
    # Detail values beyond the form fields that match the detail model's columns.
    values: Callable | None = None
    # Runs inside the creating transaction, after the detail row: more rows, checklist copies.
    after: Callable | None = None
    # A menu item for the start page, at this position (None: no menu item), with this text
    # (None: ``label``).
    nav_order: int | None = None
    nav_label: str | None = None
    # A parents' form: no account, the core serves the whole public route (portal/public.py).
    public: bool = False
    # For a ``public`` start: the receipt page and the follow-up page, templates that extend
    # "public/received.html" and "public/status.html" (None: those as they are), and extra
    # context for them and the receipt letter (called with case, detail, school).
    receipt_template: str | None = None
    status_template: str | None = None
    public_context: Callable | None = None
    # The PDF receipt with the code (a letter template; None: no PDF receipt).
    receipt_letter: str | None = None
    # The school setting with the ceiling on submissions per hour (None: the core's 30).
    hourly_limit_setting: str | None = None
    # The form field with the parent's address (confirmation and messages by mail), and the
    # detail column (unique, nullable) that keeps the hash of the form's one-time token.
    email_field: str | None = None
    token_column: str = "form_token_hash"  # noqa: S105 - a column name, not a secret
    # Who hears that the parent added information: called inside that transaction with any of
    # case, detail, school, subject, body (None: the assignee, else the holders of ``notify``).
    added: Callable | None = None


@dataclass(frozen=True)
class ChecklistItem:
    """``required`` may be a bool or ``callable(case) -> bool``, evaluated on closing."""

    name: str
    label: str
    required: Any = False


@dataclass(frozen=True)
class Deadline:
    """A due date ``days`` after an event: case creation or a transition.

    ``met_by``: transitions that meet it; leaving to a closed state meets every
    deadline. ``school_days`` counts school days on the school calendar.
    """

    name: str
    label: str
    days: Any  # int or callable(case) -> int
    school_days: bool = True
    start: str = "created"
    met_by: tuple[str, ...] = ()
    # ``hours=True``: ``days`` counts clock hours, nights, weekends and holidays included (the
    # 72 hours of AVG art. 33); the due moment is kept to the minute (``CaseDeadline.due_at``)
    # beside its day, and ``school_days`` does not apply.
    hours: bool = False
    # For a deadline in hours: the moment the count starts, called with any of ``case``,
    # ``detail`` (a datetime in Dutch local time, naive or aware; None: the start event's
    # moment), such as when a data breach was discovered.
    since: Callable | None = None
    # The due date itself, computed from the case (any of ``case``, ``detail``, ``school``)
    # when the start event happens, instead of ``days`` after it: a term the law counts
    # from a date a step recorded (six weeks for objection, Awb art. 6:7).
    due: Any = None


@dataclass(frozen=True)
class CaseType:
    name: str
    title: str
    prefix: str
    states: tuple[State, ...]
    initial: str
    transitions: tuple[Transition, ...]
    view_permission: str
    checklist: tuple[ChecklistItem, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    # Closed cases are kept this many days, then purged: a number, or a callable (called
    # with any of ``case``, ``detail``, ``school`` when the case closes) for a period each
    # school sets (a plugin setting).
    retention_days: Any = 365 * 2
    # Roles that still see a confidential case (besides its assignee).
    confidential_roles: tuple[str, ...] = ("directie",)
    # The one who started a case always sees it (in the list, on its page, in a pupil's
    # chronology), even when it is confidential and without the view permission: a teacher
    # keeps sight of the concern they raised. An exclusion still wins.
    starter_sees: bool = False
    # Template (``<slug>/…``) and its context for the case page summary; the context
    # function is called with any of ``case``, ``detail``, ``user``, ``school``.
    summary_template: str | None = None
    summary_context: Callable | None = None
    # Permission needed to add notes, tick the checklist and (re)assign.
    handle_permission: str | None = None
    # The plugin's one-to-one table of this type's details (a model with a unique ``case``
    # foreign key); the core creates its row with the case and hands it to the callables.
    detail: Any = None
    # How a case of this type begins (``Start``); None: the plugin starts cases itself.
    start: Start | None = None
    # More ways in for staff beside ``start``, each a ``Start`` at a ``path`` of its own (never
    # ``public``): a complaint the school records itself from an incident's page, while
    # parents use the public form of ``start``.
    more_starts: tuple[Start, ...] = ()
    # An AVG inzage export (art. 15) for a pupil leaves this type's cases out unless a holder
    # of ``portal.inzage_include`` (the directie) includes one deliberately: for files where
    # inzage could harm the child (the meldcode), which art. 23 lets the school refuse.
    inzage_by_default: bool = True
    # The default of the school setting ``<name>.years_after_left``: a closed case about
    # pupils is purged only once every linked pupil left the school this many years ago
    # (besides ``retention_days``). Kennisnet's bewaartermijnen: the pupil file 2 years after
    # leaving. 0: only ``retention_days`` counts.
    retention_years_after_left: int = 2
    # Columns of ``detail`` whose text the case list's search finds (besides the reference,
    # the title, the pupils and the timeline, which every type's search covers). Name only
    # columns that everyone who sees the case sees on its page: a search never finds more
    # than the page shows.
    search_columns: tuple[str, ...] = ()
    # False for a case that is never about a child (an evaluation moment, an evacuation
    # drill): its page has no pupils section and no pupil can be linked to it.
    about_pupils: bool = True

    def __post_init__(self):
        # A step without a permission of its own is for whoever handles the case.
        steps = tuple(
            t if t.permission else replace(t, permission=self.handle_permission) for t in self.transitions
        )
        object.__setattr__(self, "transitions", steps)

    @property
    def starts(self):
        """``start`` (when there is one) and ``more_starts``."""
        return ((self.start,) if self.start is not None else ()) + tuple(self.more_starts)

    def state(self, name):
        for s in self.states:
            if s.name == name:
                return s
        raise KeyError(name)

    def transition(self, name):
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(name)

    def is_closed(self, state_name):
        return self.state(state_name).closed


@dataclass(frozen=True)
class DocumentTemplate:
    """A letter: ``template`` is a Jinja HTML template; ``context`` returns a dict and is
    called with any of ``case``, ``detail``, ``user``, ``school``.

    Offered on the case page of ``case_type`` in ``states`` (all states when empty, and only
    when ``available`` agrees) to holders of ``permission`` (empty: the case type's
    ``handle_permission``).
    ``for_submitter``: a letter addressed to the parent, who may download what was made of
    it from the follow-up page of a public case.
    """

    name: str
    label: str
    case_type: str
    template: str
    context: Callable
    permission: str = ""
    states: tuple[str, ...] = ()
    filename: str = ""
    for_submitter: bool = False
    # Offered only when this returns true (called with any of ``case``, ``detail``,
    # ``school``): a letter that needs a fact the state alone does not tell (a conversation
    # that was held). None: in every state of ``states``.
    available: Callable | None = None


@dataclass(frozen=True)
class Setting:
    """A per-school setting; the core builds the settings form."""

    name: str
    label: str
    default: Any = ""
    kind: str = "text"  # text, textarea, int, email, bool, url
    help: str = ""


@dataclass(frozen=True)
class NavItem:
    name: str
    label: str
    endpoint: str
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A dashboard panel: a title and lines of (label, value, endpoint or None).

    ``alert``: something the school must put right (no pestcoördinator, no evacuation
    drill this school year); the dashboard shows it in red. Its title says what is wrong,
    so that it does not rest on the colour alone."""

    name: str
    title: str
    lines: tuple = ()
    permission: str | None = None
    order: int = 100
    alert: bool = False


@dataclass(frozen=True)
class ReportFigure:
    """A figure of the yearly report: ``value`` (a count, or a text such as a median) and
    ``rows`` of ``(label, value)``. The core sets each figure beside the same figure
    (by ``name``) of the school year before, and draws it:

    ``chart``: "bar" (a bar per row, last year beside it), "line" (``series`` per month), or
    "" (a table only; the default, and a figure with count rows gets bars anyway).
    ``series``: for a line, ``((line label, ((month label, value), ...)), ...)``, the
    months of the school year from August (``portal.api.per_month`` gives them).
    ``counts``: the value and the row values are counts of cases or people; the bestuur's
    version across schools shows a count from 1 to 4 as "< 5". False for a figure whose
    numbers are no counts (a median, days).
    """

    name: str
    label: str
    value: Any
    rows: tuple = field(default_factory=tuple)
    chart: str = ""
    series: tuple = ()
    counts: bool = True


@dataclass(frozen=True)
class PlanSection:
    """A section of the school's veiligheidsplan (the ``plan_section`` hook).

    ``number`` ("3.2.3") places it in the plan; a plugin's section replaces the core's
    section of the same number. ``text`` is the default fixed text, which the school
    replaces by its own words; ``live`` is what the portal fills in from the school's
    configuration now (lines of text), and ``table`` rows shown under it, the first row
    the column headers. No HTML: the core renders them.
    """

    name: str
    number: str
    heading: str
    text: str
    live: str = ""
    table: tuple = ()
