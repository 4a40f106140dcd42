"""The start pages: where a case of each type begins (``CaseType.start``).

The core adds one page per case type with a (non-public) start to the plugin's
blueprint, at ``/<school>/<slug>/<path>``, guarded by the start's permission like
any view. It checks the form (422 with everything typed kept, the errors next to
the fields and in a summary at the top), asks the start's guard and check, creates
the case through ``engine.start_case`` and shows it; a reporter who may not see
the case (a report that is for the directie) gets a receipt with the reference. A
type may have more staff starts (``CaseType.more_starts``), each a page of its own; a
start that only follows another case (``Start.follow_up_only``), opened on its own,
says where such a case begins instead of showing its form.
Public starts (the parents' complaint form) are served by portal/public.py, with
their own pages and receipt, and create the case through the same
``engine.start_case``.
"""

import re

from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from ..audit import audit_view
from ..calls import call
from ..pupils import case_pupils
from . import engine
from . import links
from .visibility import can_view


def endpoint(ct, start=None):
    """The start page's endpoint: ``<slug>.start_<type>`` (e.g. ``trauma.start_gebeurtenis``);
    for one of ``more_starts``, its path follows (``klachten.start_klacht_vastleggen``)."""
    slug, _, kind = ct.name.partition(".")
    if start is None or start is ct.start:
        return f"{slug}.start_{kind}"
    return f"{slug}.start_{kind}_{_name(start.path)}"


def _name(path):
    """A path as part of an endpoint's or a function's name: ``verwijdering/nieuw`` ->
    ``verwijdering_nieuw``."""
    return re.sub(r"\W", "_", path)


def start_at(ct, path):
    """The staff start of ``ct`` at ``path``."""
    return next(s for s in ct.starts if s.path == path and not s.public)


def attach(bp, case_types):
    """Add the start page of each of ``case_types`` (those of one plugin) to its blueprint.

    A plugin's blueprint is one object for every app the process makes (tests make
    many); Flask takes no new rules once it was registered, and needs none: the pages
    are added the first time only."""
    added = bp.__dict__.setdefault("portal_start_pages", set())
    for ct in case_types:
        for start in ct.starts:
            if start.public or (ct.name, start.path) in added:
                continue
            added.add((ct.name, start.path))
            view = _start_view(ct.name, start.path)
            view.portal_permission = start.permission
            bp.add_url_rule(
                f"/{start.path}",
                endpoint=endpoint(ct, start).partition(".")[2],
                view_func=view,
                methods=["GET", "POST"],
            )


def _start_view(type_name, path):
    def start_page():
        ct = engine.case_type(type_name)
        start = start_at(ct, path)
        origin = None
        if links.ORIGIN_ARG in request.values:
            # Opened from another case's page: only from one this user may see, of a type
            # this start follows; anything else is the 404 of a case that does not exist.
            origin = links.origin_case(
                ct, request.values.get(links.ORIGIN_ARG), current_user, g.school, start=start
            )
            if origin is None:
                abort(404)
        elif start.follow_up_only:
            return _elsewhere(ct, start)
        kw = {"user": current_user, "school": g.school, "origin": origin}
        if request.method == "POST":
            form = start.form(request.form)
        else:
            initial = call(start.prefill, args=request.args, **kw) if start.prefill else None
            if origin is not None:
                initial = {**_from_origin(form_class=start.form, origin=origin), **(initial or {})}
            if initial:
                # A start page filled in from another case shows that case's data (a pupil):
                # the row says from where (?incident=SCH-2026-0003), so that a child's
                # access log finds it.
                source = " ".join(f"{k}={v}" for k, v in sorted(request.args.items()))
                audit_view("case.start.prefill", detail=f"{type_name} {source}"[:200].strip())
            form = start.form(data=initial or None)
        notice, status = None, 200
        if request.method == "POST":
            if not form.validate():
                status = 422
            elif start.guard and (reason := engine.guard_reason(call(start.guard, form=form, **kw), form)):
                if reason != engine.CHECK_FIELDS:  # marked fields speak in the error summary
                    flash(reason, "error")
                status = 422
            elif start.check and (notice := call(start.check, form=form, **kw)):
                pass  # nothing to start: the notice says why (e.g. "dit mag al")
            else:
                case = engine.start_case(g.school, type_name, form, current_user, origin=origin, start=start)
                return _show(case, ct, start)
        extra = call(start.context, form=form, **kw) if start.context else {}
        return render_template(
            start.template or "cases/start.html",
            form=form,
            start=start,
            ct=ct,
            notice=notice,
            origin=origin,
            origin_arg=links.ORIGIN_ARG,
            **extra,
        ), status

    start_page.__name__ = f"start_{type_name.replace('.', '_')}_{_name(path)}"
    return start_page


def _elsewhere(ct, start):
    """A start that only follows another case, opened on its own: where such a case begins,
    with the start pages of the types it follows that this user may open (no form)."""
    places = [
        (other.start.label, url_for(endpoint(other)))
        for other in links.startable_types(start.follows, current_user, g.school)
    ]
    return render_template("cases/start_elsewhere.html", start=start, ct=ct, places=places)


def _from_origin(form_class, origin):
    """What a start page opened from another case fills in by itself: its pupil fields with
    that case's pupils of the register, in the order they were linked."""
    names = [name for name, field in form_class()._fields.items() if getattr(field, "kind", "") == "pupil"]
    pupils = [row.linked for row in case_pupils(origin) if row.linked is not None]
    return dict(zip(names, pupils, strict=False))


def _show(case, ct, start):
    """After the commit: the start's ``saved`` text, then the case (or the receipt), or the
    start page again (``then="start"``)."""
    flash(engine.fill(start.saved, {"reference": case.reference}))
    if start.then == "start":
        return redirect(url_for(endpoint(ct, start)))
    if can_view(case, current_user):
        return redirect(url_for("cases.detail", reference=case.reference))
    return redirect(url_for("cases.started", reference=case.reference))


def started(case):
    """The receipt for a starter who may not see the case itself (only for that starter)."""
    if case is None or case.created_by_id != current_user.id:
        abort(404)
    audit_view("case.receipt", case=case)
    return render_template(
        "cases/started.html", case=case, title=engine.case_type(case.case_type).title.lower()
    )
