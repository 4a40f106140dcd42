"""Pages of the plugin, mounted by the core at /<school>/social_media/.

- ``index``: "Wat mag ik gebruiken?" for all staff, readable on a classroom screen;
- ``request_form``: a teacher asks permission (or hears at once that it is allowed);
- ``manage``: the directie keeps the allowed list;
- ``allowed_json``: the public feed for a web filter or device management;
- ``stylesheet``: the plugin's own CSS (large text), served by the portal itself.

Deciding on a request happens on the core's case page (transitions in workflow.py).
"""

import os

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import send_from_directory
from flask import url_for
from flask_login import current_user

from portal import mail
from portal.access import public
from portal.access import requires
from portal.access import users_with_permission
from portal.audit import audit
from portal.cases import engine
from portal.dates import today
from portal.db import atomic
from portal.settings import get_setting

from . import queries
from .domains import AddressError
from .domains import covers
from .domains import normalise_domain
from .forms import AllowedAppForm
from .forms import RequestForm
from .models import GROUPS
from .models import AllowedApp
from .models import AppRequest
from .models import groups_text
from .models import period_text
from .models import status_text
from .workflow import TYPE_NAME

bp = Blueprint("social_media", __name__, template_folder="templates")

STATIC = os.path.join(os.path.dirname(__file__), "static")

# The feed changes when the directie decides; five minutes old is fine for a filter.
FEED_MAX_AGE = 300


@bp.route("/")
@requires("social_media.use")
def index():
    school, day = g.school, today()
    q = request.args.get("q", "").strip()[:200]
    group = request.args.get("groep", "")
    if group not in dict(GROUPS):
        group = ""
    try:
        q_domain = normalise_domain(q) if q else None
    except AddressError:
        q_domain = None

    def hit(domain, *texts):
        return queries.matches(q, domain, *texts) or bool(q_domain and covers(domain, q_domain))

    apps = [a for a in queries.allowed_apps(school) if hit(a.domain, a.name, a.purpose)]
    approvals = [r for r in queries.approvals_in_force(school, day, group)
                 if hit(r.domain, r.name, r.purpose)]
    return render_template(
        "social_media/index.html", apps=apps, approvals=approvals, q=q, group=group,
        groups=GROUPS, day=day, groups_text=groups_text, period_text=period_text,
        rules=get_setting(school, "social_media.school_rules") or "",
        guidelines_url=_web_link(get_setting(school, "social_media.guidelines_url")),
    )


def _web_link(value):
    """Only an http(s) address becomes a link; anything else would be unsafe as href."""
    value = (value or "").strip()
    return value if value.lower().startswith(("https://", "http://")) else ""


@bp.route("/aanvragen", methods=["GET", "POST"])
@requires("social_media.request")
def request_form():
    school = g.school
    form = RequestForm(request.form if request.method == "POST" else None,
                       address=request.args.get("adres", "")[:500])
    notice = None
    status = 200
    if request.method == "POST":
        if form.validate():
            allowed = queries.already_allowed(school, form.domain)
            if allowed is not None:
                # No case: it is allowed already, say so at once.
                notice = allowed
            else:
                case = _create_request(school, form)
                flash(f"Uw aanvraag {case.reference} is naar de directie gestuurd. U ziet het "
                      "besluit op het dashboard en krijgt een e-mail.")
                return redirect(url_for("social_media.request_form"))
        else:
            status = 422
    return render_template(
        "social_media/request.html", form=form, notice=notice, mine=queries.requests_of(
            school, current_user), day=today(), groups_text=groups_text,
        period_text=period_text, status_text=status_text,
    ), status


def _create_request(school, form):
    label = form.name.data.strip() or form.domain
    groups = ",".join(form.groups.data)
    title = f"{label} voor {groups_text(groups)}"
    with atomic():
        case = engine.create_case(school, TYPE_NAME, title, current_user)
        AppRequest.create(
            case=case, school=school.id, requested_by=current_user.id, name=label[:120],
            address=form.url, domain=form.domain, groups=groups, purpose=form.purpose.data,
            kind=form.kind.data, start_date=form.start_date.data, end_date=form.end_date.data,
        )
        link = url_for("cases.detail", reference=case.reference, _external=True)
        for person in users_with_permission(school, "social_media.decide"):
            mail.queue(person.email, f"Nieuwe aanvraag: {label} ({case.reference})",
                       f"{current_user.name} vraagt toestemming om {label} ({form.domain}) te "
                       f"gebruiken in {groups_text(groups)}.\n\nBesluit hier: {link}",
                       school=school)
    audit("social_media.request", case=case, detail=form.domain)
    return case


@bp.route("/lijst", methods=["GET", "POST"])
@requires("social_media.manage")
def manage():
    school = g.school
    form = AllowedAppForm(request.form if request.method == "POST" else None,
                          since=today(), approved_by=current_user.name)
    status = 200
    if request.method == "POST":
        if form.validate():
            existing = AllowedApp.get_or_none(
                (AllowedApp.school == school.id) & (AllowedApp.domain == form.domain))
            if existing is not None:
                form.address.errors.append(
                    f"{form.domain} staat al op de lijst (als {existing.name}).")
                status = 422
            else:
                with atomic():
                    AllowedApp.create(
                        school=school.id, name=form.name.data.strip(), domain=form.domain,
                        address=form.url, purpose=form.purpose.data.strip(),
                        since=form.since.data, approved_by=form.approved_by.data.strip(),
                    )
                audit("social_media.app.add", detail=form.domain)
                flash(f"{form.name.data.strip()} ({form.domain}) staat nu op de lijst.")
                return redirect(url_for("social_media.manage"))
        else:
            status = 422
    return render_template(
        "social_media/manage.html", form=form, apps=queries.allowed_apps(school),
        pending=queries.pending(school), groups_text=groups_text, period_text=period_text,
    ), status


@bp.route("/lijst/<int:app_id>/verwijderen", methods=["POST"])
@requires("social_media.manage")
def remove(app_id):
    app = AllowedApp.get_or_none((AllowedApp.id == app_id) & (AllowedApp.school == g.school.id))
    if app is None:
        abort(404)
    with atomic():
        AllowedApp.delete().where(AllowedApp.id == app.id).execute()
    audit("social_media.app.remove", detail=app.domain)
    flash(f"{app.name} ({app.domain}) staat niet meer op de lijst.")
    return redirect(url_for("social_media.manage"))


@bp.route("/allowed.json")
@public
def allowed_json():
    """Allowed domains for a web filter: no names of people, no groups, no lesson text."""
    response = jsonify(queries.feed(g.school, today()))
    # Anonymous fetches may be cached briefly; the core turns this into no-store
    # for a logged-in user (authenticated pages never stay in a cache).
    response.headers["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


@bp.route("/social_media.css")
@public
def stylesheet():
    return send_from_directory(STATIC, "social_media.css", mimetype="text/css",
                               max_age=3600)
