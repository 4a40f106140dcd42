"""The board's own pages, for the board-wide beheerder only (``BOARD_ADMIN``): the schools
(new, details, archive, restore) and single sign-on for the whole board.

They live outside any school (/beheer/…): a school's beheerder, who manages one school,
never reaches them (403), and no school's permission grid can hand them out.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import Length

from .. import sso
from ..access import BOARD_ADMIN
from ..access import requires
from ..audit import audit
from ..audit import audit_view
from ..db import atomic
from ..forms import BooleanField
from ..forms import Form
from ..forms import SelectField
from ..forms import line
from ..forms import no_nul
from ..forms import text
from ..models import School
from ..models import SsoConfig
from ..models import User
from ..models import UserRole
from ..models import utcnow
from ..secretbox import seal
from ..urls import external_url
from .schools import NewSchoolForm
from .schools import SchoolForm
from .schools import archive_school
from .schools import create_school
from .schools import restore_school
from .schools import update_school
from .schools import values_of

bp = Blueprint("board", __name__, url_prefix="/beheer")

ARCHIVE_MEANS = (
    "Archiveren sluit de school: niemand kan haar pagina's nog openen, ook ouders het "
    "klachtenformulier en de volgpagina niet, en zij staat in niemands lijst van scholen. "
    "Alle gegevens blijven bewaard (zaken, brieven, leerlingen, het auditlog) tot hun "
    "bewaartermijn verstrijkt. Terugzetten kan altijd; dan is alles er weer zoals het was."
)


def _school(slug):
    school = School.get_or_none(School.slug == slug)
    if school is None:
        abort(404)
    return school


@bp.route("/")
@requires(BOARD_ADMIN)
def schools():
    rows = list(School.select().order_by(School.archived_at.is_null(False), School.name))
    return render_template("admin/board_schools.html", schools=rows, sso=sso.config_row())


@bp.route("/scholen/nieuw", methods=["GET", "POST"])
@requires(BOARD_ADMIN)
def new_school():
    form = NewSchoolForm(request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            school = create_school(form.slug.data, values_of(form))
            flash(
                f"{school.name} is aangemaakt, zonder onderdelen en met de standaardinstellingen. "
                "Hieronder staat wat er nog moet gebeuren."
            )
            return redirect(url_for("admin.index", school=school.slug))
    return render_template("admin/board_school.html", form=form, school=None), status


@bp.route("/scholen/<slug>", methods=["GET", "POST"])
@requires(BOARD_ADMIN)
def school(slug):
    row = _school(slug)
    form = SchoolForm(request.form if request.method == "POST" else None, obj=row)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            changed = update_school(row, values_of(form))
            flash(
                f"De gegevens van {form.name.data} zijn opgeslagen." if changed else "Er was niets gewijzigd."
            )
            return redirect(url_for("board.school", slug=row.slug))
    return render_template(
        "admin/board_school.html", form=form, school=row, archive_means=ARCHIVE_MEANS
    ), status


@bp.route("/scholen/<slug>/archiveren", methods=["POST"])
@requires(BOARD_ADMIN)
def archive(slug):
    row = _school(slug)
    if request.form.get("bevestig") != "1":
        form = SchoolForm(obj=row)
        return render_template(
            "admin/board_school.html",
            form=form,
            school=row,
            archive_means=ARCHIVE_MEANS,
            confirm_error="Vink aan dat u begrijpt wat archiveren betekent.",
        ), 422
    if archive_school(row):
        flash(f"{row.name} is gearchiveerd.")
    return redirect(url_for("board.school", slug=row.slug))


@bp.route("/scholen/<slug>/terugzetten", methods=["POST"])
@requires(BOARD_ADMIN)
def restore(slug):
    row = _school(slug)
    if restore_school(row):
        flash(f"{row.name} is weer open.")
    return redirect(url_for("board.school", slug=row.slug))


# ------------------------------------------------------------ single sign-on ----


def check_issuer(value):
    """A Dutch reason why ``value`` cannot be the issuer, or None. https, no query or
    fragment; plain http only for the portal's own machine outside production (a test
    provider)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return "Dit is geen geldig adres."
    if parts.query or parts.fragment or not parts.hostname:
        return "Vul het adres van de issuer in, zonder ? of #, zoals https://accounts.google.com."
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    production = current_app.config["PORTAL_ENV"] == "production"
    if parts.scheme != "https" and not (parts.scheme == "http" and local and not production):
        return "De issuer moet een https-adres zijn."
    return None


def _domain_problem(domain):
    from ..webaddress import domain_of

    if domain_of(domain) != domain or domain.startswith("www."):
        return f"‘{domain}’ is geen domein. Vul domeinen in zoals klaverweide.nl, één per regel."
    return None


class SsoForm(Form):
    enabled = BooleanField("Inloggen via de identiteitsprovider aan")
    button_label = line(
        "Tekst op de knop",
        100,
        description=f"Bijvoorbeeld ‘Inloggen met Microsoft’. Leeg: ‘{sso.DEFAULT_LABEL}’.",
    )
    issuer = line(
        "Issuer",
        500,
        description="Entra ID: https://login.microsoftonline.com/<tenant-id>/v2.0 · Google Workspace: "
        "https://accounts.google.com",
    )
    client_id = line("Client-ID", 300)
    client_secret = PasswordField(
        "Clientgeheim",
        description="Wordt versleuteld opgeslagen en nooit getoond. Laat leeg om het opgeslagen "
        "geheim te houden.",
        validators=[Length(max=500), no_nul],
        render_kw={"autocomplete": "off"},
    )
    domains = text(
        "Toegestane e-maildomeinen",
        2000,
        description="Eén per regel, zoals klaverweide.nl. Alleen accounts met een adres in deze "
        "domeinen kunnen zo inloggen.",
    )
    mfa_acr_values = text(
        "acr-waarden die als tweede stap tellen (optioneel)",
        500,
        description="Eén per regel. Een aanmelding telt ook als tweestaps als het ID-token ‘mfa’ "
        "in amr noemt.",
    )
    passwords_off = BooleanField("Wachtwoorden uitzetten: iedereen logt in via de identiteitsprovider")
    break_glass = SelectField(
        "Noodaccount (blijft met wachtwoord en tweestapsverificatie inloggen)",
        choices=[],
        choice_message="Kies een bestuursbrede beheerder als noodaccount.",
    )

    def check(self):
        problems = {}
        if self.enabled.data:
            issuer = (self.issuer.data or "").strip()
            if not issuer:
                problems["issuer"] = "Vul de issuer in."
            elif reason := check_issuer(issuer):
                problems["issuer"] = reason
            if not (self.client_id.data or "").strip():
                problems["client_id"] = "Vul de client-ID in."
            if not self.client_secret.data and not self.has_secret:
                problems["client_secret"] = "Vul het clientgeheim in."  # noqa: S105 - a message
            domains = sso.lines(self.domains.data)
            if not domains:
                problems["domains"] = "Vul minstens één e-maildomein in."
            for domain in domains:
                if reason := _domain_problem(domain):
                    problems["domains"] = reason
                    break
        if self.passwords_off.data:
            if not self.enabled.data:
                problems["passwords_off"] = "Zet eerst inloggen via de identiteitsprovider aan."
            if not self.break_glass.data:
                problems["break_glass"] = (
                    "Kies een noodaccount: anders kan bij een storing van de identiteitsprovider "
                    "niemand meer inloggen."
                )
        return problems


def _board_admins():
    return list(
        User.select()
        .join(UserRole)
        .where(
            (UserRole.role == "beheerder") & UserRole.school.is_null() & (User.active == True)  # noqa: E712
        )
        .distinct()
        .order_by(User.name)
    )


@bp.route("/inloggen", methods=["GET", "POST"])
@requires(BOARD_ADMIN)
def sso_settings():
    row = sso.config_row() or SsoConfig(domains="", mfa_acr_values="")
    form = SsoForm(request.form if request.method == "POST" else None, obj=row)
    form.has_secret = bool(row.client_secret)
    form.break_glass.choices = [("", "(geen)")] + [
        (str(u.id), f"{u.name} ({u.email})") for u in _board_admins()
    ]
    # The row's break_glass is a User; the field holds an id as text (none posted: none).
    if request.method == "GET":
        form.break_glass.data = str(row.break_glass_id) if row.break_glass_id else ""
        form.client_secret.data = ""
    else:
        form.break_glass.data = request.form.get("break_glass", "")
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate() and _provider_answers(form):
            _save(row, form)
            flash("De instellingen voor inloggen zijn opgeslagen.")
            return redirect(url_for("board.sso_settings"))
    if request.method == "GET":
        audit_view("admin.sso.view")
    return render_template(
        "admin/sso.html",
        form=form,
        row=row,
        callback=external_url("sso.callback"),
    ), status


def _provider_answers(form):
    """Switching on: the issuer's discovery document must answer and fit, or it says why."""
    if not form.enabled.data:
        return True
    sso.forget_provider()
    try:
        sso.provider(SimpleNamespace(issuer=form.issuer.data.strip()))
    except sso.SsoRefused as refused:
        form.issuer.errors = [
            *form.issuer.errors,
            "Het discovery-document van deze issuer kon niet worden opgehaald of klopt niet "
            f"({refused.reason}). Controleer het adres.",
        ]
        return False
    return True


def _save(row, form):
    values = {
        "enabled": bool(form.enabled.data),
        "button_label": (form.button_label.data or "").strip(),
        "issuer": (form.issuer.data or "").strip(),
        "client_id": (form.client_id.data or "").strip(),
        "domains": "\n".join(sso.lines(form.domains.data)),
        "mfa_acr_values": "\n".join(sso.lines(form.mfa_acr_values.data)),
        "passwords_off": bool(form.passwords_off.data),
        "break_glass": int(form.break_glass.data) if form.break_glass.data else None,
    }
    changed = [
        name
        for name, value in values.items()
        if (getattr(row, name + "_id") if name == "break_glass" else getattr(row, name)) != value
    ]
    if form.client_secret.data:
        values["client_secret"] = seal(form.client_secret.data, "sso")
        changed.append("client_secret")
    values.update(updated_at=utcnow(), updated_by=current_user.id)
    with atomic():
        if row.id is None:
            SsoConfig.create(**values)
        else:
            SsoConfig.update(**values).where(SsoConfig.id == row.id).execute()
        # The names of what changed, never the secret.
        audit("admin.sso", detail=" ".join(changed) or "ongewijzigd")
    sso.forget_provider()
    return changed
