"""The register's pages at /<school>/leerlingen/, a pupil's chronology, the picker's search,
the import and the bestuur's figures.

- The list (search by name, number or group, per school year), adding, changing, marking a
  pupil as left or back at school, and the import: ``portal.pupils`` (directie, IB,
  beheerder). Every page that shows one pupil writes an audit row naming the child; a
  list or a search writes one row saying which list, never the words searched (they may
  be a child's name).
- The chronology: every case about the child that the viewer may see, newest first. The
  directie and IB (``portal.pupil_chronology``) open it for any pupil of their school;
  anyone else only for a pupil in a case they may see, and sees only those cases.
- ``kiezen``: the picker's suggestions (``portal.pupil_pick``): name, group and number of
  at most ten pupils still at school, never more about them.
- ``cijfers``: counts per school for the bestuur (``portal.pupil_figures``), never a name.
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import wtforms
from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from werkzeug.datastructures import CombinedMultiDict

from ..access import has_permission
from ..access import requires
from ..access import schools_of
from ..audit import audit
from ..audit import audit_view
from ..cases.visibility import visible_types
from ..dates import nl_date
from ..dates import today
from ..db import constant_sql
from ..db import database
from ..forms import BooleanField
from ..forms import Form
from ..forms import SelectField
from ..forms import bounded_int
from ..forms import clean
from ..forms import date_field
from ..forms import line
from ..models import Pupil
from ..registry import get_registry
from . import PupilRefused
from . import full_name
from . import group_history
from . import group_names
from . import group_years
from . import groups_now
from . import has_left
from . import importer
from . import in_school
from . import mark_left
from . import role_label
from . import save
from . import school_year
from . import search
from . import with_group
from .field import CANDIDATES
from .field import PICK

MANAGE = "portal.pupils"
CHRONOLOGY = "portal.pupil_chronology"
FIGURES = "portal.pupil_figures"
PAGE_SIZE = 100
YEAR_RE = re.compile(r"(\d{4})-(\d{4})")

bp = Blueprint("pupils", __name__, url_prefix="/<school>/leerlingen")


class PupilForm(Form):
    las_number = line(
        "Leerlingnummer",
        40,
        "Vul het leerlingnummer in (uit ParnasSys of ESIS).",
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    first_name = line("Voornaam (roepnaam)", 100, "Vul de voornaam in.", render_kw={"autocomplete": "off"})
    prefix = line("Tussenvoegsel", 40, render_kw={"autocomplete": "off"})
    last_name = line("Achternaam", 150, "Vul de achternaam in.", render_kw={"autocomplete": "off"})
    birth_date = date_field("Geboortedatum", None, past=True)
    group = line(
        "Groep dit schooljaar",
        20,
        description="De naam die de school gebruikt, bijvoorbeeld 5b of 1/2a.",
        render_kw={"autocomplete": "off"},
    )
    enrolled_on = date_field("Ingeschreven op", None)

    pupil_id = None

    def check(self):
        marked = {}
        number = clean(self.las_number)
        if number and not self.las_number.errors:
            if not importer.LAS_RE.fullmatch(number):
                marked["las_number"] = (
                    "Een leerlingnummer bestaat uit cijfers en letters (en eventueel - . /), zonder spaties."
                )
            else:
                taken = Pupil.get_or_none(
                    (Pupil.school == g.school.id)
                    & (Pupil.las_number == number)
                    & (Pupil.id != (self.pupil_id or 0))
                )
                if taken is not None:
                    marked["las_number"] = (
                        f"Dit leerlingnummer heeft al een andere leerling: {full_name(taken)}."
                    )
        born, enrolled = self.birth_date.data, self.enrolled_on.data
        if born and enrolled and enrolled < born:
            marked["enrolled_on"] = "De inschrijving ligt voor de geboortedatum."
        return marked


class LeftForm(Form):
    left_on = date_field("Uitgeschreven op", default=today)

    enrolled_on = None

    def check(self):
        if self.left_on.data and self.enrolled_on and self.left_on.data < self.enrolled_on:
            return {
                "left_on": f"De leerling is pas op {nl_date(self.enrolled_on)} ingeschreven: "
                "uitschrijven kan niet eerder."
            }
        return None


def _values(form):
    return {
        "las_number": clean(form.las_number),
        "first_name": clean(form.first_name),
        "prefix": clean(form.prefix),
        "last_name": clean(form.last_name),
        "birth_date": form.birth_date.data,
        "enrolled_on": form.enrolled_on.data,
    }


def _pupil_or_404(pupil_id):
    pupil = in_school(g.school, pupil_id)
    if pupil is None:
        abort(404)
    return pupil


def _year_arg(value):
    """A school year "2025-2026" from the query string, else this one."""
    m = YEAR_RE.fullmatch(value or "")
    if m and int(m.group(2)) == int(m.group(1)) + 1:
        return value
    return school_year()


# ---------------------------------------------------------------- register ----


@bp.route("/")
@requires(MANAGE)
def index():
    args = request.args
    query = args.get("q", "").strip()[:100]
    group = args.get("groep", "").strip()[:20]
    year = _year_arg(args.get("jaar", ""))
    with_left = args.get("vertrokken") == "1"
    try:
        offset = max(0, bounded_int(args.get("vanaf", "0") or "0"))
    except ValueError:
        offset = 0
    offset = min(offset, 100_000)
    rows = search(
        g.school, query, limit=offset + PAGE_SIZE + 1, include_left=with_left, group=group, year=year
    )[offset:]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    # Which list, not which names: the search words may be a child's name.
    audit_view(
        "pupil.list",
        detail=f"jaar={year} groep={group} vertrokken={int(with_left)} "
        f"zoekwoorden={len(query.split())} rijen={len(rows)}",
    )
    next_url = None
    if more:
        next_url = url_for("pupils.index", **{**args.to_dict(), "vanaf": offset + PAGE_SIZE})
    return render_template(
        "pupils/index.html",
        rows=rows,
        query=query,
        group=group,
        groups=group_names(g.school, year),
        year=year,
        years=group_years(g.school),
        this_year=school_year(),
        with_left=with_left,
        next_url=next_url,
        has_left=has_left,
        nl_date=nl_date,
        may_see_chronology=has_permission(current_user, g.school, CHRONOLOGY),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires(MANAGE)
def new():
    form = PupilForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        try:
            pupil = save(g.school, _values(form), clean(form.group), user=current_user)
        except PupilRefused as refused:
            form.las_number.errors = [refused.reason]
        else:
            flash(f"{full_name(pupil)} staat in de leerlingenlijst.")
            return redirect(url_for("pupils.edit", pupil_id=pupil.id))
    return render_template("pupils/edit.html", form=form, pupil=None), 422 if form.errors else 200


@bp.route("/<int:pupil_id>/bewerken", methods=["GET", "POST"])
@requires(MANAGE)
def edit(pupil_id):
    pupil = _pupil_or_404(pupil_id)
    if request.method == "GET":
        audit_view("pupil.view", detail=f"leerling {pupil.id}", pupil=pupil)
        group = groups_now(g.school, [pupil.id]).get(pupil.id, "")
        form = PupilForm(obj=pupil, group=group)
        form.pupil_id = pupil.id
        return _edit_page(form, pupil)
    form = PupilForm(request.form)
    form.pupil_id = pupil.id
    if not form.validate():
        return _edit_page(form, pupil, 422)
    try:
        save(g.school, _values(form), clean(form.group), pupil=pupil, user=current_user)
    except PupilRefused as refused:
        form.las_number.errors = [refused.reason]
        return _edit_page(form, pupil, 422)
    flash(f"De gegevens van {full_name(_pupil_or_404(pupil_id))} zijn opgeslagen.")
    return redirect(url_for("pupils.edit", pupil_id=pupil.id))


def _edit_page(form, pupil, status=200, left_form=None):
    return render_template(
        "pupils/edit.html",
        form=form,
        pupil=pupil,
        has_left=has_left,
        left_form=left_form or LeftForm(),
        nl_date=nl_date,
        history=group_history(pupil),
        full_name=full_name,
        this_year=school_year(),
        may_see_chronology=has_permission(current_user, g.school, CHRONOLOGY),
    ), status


@bp.route("/<int:pupil_id>/vertrokken", methods=["POST"])
@requires(MANAGE)
def left(pupil_id):
    """Mark a pupil as left (or back at school: ``terug``). Never deleted here: the cases
    about the child stay, and the retention periods decide when the record goes."""
    pupil = _pupil_or_404(pupil_id)
    if request.form.get("terug") == "1":
        if has_left(pupil) or pupil.left_on is not None:
            mark_left(g.school, pupil, None, current_user)
        flash(f"{full_name(pupil)} staat weer als leerling van de school ingeschreven.")
        return redirect(url_for("pupils.edit", pupil_id=pupil.id))
    form = LeftForm(request.form)
    form.enrolled_on = pupil.enrolled_on
    if not form.validate():
        group = groups_now(g.school, [pupil.id]).get(pupil.id, "")
        edit_form = PupilForm(obj=pupil, group=group)
        return _edit_page(edit_form, pupil, 422, left_form=form)
    mark_left(g.school, pupil, form.left_on.data, current_user)
    flash(f"{full_name(pupil)} is uitgeschreven per {nl_date(form.left_on.data)}.")
    return redirect(url_for("pupils.edit", pupil_id=pupil.id))


# -------------------------------------------------------------- chronology ----


# The chronology's cases, written out in SQL as the case list is (portal/cases/listing.py):
# the same visibility rule as ``visibility.visible_condition`` (the user's case types at
# the school, confidential ones only for the roles of their type, the cases assigned to
# the user, never a case the user is excluded from), so the page never names a case the
# user could not open. Constant fragments and placeholders only. CROSS JOIN keeps SQLite on
# the child's few rows first: with a plain JOIN it walked every case of the school and
# looked each up in the child's links (90 ms at 100,000 cases instead of 0.1 ms).
CHRONOLOGY_SQL = (
    'SELECT c."reference", c."title", c."case_type", c."state", c."created_at", c."updated_at", '
    'c."closed_at", c."confidential", cp."role" '
    'FROM "portal_case_pupil" AS cp CROSS JOIN "portal_case" AS c '
    'WHERE c."id" = cp."case_id" AND cp."pupil_id" = ? AND c."school_id" = ? '
    'AND c."id" NOT IN (SELECT x."case_id" FROM "portal_case_exclusion" AS x WHERE x."user_id" = ?) '
    'AND (c."assignee_id" = ? OR (c."case_type" IN ({viewable}) '
    'AND (c."confidential" = ? OR c."case_type" IN ({confidential})))) '
    'ORDER BY c."created_at" DESC, c."id" DESC'
)


@dataclass(slots=True)
class ChronologyRow:
    """One case of the chronology, with its texts made in Python (cheaper than in Jinja)."""

    reference: str
    title: str
    confidential: bool
    type_title: str
    state_title: str
    role_title: str
    started: str
    changed: str
    closed: str


def _marks(n):
    return ", ".join(["?"] * n) if n else "NULL"


def chronology_rows(pupil, user):
    """The cases about ``pupil`` that ``user`` may see, newest first, with the pupil's role."""
    viewable, confidential = visible_types(user, g.school)
    sql = CHRONOLOGY_SQL.format(viewable=_marks(len(viewable)), confidential=_marks(len(confidential)))
    params = [pupil.id, g.school.id, user.id, user.id, *viewable, False, *confidential]
    reg = get_registry()
    rows = []
    for ref, title, type_name, state, created, updated, closed, conf, role in database.execute_sql(
        constant_sql(sql), params
    ):
        ct = reg.case_types.get(type_name)
        rows.append(
            ChronologyRow(
                reference=ref,
                title=title,
                confidential=bool(conf),
                type_title=ct.title if ct else type_name,
                state_title=ct.state(state).title if ct else state,
                role_title=role_label(role),
                started=_day(created),
                changed=_day(updated),
                closed=_day(closed) if closed else "nog open",
            )
        )
    return rows


@lru_cache(maxsize=8192)
def _day(value):
    """A timestamp column (SQLite returns text) as its Dutch date. Kept per process: the same
    cases are shown view after view, as in the case list (``dates.nl_datetime``)."""
    return nl_date(datetime.datetime.fromisoformat(value) if isinstance(value, str) else value)


@bp.route("/<int:pupil_id>")
@requires("portal.cases")
def chronology(pupil_id):
    pupil = with_group(g.school, pupil_id)
    rows = chronology_rows(pupil, current_user) if pupil is not None else []
    # Directie and IB see any pupil's; anyone else only a pupil of a case they may see.
    if pupil is None or not (rows or has_permission(current_user, g.school, CHRONOLOGY)):
        audit("pupil.chronology", outcome="denied", detail=f"leerling {pupil_id}")
        abort(404)
    audit_view("pupil.chronology", detail=f"leerling {pupil.id}: {len(rows)} zaken", pupil=pupil)
    return render_template(
        "pupils/chronology.html",
        pupil=pupil,
        rows=rows,
        name=full_name(pupil),
        # A case's page is the case list's address plus its reference ([A-Z0-9-]).
        case_prefix=url_for("cases.index"),
        nl_date=nl_date,
        group=pupil.group,
        left=has_left(pupil),
        may_manage=has_permission(current_user, g.school, MANAGE),
    )


# ------------------------------------------------------------------ picker ----


@bp.route("/kiezen")
@requires(PICK)
def pick():
    """The picker's suggestions as JSON: at most ten pupils still at school."""
    query = request.args.get("q", "").strip()[:100]
    rows = search(g.school, query, limit=CANDIDATES) if len(query) >= 2 else []
    audit_view("pupil.search", detail=f"zoekwoorden={len(query.split())} rijen={len(rows)}")
    response = jsonify(
        pupils=[{"id": p.id, "name": full_name(p), "group": p.group, "number": p.las_number} for p in rows]
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# ----------------------------------------------------------------- figures ----


@bp.route("/cijfers")
@requires(FIGURES)
def figures():
    """Counts per school for the bestuur: pupils, pupils with cases, cases per type. No name,
    no number, nothing about one child."""
    from .figures import board_figures

    schools = [s for s in schools_of(current_user) if has_permission(current_user, s, FIGURES)]
    year = _year_arg(request.args.get("jaar", ""))
    table = board_figures(schools, int(year[:4]))
    audit_view("pupil.figures", detail=f"{year} scholen={len(schools)}")
    return render_template("pupils/figures.html", table=table, year=year, years=_recent_years())


def _recent_years():
    start = int(school_year()[:4])
    return [f"{y}-{y + 1}" for y in range(start, start - 5, -1)]


# ------------------------------------------------------------------ import ----


class ImportForm(Form):
    bestand = wtforms.FileField(
        "Exportbestand (CSV)",
        description="Een CSV-export uit ParnasSys of ESIS, met ; of , gescheiden, UTF-8 of Windows-1252.",
    )
    full = BooleanField(
        "Dit is een volledige export van alle leerlingen: wie er niet in staat, is vertrokken",
        default=True,
    )


def _pending():
    return importer.Pending(current_app.instance_path)


@bp.route("/importeren", methods=["GET", "POST"])
@requires(MANAGE)
def import_upload():
    if request.method == "GET":
        _pending().sweep()  # uploads never confirmed go within the hour, here or at the next upload
        return render_template("pupils/import.html", form=ImportForm())
    form = ImportForm(CombinedMultiDict((request.files, request.form)))
    upload = request.files.get("bestand")
    if upload is None or not upload.filename:
        form.bestand.errors = ["Kies het exportbestand."]
        return render_template("pupils/import.html", form=form), 422
    data = upload.stream.read(importer.MAX_BYTES + 1)
    try:
        table = importer.read_table(data)
    except importer.FileRefused as refused:
        audit("pupil.import.refused", detail=refused.reason[:200])
        form.bestand.errors = [refused.reason]
        return render_template("pupils/import.html", form=form), 422
    token = _pending().store(data, current_user.id, g.school.id, full=bool(form.full.data))
    mapping = importer.guess_mapping(table.headers)
    if importer.missing(mapping):
        return redirect(url_for("pupils.import_columns", token=token))
    _pending().update(token, mapping=mapping)
    return redirect(url_for("pupils.import_preview", token=token))


def _load_pending(token):
    """(table, meta) of an upload of this user at this school. Anything else (another
    user's, another school's, a stale one, one already confirmed) gets the same answer,
    back to the upload page, so that a token tells nothing; audited."""
    try:
        data, meta = _pending().load(token, current_user.id, g.school.id)
        table = importer.read_table(data)
    except (KeyError, importer.FileRefused):
        audit("pupil.import.open", outcome="denied", detail="onbekend, verlopen, verwerkt of van een ander")
        flash("Deze import is verlopen of al verwerkt. Kies het bestand opnieuw.", "error")
        abort(redirect(url_for("pupils.import_upload")))
    return table, meta


def _mapping(meta):
    return {k: v for k, v in (meta.get("mapping") or {}).items() if k in importer.LABELS}


def columns_form(table, mapping, formdata=None):
    """The mapping step: for each field a choice of the file's columns."""
    choices = [("", "(staat niet in het bestand)")] + [
        (str(i), f"{h} (kolom {i + 1})" if h else f"kolom {i + 1}") for i, h in enumerate(table.headers)
    ]

    class ColumnsForm(Form):
        def check(self):
            marked, used = {}, {}
            for key, label, required in importer.FIELDS:
                value = self[key].data
                if required and not value:
                    marked[key] = f"Kies de kolom met {label.lower()}."
                elif value and value in used:
                    marked[key] = f"Deze kolom is al gekozen voor {importer.LABELS[used[value]].lower()}."
                elif value:
                    used[value] = key
            return marked

    for key, label, required in importer.FIELDS:
        setattr(
            ColumnsForm,
            key,
            SelectField(label + (" (verplicht)" if required else ""), choices=choices, default=""),
        )
    data = {k: str(v) for k, v in mapping.items()}
    return ColumnsForm(formdata, data=data)


@bp.route("/importeren/<token>/kolommen", methods=["GET", "POST"])
@requires(MANAGE)
def import_columns(token):
    table, meta = _load_pending(token)
    mapping = _mapping(meta) or importer.guess_mapping(table.headers)
    form = columns_form(table, mapping, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        chosen = {key: int(form[key].data) for key, _l, _r in importer.FIELDS if form[key].data}
        _pending().update(token, mapping=chosen)
        return redirect(url_for("pupils.import_preview", token=token))
    missing = importer.missing(importer.guess_mapping(table.headers))
    return render_template(
        "pupils/import_columns.html",
        form=form,
        token=token,
        table=table,
        missing=missing,
        sample=table.rows[:3],
    ), (422 if form.errors else 200)


@bp.route("/importeren/<token>")
@requires(MANAGE)
def import_preview(token):
    table, meta = _load_pending(token)
    mapping = _mapping(meta)
    if importer.missing(mapping):
        return redirect(url_for("pupils.import_columns", token=token))
    plan = importer.plan_file(g.school, table, mapping, full=meta.get("full", True))
    audit_view("pupil.import.preview", detail=plan.summary())
    return render_template(
        "pupils/import_preview.html",
        plan=plan,
        table=table,
        token=token,
        mapping=mapping,
        labels=importer.LABELS,
        describe=importer.describe,
        limit=500,
    )


@bp.route("/importeren/<token>/bevestigen", methods=["POST"])
@requires(MANAGE)
def import_confirm(token):
    table, meta = _load_pending(token)
    pending = _pending()
    if not pending.claim(token):  # the other click of a double click
        flash("Deze import wordt al verwerkt.", "error")
        return redirect(url_for("pupils.index"))
    try:
        plan = importer.apply(
            g.school,
            table,
            _mapping(meta),
            full=meta.get("full", True),
            user=current_user,
            expected=request.form.get("plan", "")[:64],
        )
    except importer.PlanChanged:
        pending.release(token)
        flash(
            "De leerlingenlijst is veranderd sinds deze voorvertoning. Bekijk wat de import nu zou "
            "doen en bevestig opnieuw.",
            "error",
        )
        return redirect(url_for("pupils.import_preview", token=token))
    except Exception:
        pending.release(token)
        raise
    pending.discard(token)
    c = plan.counts()
    flash(
        f"De import is verwerkt: {c['new']} nieuw, {c['changed']} gewijzigd, {c['back']} weer op school, "
        f"{c['left']} als vertrokken gemarkeerd, {c['refused']} rijen niet ingelezen."
    )
    return redirect(url_for("pupils.index"))


@bp.route("/importeren/<token>/annuleren", methods=["POST"])
@requires(MANAGE)
def import_cancel(token):
    _load_pending(token)
    _pending().discard(token)
    flash("De import is geannuleerd; er is niets veranderd.")
    return redirect(url_for("pupils.index"))


def init_app(app):
    from . import cli

    app.register_blueprint(bp)
    cli.init_app(app)
