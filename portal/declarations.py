"""What plugins declare: frozen dataclasses returned by the collection hooks.

Every declaration has a ``name`` that starts with the plugin's slug and a dot
(``klachten.handle``); the core validates duplicates and dangling references at
start-up and renders them. Plugins never return HTML.
"""

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Callable

ROLES = {
    "leerkracht": "Leerkracht",
    "ondersteunend": "Ondersteunend personeel",
    "ib": "Intern begeleider",
    "contactpersoon": "Contactpersoon",
    "directie": "Directie",
    "bestuur": "Bestuur",
    "beheerder": "Functioneel beheerder",
}

STAFF_ROLES = tuple(ROLES)


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

    ``form`` is a WTForms ``Form`` class (not FlaskForm: the core adds CSRF);
    ``guard(case, form, user)`` returns a Dutch refusal reason or None;
    ``apply(case, form, user)`` runs inside the transaction to write plugin
    data, checklist ticks or mail; it may return text for the timeline.
    """

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str
    form: Any = None
    guard: Callable | None = None
    apply: Callable | None = None
    # A transition the submitter may see on the timeline (e.g. "afgerond").
    public: bool = False
    order: int = 100


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
    # Closed cases are kept this many days, then purged.
    retention_days: int = 365 * 2
    # Roles that still see a confidential case (besides its assignee).
    confidential_roles: tuple[str, ...] = ("directie",)
    # Template (``<slug>/…``) and ``context(case) -> dict`` for the case page summary.
    summary_template: str | None = None
    summary_context: Callable | None = None
    # Permission needed to add notes, tick the checklist and (re)assign.
    handle_permission: str | None = None

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
    """A letter: ``template`` is a Jinja HTML template, ``context(case) -> dict``.

    Offered on the case page of ``case_type`` in ``states`` (all states when
    empty) to holders of ``permission``.
    """

    name: str
    label: str
    case_type: str
    template: str
    context: Callable
    permission: str
    states: tuple[str, ...] = ()
    filename: str = ""


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
    """A dashboard panel: a title and lines of (label, value, endpoint or None)."""

    name: str
    title: str
    lines: tuple = ()
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class ReportFigure:
    name: str
    label: str
    value: Any
    rows: tuple = field(default_factory=tuple)
