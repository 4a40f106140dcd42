"""The school's external partners and the log of its network meetings, at /<school>/partners/.

Every protocol calls in the same organisations (schoolmaatschappelijk werk, the GGD, the
wijkagent, ...), so the list belongs to the school, not to one plugin: every staff member
looks a contact up here, holders of ``portal.partners`` keep it up to date, and a plugin
offers the school's partners in its own forms (``partner_choices``) and points to them
(``Partner``). Removing a partner only hides it: a case that engaged it keeps the link and
the name. The same permission keeps the log of the monthly IB network and the
samenwerkingsverband meetings. Every change is audited, in the transaction of the change.

``adopt_partners`` is for a plugin's migration that hands its own partner table over to
the core (the trauma plugin had one).
"""

import re

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from .access import has_permission
from .access import requires
from .audit import audit
from .dates import today
from .db import atomic
from .db import constant_sql
from .db import is_sqlite
from .forms import DateField
from .forms import Form
from .forms import InputRequired
from .forms import RadioField
from .forms import SelectField
from .forms import clean
from .forms import email_field
from .forms import line
from .forms import not_in_future
from .forms import phone_field
from .forms import text
from .migrations.m0006_partners import partner_statements
from .models import NetworkMeeting
from .models import Partner

LIST = "portal.partner_list"
MANAGE = "portal.partners"

PARTNER_KINDS = (
    ("smw", "Schoolmaatschappelijk werk"),
    ("ggd", "GGD"),
    ("wijkagent", "Wijkagent"),
    ("jeugdopbouwwerker", "Jeugdopbouwwerker"),
    ("veilig_thuis", "Veilig Thuis"),
    ("leerplicht", "Leerplicht"),
    ("slachtofferhulp", "Slachtofferhulp"),
    ("samenwerkingsverband", "Samenwerkingsverband"),
    ("anders", "Anders"),
)

MEETING_KINDS = (
    ("ib_netwerk", "Maandelijks IB-netwerk"),
    ("samenwerkingsverband", "Overleg samenwerkingsverband"),
)

bp = Blueprint("partners", __name__, url_prefix="/<school>/partners")


def partner_kind_label(key):
    """The Dutch label of a partner kind (the key itself when unknown)."""
    return dict(PARTNER_KINDS).get(key, key)


def partner_choices(school):
    """[(id, "Organisation (kind)")] of the school's partners in the list, by name: the
    choices of a plugin's form, so that another school's partner is no valid choice."""
    if school is None:
        return []
    partners = active_partners(school).order_by(Partner.organisation, Partner.id)
    return [(p.id, f"{p.organisation} ({partner_kind_label(p.kind)})") for p in partners]


def active_partners(school):
    return Partner.select().where((Partner.school == school.id) & Partner.active)


def tel_link(phone):
    """``tel:`` with the digits (and a leading +) of ``phone``, or "" when the field holds
    more than a number (text typed before numbers were checked: shown, not linked)."""
    number = phone.strip()
    if not re.fullmatch(r"\+?[0-9()\- ]{6,20}", number):
        return ""
    return "tel:" + "+" * number.startswith("+") + re.sub(r"\D", "", number)


# -------------------------------------------------------------------- forms ----


class PartnerForm(Form):
    # autocomplete off: a browser must not fill in the user's own name, number or address
    # for a partner's contact.
    organisation = line("Organisatie", 200, "Vul de naam van de organisatie in.")
    kind = SelectField("Soort", choices=PARTNER_KINDS, choice_message="Kies de soort partner.")
    contact_person = line("Contactpersoon", 200, render_kw={"autocomplete": "off"})
    phone = phone_field("Telefoon", render_kw={"autocomplete": "off"})
    email = email_field("E-mailadres", render_kw={"autocomplete": "off"})
    notes = text("Opmerkingen", 2000)


class MeetingForm(Form):
    held_on = DateField(
        "Datum", default=today, validators=[InputRequired("Vul de datum in (dd-mm-jjjj)."), not_in_future]
    )
    kind = RadioField(
        "Soort overleg", choices=MEETING_KINDS, validators=[InputRequired("Kies het soort overleg.")]
    )
    attendees = text(
        "Wie waren er?", 2000, "Vul in wie er waren.", description="Namen en organisaties van de deelnemers."
    )
    topics = text(
        "Besproken onderwerpen",
        5000,
        "Vul in wat er is besproken.",
        description='Zonder namen van kinderen: schrijf bijvoorbeeld "een leerling uit groep 5".',
    )


PARTNER_FIELDS = ("organisation", "kind", "contact_person", "phone", "email", "notes")


def _values(form):
    return {name: clean(form[name]) for name in PARTNER_FIELDS}


# -------------------------------------------------------------------- pages ----


def _list_page(form, status=200):
    # In the order of the kinds (the school's social work first), then by name.
    order = {key: n for n, (key, _label) in enumerate(PARTNER_KINDS)}
    rows = sorted(
        active_partners(g.school), key=lambda p: (order.get(p.kind, len(order)), p.organisation.lower(), p.id)
    )
    return render_template(
        "partners/index.html",
        partners=rows,
        form=form,
        may_edit=form is not None,
        tel_link=tel_link,
        kind_label=partner_kind_label,
    ), status


@bp.route("/")
@requires(LIST)
def index():
    """Every staff member may look a contact up; changing the list needs portal.partners."""
    return _list_page(PartnerForm() if has_permission(current_user, g.school, MANAGE) else None)


@bp.route("/nieuw", methods=["POST"])
@requires(MANAGE)
def new():
    form = PartnerForm(request.form)
    if not form.validate():
        return _list_page(form, 422)
    with atomic():
        partner = Partner.create(school=g.school.id, **_values(form))
        audit("partners.new", detail=str(partner.id))
    flash(f"{partner.organisation} is toegevoegd.")
    return redirect(url_for("partners.index"))


def _partner_or_404(partner_id):
    partner = active_partners(g.school).where(Partner.id == partner_id).first()
    if partner is None:
        abort(404)
    return partner


@bp.route("/<int:partner_id>", methods=["GET", "POST"])
@requires(MANAGE)
def edit(partner_id):
    partner = _partner_or_404(partner_id)
    if request.method == "GET":
        return render_template("partners/edit.html", form=PartnerForm(obj=partner), partner=partner)
    form = PartnerForm(request.form)
    if not form.validate():
        return render_template("partners/edit.html", form=form, partner=partner), 422
    values = _values(form)
    # The audit row names the fields that changed, not their values.
    changed = [name for name in PARTNER_FIELDS if getattr(partner, name) != values[name]]
    with atomic():
        Partner.update(**values).where(Partner.id == partner.id).execute()
        audit("partners.edit", detail=f"{partner.id}: {', '.join(changed) or 'niets gewijzigd'}")
    flash("De gegevens van de partner zijn opgeslagen.")
    return redirect(url_for("partners.index"))


@bp.route("/<int:partner_id>/verwijderen", methods=["POST"])
@requires(MANAGE)
def remove(partner_id):
    partner = _partner_or_404(partner_id)
    with atomic():
        # Hidden, not deleted: cases that engaged this partner keep their record.
        Partner.update(active=False).where(Partner.id == partner.id).execute()
        audit("partners.remove", detail=str(partner.id))
    flash(f"{partner.organisation} staat niet meer in de lijst.")
    return redirect(url_for("partners.index"))


@bp.route("/overleg", methods=["GET", "POST"])
@requires(MANAGE)
def meetings():
    form = MeetingForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        with atomic():
            meeting = NetworkMeeting.create(
                school=g.school.id,
                held_on=form.held_on.data,
                kind=form.kind.data,
                attendees=clean(form.attendees),
                topics=clean(form.topics),
                created_by=current_user.id,
            )
            audit("partners.meeting", detail=f"{meeting.id}: {meeting.kind} {meeting.held_on}")
        flash("Het overleg is vastgelegd.")
        return redirect(url_for("partners.meetings"))
    rows = list(
        NetworkMeeting.select()
        .where(NetworkMeeting.school == g.school.id)
        .order_by(NetworkMeeting.held_on.desc(), NetworkMeeting.id.desc())
    )
    return render_template(
        "partners/meetings.html", form=form, rows=rows, kinds=dict(MEETING_KINDS)
    ), 422 if form.errors else 200


def init_app(app):
    app.register_blueprint(bp)


# --------------------------------------------------------------------- demo ----

# Fictional partners for the demo school (no real names or numbers).
DEMO_PARTNERS = [
    (
        "Schoolmaatschappelijk werk Almere Haven (demo)",
        "smw",
        "Noor Bakker",
        "036 000 1101",
        "smw@partners.demo",
        "Spreekuur op dinsdagochtend op school.",
    ),
    (
        "GGD Flevoland, jeugdgezondheidszorg (demo)",
        "ggd",
        "Pieter Smit",
        "036 000 1102",
        "jgz@partners.demo",
        "Kan een crisisteam adviseren bij rouw in de groep.",
    ),
    (
        "Wijkagent Haven-Centrum (demo)",
        "wijkagent",
        "Agent Lotte Visser",
        "0900 000 0001",
        "",
        "Bij geweld of een ongeval met politie-inzet.",
    ),
    (
        "Jeugdopbouwwerk De Meent (demo)",
        "jeugdopbouwwerker",
        "Dewi Hendriks",
        "036 000 1104",
        "jow@partners.demo",
        "Neemt deel aan het maandelijkse netwerk in Almere Haven.",
    ),
    ("Veilig Thuis (demo)", "veilig_thuis", "", "0900 000 0002", "", "Advies en meldingen."),
    (
        "Slachtofferhulp (demo)",
        "slachtofferhulp",
        "Sam de Wit",
        "0900 000 0003",
        "info@slachtofferhulp.demo",
        "Ondersteuning na geweld of een ernstig ongeval.",
    ),
]


def add_demo(school):
    if Partner.select().where(Partner.school == school.id).exists():
        return
    for organisation, kind, person, phone, email, notes in DEMO_PARTNERS:
        Partner.create(
            school=school.id,
            organisation=organisation,
            kind=kind,
            contact_person=person,
            phone=phone,
            email=email,
            notes=notes,
        )


# --------------------------------------------------------------- migrations ----

COLUMNS = ("school_id", "organisation", "kind", "contact_person", "phone", "email", "notes", "active")


def adopt_partners(db, table, permission=None):
    """For a plugin's migration: the rows of its own partner table ``table`` (with the columns
    of ``portal_partner``) become the school's partners in the core, every foreign key that
    pointed to ``table`` points to ``portal_partner`` instead, and ``table`` is dropped.
    Returns {old id: new id} of every row moved.

    A row keeps its id unless the core's table has that id already (it is empty the day the
    core gets it: the core's migrations run first); then it gets one higher than every id
    of both tables, and the references follow it. ``permission`` is the plugin's own
    permission for its list: a school's changes to who holds it move to ``portal.partners``.

    Migrations call this, so it must keep doing what it does: change it only in a way that
    gives every migration that used it the same result.
    """
    for statement in partner_statements():  # if the core's own migration has not run yet
        db.execute_sql(statement)
    names = ", ".join(f'"{c}"' for c in ("id", *COLUMNS))
    rows = db.execute_sql(f'SELECT {names} FROM "{table}" ORDER BY "id"').fetchall()  # noqa: S608
    taken = {row[0] for row in db.execute_sql('SELECT "id" FROM "portal_partner"')}
    next_id = max(taken | {row[0] for row in rows}, default=0) + 1
    moved = {}
    insert = constant_sql(
        f'INSERT INTO "portal_partner" ({names}) VALUES '  # noqa: S608
        f"({', '.join('?' * (len(COLUMNS) + 1))})"
    )
    for old_id, *values in rows:
        new_id = old_id
        if old_id in taken:
            new_id, next_id = next_id, next_id + 1
        db.execute_sql(insert, (new_id, *values))
        moved[old_id] = new_id
    references = [
        (t, fk.column)
        for t in db.get_tables()
        for fk in db.get_foreign_keys(t)
        if fk.dest_table == table and t != table
    ]
    # Each reference is let go, set to the new ids, then bound to the core's table. A new id
    # is above every old one, so one row is never moved twice.
    bind = [_let_go(db, t, column, table) for t, column in references]
    for t, column in references:
        for old_id, new_id in moved.items():
            if new_id != old_id:
                db.execute_sql(
                    constant_sql(
                        f'UPDATE "{t}" SET "{column}" = ? '  # noqa: S608
                        f'WHERE "{column}" = ?'
                    ),
                    (new_id, old_id),
                )
    for statement in bind:
        if statement:
            db.execute_sql(statement)
    db.execute_sql(f'DROP TABLE "{table}"')
    if not is_sqlite():  # explicit ids leave the sequence behind; the next insert would collide
        db.execute_sql(
            "SELECT setval(pg_get_serial_sequence('\"portal_partner\"', 'id'), "
            '(SELECT COALESCE(MAX("id"), 0) + 1 FROM "portal_partner"), false)'
        )
    if permission:
        db.execute_sql(
            constant_sql(
                'UPDATE "portal_role_permission" SET "permission" = ? WHERE "permission" = ? AND NOT '
                'EXISTS (SELECT 1 FROM "portal_role_permission" AS o WHERE o."permission" = ? AND '
                'o."school_id" = "portal_role_permission"."school_id" AND '
                'o."role" = "portal_role_permission"."role")'
            ),
            (MANAGE, permission, MANAGE),
        )
    return moved


def _let_go(db, table, column, old):
    """Free ``table.column`` of its foreign key to ``old``; returns the statement that binds it
    to ``portal_partner`` again with the same ON DELETE (None: already done).

    PostgreSQL: the constraint is dropped, and added back under the same name (the one a
    fresh database gets). SQLite cannot alter a foreign key: the table is made anew, as
    https://www.sqlite.org/lang_altertable.html describes, with foreign keys off (the
    migration runner sees to that), and ``PRAGMA foreign_key_check`` runs before the commit.
    """
    target = re.compile(rf'REFERENCES\s+"?{re.escape(old)}"?\s*\(')
    if not is_sqlite():
        name, definition = db.execute_sql(
            "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
            "WHERE c.contype = 'f' AND r.relname = %s AND p.relname = %s AND a.attname = %s "
            "AND pg_table_is_visible(r.oid)",
            (table, old, column),
        ).fetchone()
        db.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        return f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" ' + target.sub(
            'REFERENCES "portal_partner"(', definition
        )
    (create,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    indexes = [
        row[0]
        for row in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
    ]
    fresh = f"{table}__nieuw"
    create = re.sub(r'^CREATE TABLE\s+"?\w+"?', f'CREATE TABLE "{fresh}"', create)
    db.execute_sql(target.sub('REFERENCES "portal_partner" (', create))
    db.execute_sql(f'INSERT INTO "{fresh}" SELECT * FROM "{table}"')  # noqa: S608
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{fresh}" RENAME TO "{table}"')
    for statement in indexes:
        db.execute_sql(statement)
    return None
