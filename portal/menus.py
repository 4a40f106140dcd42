"""Menu items and dashboard panels that plugins contribute, filtered for one user."""

from .access import enabled_plugins
from .access import has_permission
from .plugins import collect
from .registry import get_pm


def _visible(hook_name, user, school):
    items = collect(get_pm(), hook_name, only=enabled_plugins(school), user=user, school=school)
    out = [
        item
        for _slug, item in items
        if item.permission is None or has_permission(user, school, item.permission)
    ]
    return sorted(out, key=lambda i: (i.order, i.name))


def nav_items(user, school):
    return _visible("nav_items", user, school)


def dashboard_panels(user, school):
    return _visible("dashboard_panels", user, school)
