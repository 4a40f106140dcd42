"""Every hook a plugin can implement. The first docstring line says what to return.

Hooks are called with keyword arguments; an implementation may take any subset
of them. Arguments are only ever added, never renamed or removed. Each hook is
documented in docs/plugins.md and tested in tests/test_hooks.py; a test fails
when a hook lacks either.
"""

import pluggy

PROJECT = "veiligheidsportaal"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------- setup ----


@hookspec
def register_blueprints(app):
    """Return a list of Flask blueprints; each blueprint's name must equal the slug.

    The core mounts them under ``/<school>/<slug>/`` and adds the per-school guard.
    """


@hookspec
def register_models():
    """Return the plugin's peewee model classes (table names start with the slug)."""


@hookspec
def register_migrations():
    """Return a ``(slug, package)`` pair: the package holding numbered migration modules."""


@hookspec
def register_case_types():
    """Return a list of ``CaseType`` declarations."""


@hookspec
def register_permissions():
    """Return a list of ``Permission`` declarations with their default roles."""


@hookspec
def register_documents():
    """Return a list of ``DocumentTemplate`` declarations (letters)."""


@hookspec
def register_settings():
    """Return a list of per-school ``Setting`` declarations."""


@hookspec
def register_commands(cli):
    """Add click commands to the ``flask`` command group ``cli``; return nothing."""


@hookspec
def demo_data(school):
    """Add fictional demo content for ``school`` (called by ``init-db --demo``); return nothing."""


# -------------------------------------------------------------- request ----


@hookspec
def nav_items(user, school):
    """Return a list of ``NavItem`` for the menu of ``school``."""


@hookspec
def dashboard_panels(user, school):
    """Return a list of ``Panel`` for the dashboard of ``school``."""


# ------------------------------------------------------------- workflow ----


@hookspec(firstresult=True)
def check_transition(case, transition, user):
    """Return a Dutch refusal reason to veto the transition, or None to allow it."""


@hookspec
def case_transitioned(case, transition, user, event):
    """React after a transition was committed (notify, audit); return nothing."""


# ------------------------------------------------------------- register ----


@hookspec
def school_contacts(school):
    """Return a list of ``SchoolContact``: who holds a safety role at ``school`` now.

    The core asks only the plugins the school enabled; plugins read the answer through
    ``api.school_contacts(school, role)`` (the vertrouwenspersoon for a complaint letter).
    """


# --------------------------------------------------------------- report ----


@hookspec
def annual_report(school, year, user):
    """Return a list of ``ReportFigure`` for the school year that starts on 1 August of ``year``.

    ``school`` is a ``School``, or None for all schools of the deployment (the bestuur view).
    ``user`` is who looks (None outside a request): figures about files few may see can be
    coarser for someone who may not see those files.
    """


@hookspec
def plan_section(school):
    """Return a list of ``PlanSection``: the plugin's sections of ``school``'s veiligheidsplan.

    Each has a number ("3.2.3"), a heading, the default fixed text (the school edits it)
    and the live configuration filled in (``live`` lines, ``table`` rows). A plugin's section
    replaces the core's default section of the same number.
    """
