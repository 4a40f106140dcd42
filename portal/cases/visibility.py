"""Who sees which case. Anything outside this answers 404.

A user sees the cases of the case types for which they hold the view
permission at that school, plus the cases assigned to them. A confidential
case: only its assignee and the roles its type names. The one who started a
case of a type with ``starter_sees`` (a teacher's concern about a child) always
sees it. A user excluded from a case (the staff member a complaint is about)
never sees it, whatever the role.
"""

from ..access import enabled_plugins
from ..access import has_permission
from ..access import roles_at
from ..models import Case
from ..models import CaseExclusion
from ..registry import get_registry


def visible_types(user, school):
    """(case types the user may see, those of them whose confidential cases they see too)."""
    reg = get_registry()
    enabled = enabled_plugins(school)
    roles = roles_at(user, school)
    viewable, confidential = [], []
    for name, ct in reg.case_types.items():
        if reg.case_type_owner[name] not in enabled and reg.case_type_owner[name] != "portal":
            continue
        if has_permission(user, school, ct.view_permission):
            viewable.append(name)
            if roles & set(ct.confidential_roles):
                confidential.append(name)
    return viewable, confidential


def starter_types(school):
    """The case types enabled at ``school`` whose cases their starter always sees
    (``CaseType.starter_sees``)."""
    reg = get_registry()
    enabled = enabled_plugins(school)
    return [
        name
        for name, ct in reg.case_types.items()
        if ct.starter_sees and (reg.case_type_owner[name] in enabled or reg.case_type_owner[name] == "portal")
    ]


def visible_condition(user, school):
    """A peewee expression selecting the cases ``user`` may see at ``school``."""
    viewable, confidential = visible_types(user, school)
    excluded = CaseExclusion.select(CaseExclusion.case).where(CaseExclusion.user == user.id)
    by_type = Case.case_type.in_(viewable or [""]) & (
        (Case.confidential == False) | Case.case_type.in_(confidential or [""])  # noqa: E712
    )
    own = (Case.created_by == user.id) & Case.case_type.in_(starter_types(school) or [""])
    return (
        (Case.school == school.id) & ((Case.assignee == user.id) | own | by_type) & Case.id.not_in(excluded)
    )


def can_view(case, user):
    if case.school_id != case.school.id:
        return False
    if (
        CaseExclusion.select()
        .where((CaseExclusion.case == case.id) & (CaseExclusion.user == user.id))
        .exists()
    ):
        return False
    if case.assignee_id == user.id:
        return True
    if case.created_by_id == user.id and case.case_type in starter_types(case.school):
        return True
    viewable, confidential = visible_types(user, case.school)
    if case.case_type not in viewable:
        return False
    return not case.confidential or case.case_type in confidential


def get_visible(school, reference, user):
    """The case with ``reference`` at ``school`` if ``user`` may see it, else None."""
    case = Case.get_or_none((Case.school == school.id) & (Case.reference == reference))
    if case is None:
        return None
    case.school = school
    return case if can_view(case, user) else None
