"""Pages of the plugin the core does not have, mounted at /<school>/social_media/.

- ``index``: "Wat mag ik gebruiken?" for all staff, readable on a classroom screen;
- ``manage``: the directie keeps the allowed list;
- ``allowed_json``: the public feed for a web filter or device management;
- ``stylesheet``: the plugin's own CSS (large text), served by the portal itself.

The request page (/aanvragen) is the core's start page (workflow.START); deciding on
a request happens on the core's case page.
"""

import os

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import send_from_directory
from flask import url_for
from flask_login import current_user

from portal import api

from . import details
from .choices import GROUPS
from .forms import AllowedAppForm
from .models import AllowedApp

bp = Blueprint("social_media", __name__, template_folder="templates")

STATIC = os.path.join(os.path.dirname(__file__), "static")

# The feed changes when the directie decides; five minutes old is fine for a filter.
FEED_MAX_AGE = 300


@bp.route("/")
@api.requires("social_media.use")
def index():
    school, day = g.school, api.today()
    q = request.args.get("q", "").strip()[:200]
    group = request.args.get("groep", "")
    if group not in dict(GROUPS):
        group = ""
    q_domain = api.web_domain(q)  # a pasted address finds the entry that covers it

    def hit(domain, *texts):
        return details.matches(q, domain, *texts) or bool(q_domain and api.domain_covers(domain, q_domain))

    apps = [a for a in details.allowed_apps(school) if hit(a.domain, a.name, a.purpose)]
    approvals = [
        r for r in details.approvals_in_force(school, day, group) if hit(r.domain, r.name, r.purpose)
    ]
    return render_template(
        "social_media/index.html",
        apps=apps,
        approvals=approvals,
        q=q,
        group=group,
        groups=GROUPS,
        rules=api.get_setting(school, "social_media.school_rules") or "",
        # Only a web address becomes a link; anything else would be unsafe as href.
        guidelines_url=api.web_link(api.get_setting(school, "social_media.guidelines_url")),
    )


@bp.route("/lijst", methods=["GET", "POST"])
@api.requires("social_media.manage")
def manage():
    school = g.school
    form = AllowedAppForm(
        request.form if request.method == "POST" else None, since=api.today(), approved_by=current_user.name
    )
    if request.method == "POST" and form.validate():
        domain = form.address.domain
        existing = AllowedApp.get_or_none((AllowedApp.school == school.id) & (AllowedApp.domain == domain))
        if existing is None:
            name = api.clean(form.name)
            with api.atomic():
                AllowedApp.create(
                    school=school.id,
                    name=name,
                    domain=domain,
                    address=form.address.data,
                    purpose=api.clean(form.purpose),
                    since=form.since.data,
                    approved_by=api.clean(form.approved_by),
                    privacy_agreement=form.privacy_agreement.data,
                    pupil_data=",".join(form.pupil_data.data),
                    min_age=form.min_age.data,
                )
            api.audit("social_media.app.add", detail=domain)
            flash(f"{name} ({domain}) staat nu op de lijst.")
            return redirect(url_for("social_media.manage"))
        form.address.errors.append(f"{domain} staat al op de lijst (als {existing.name}).")
    return render_template(
        "social_media/manage.html",
        form=form,
        apps=details.allowed_apps(school),
        pending=details.pending(school),
    ), 422 if request.method == "POST" else 200


@bp.route("/lijst/<int:app_id>/verwijderen", methods=["POST"])
@api.requires("social_media.manage")
def remove(app_id):
    app = AllowedApp.get_or_none((AllowedApp.id == app_id) & (AllowedApp.school == g.school.id))
    if app is None:
        abort(404)
    with api.atomic():
        AllowedApp.delete().where(AllowedApp.id == app.id).execute()
    api.audit("social_media.app.remove", detail=app.domain)
    flash(f"{app.name} ({app.domain}) staat niet meer op de lijst.")
    return redirect(url_for("social_media.manage"))


@bp.route("/allowed.json")
@api.public
def allowed_json():
    """Allowed domains for a web filter: no names of people, no groups, no lesson text."""
    # Anonymous fetches may be cached briefly; the core turns this into no-store
    # for a logged-in user (authenticated pages never stay in a cache).
    return details.feed(g.school, api.today()), {"Cache-Control": f"public, max-age={FEED_MAX_AGE}"}


@bp.route("/social_media.css")
@api.public
def stylesheet():
    return send_from_directory(STATIC, "social_media.css", mimetype="text/css", max_age=3600)
