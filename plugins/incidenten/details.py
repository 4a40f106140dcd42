"""A case's rows for the case page (summary contexts) and the letters."""

from portal import api


def _name(user_id):
    if not user_id:
        return ""
    user = api.User.get_or_none(api.User.id == user_id)
    return user.name if user else ""


def incident_summary(case, detail):
    return {"incident": detail, "reported_by": _name(detail.reported_by_id) if detail else ""}


def intervention_summary(case, detail):
    return {"ingrijpen": detail, "reported_by": _name(detail.reported_by_id) if detail else ""}


def breach_summary(case, detail):
    return {"lek": detail, "reported_by": _name(detail.reported_by_id) if detail else ""}


def ban_summary(case, detail):
    return {"verbod": detail}
