"""The bestuur's overview: its schools side by side, and the cases it may see across them.

For every school where the user holds ``portal.board_overview`` (the bestuur): the open
cases, the deadlines past due, and this school year's cases per protocol (case type), each
with links into the school. Every figure counts only cases the user may see at that school
(the case list's visibility rule: the bestuur sees expulsions, suspensions and the
complaints referred to it or with a reporting duty, not a complaint the school handles
itself): a figure is no way round what the list would not show.

Efficient at any number of schools: the access facts of all schools come in three
statements (``access.preload_contexts``), the figures in one grouped statement, the list in
one statement; schools whose rules are alike share one condition.
"""

import datetime
from urllib.parse import urlencode

from flask import Blueprint
from flask import abort
from flask import render_template
from flask import request
from flask_login import current_user

from .access import LOGIN
from .access import has_permission
from .access import preload_contexts
from .access import requires
from .access import schools_of
from .audit import audit_view
from .cases.listing import NEXT_DUE
from .cases.listing import VISIBLE
from .cases.listing import _day
from .cases.listing import _in_list
from .cases.listing import _stamp
from .cases.visibility import starter_types
from .cases.visibility import visible_types
from .dates import nl_date
from .dates import nl_datetime
from .dates import school_year_bounds
from .dates import school_year_of
from .dates import today
from .db import constant_sql
from .db import database
from .figures import _utc_midnight as utc_midnight
from .forms import bounded_int
from .models import Case
from .models import CaseDeadline
from .registry import get_registry

bp = Blueprint("board_overview", __name__, url_prefix="/bestuur")

PERMISSION = "portal.board_overview"
PAGE_SIZE = 25

NOT_EXCLUDED = 'c."id" NOT IN (SELECT x."case_id" FROM "portal_case_exclusion" AS x WHERE x."user_id" = ?) '
FIGURES = (
    'SELECT c."school_id", c."case_type", '
    'SUM(CASE WHEN c."closed_at" IS NULL THEN 1 ELSE 0 END), '
    'SUM(CASE WHEN c."closed_at" IS NULL THEN (SELECT COUNT(*) FROM "portal_case_deadline" AS d '
    'WHERE d."case_id" = c."id" AND d."met_at" IS NULL AND d."due_date" < ?) ELSE 0 END), '
    'SUM(CASE WHEN c."created_at" >= ? AND c."created_at" < ? THEN 1 ELSE 0 END) '
    'FROM "portal_case" AS c WHERE (c."closed_at" IS NULL OR c."created_at" >= ?) AND {not_excluded}'
).replace("{not_excluded}", NOT_EXCLUDED)
LIST = (
    (
        'SELECT c."id", c."reference", c."title", c."case_type", c."state", c."updated_at", '
        'c."confidential", c."school_id", {next_due} FROM "portal_case" AS c WHERE {not_excluded}'
    )
    .replace("{next_due}", NEXT_DUE)
    .replace("{not_excluded}", NOT_EXCLUDED)
)
OPEN_ONLY = 'AND c."closed_at" IS NULL '
AFTER = 'AND c."updated_at" <= ? AND (c."updated_at" < ? OR (c."updated_at" = ? AND c."id" < ?)) '
ORDER = 'ORDER BY c."updated_at" DESC, c."id" DESC LIMIT ?'


def board_schools(user):
    """The schools whose overview ``user`` may see, their access facts loaded at once."""
    schools = schools_of(user)
    preload_contexts(user, schools)
    return [s for s in schools if has_permission(user, s, PERMISSION)]


def visibility(user, schools):
    """(SQL condition, parameters): the cases ``user`` may see at any of ``schools``, the
    list's rule per school; schools with the same rule share one part."""
    groups = {}
    for school in schools:
        viewable, confidential = visible_types(user, school)
        key = (tuple(viewable), tuple(confidential), tuple(starter_types(school)))
        groups.setdefault(key, []).append(school.id)
    parts, params = [], []
    for (viewable, confidential, starter), ids in groups.items():
        parts.append(
            f'(c."school_id" IN ({_in_list(len(ids))}) '
            + VISIBLE.format(
                starter=_in_list(len(starter)),
                viewable=_in_list(len(viewable)),
                confidential=_in_list(len(confidential)),
            )
            + ")"
        )
        params += [*ids, user.id, user.id, *starter, *viewable, False, *confidential]
    return "AND (" + (" OR ".join(parts) or "1 = 0") + ") ", params


def figures(user, schools, day):
    """{school id: {"open": n, "late": n, "year": {case type: n}}} for this school year."""
    first, last = school_year_bounds(school_year_of(day))
    start, end = utc_midnight(first), utc_midnight(last + datetime.timedelta(days=1))
    stamp = Case.created_at.db_value
    condition, params = visibility(user, schools)
    sql = FIGURES + condition + 'GROUP BY c."school_id", c."case_type"'
    out = {s.id: {"open": 0, "late": 0, "year": {}} for s in schools}
    rows = database.execute_sql(
        constant_sql(sql),
        [CaseDeadline.due_date.db_value(day), stamp(start), stamp(end), stamp(start), user.id, *params],
    )
    for school_id, case_type, open_, late, year in rows:
        school = out[school_id]
        school["open"] += int(open_ or 0)
        school["late"] += int(late or 0)
        if year:
            school["year"][case_type] = int(year)
    return out


def cases(user, schools, include_closed, after, limit):
    """A page of the cases ``user`` may see across ``schools``, newest change first."""
    condition, params = visibility(user, schools)
    sql = LIST + condition + ("" if include_closed else OPEN_ONLY)
    params = [user.id, *params]
    if after is not None:
        when, ident = after
        stamp = Case.updated_at.db_value(when)
        sql += AFTER
        params += [stamp, stamp, stamp, ident]
    params.append(limit)
    rows = database.execute_sql(constant_sql(sql + ORDER), params)
    return [
        {
            "id": ident,
            "reference": ref,
            "title": title,
            "case_type": ctype,
            "state": state,
            "updated_at": _stamp(updated),
            "confidential": bool(conf),
            "school_id": school_id,
            "due": _day(due),
        }
        for ident, ref, title, ctype, state, updated, conf, school_id, due in rows
    ]


def _cursor(value):
    if not value or "_" not in value:
        return None
    stamp, _, ident = value.rpartition("_")
    try:
        return datetime.datetime.fromisoformat(stamp), bounded_int(ident)
    except ValueError:
        return None


@bp.route("/")
@requires(LOGIN)
def index():
    schools = board_schools(current_user)
    if not schools:
        abort(403)
    day = today()
    reg = get_registry()
    counts = figures(current_user, schools, day)
    include_closed = request.args.get("open") == "0"
    rows = cases(current_user, schools, include_closed, _cursor(request.args.get("na")), PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    by_id = {s.id: s for s in schools}
    for row in rows:
        ct = reg.case_types.get(row["case_type"])
        row["school"] = by_id[row["school_id"]]
        row["type_title"] = ct.title if ct else row["case_type"]
        row["state_title"] = ct.state(row["state"]).title if ct else row["state"]
        row["when"] = nl_datetime(row["updated_at"])
        row["due_text"] = nl_date(row["due"]) if row["due"] else ""
        row["late"] = row["due"] is not None and row["due"] < day
    next_url = None
    if more:
        cursor = f"{rows[-1]['updated_at'].isoformat()}_{rows[-1]['id']}"
        next_url = (
            f"{request.script_root}{request.path}?{urlencode({**request.args.to_dict(), 'na': cursor})}"
        )
    # The protocols of the table: the case types any of the schools shows a figure for.
    shown_types = sorted(
        {t for c in counts.values() for t in c["year"]},
        key=lambda t: reg.case_types[t].title if t in reg.case_types else t,
    )
    audit_view("board.overview", detail=f"{len(schools)} scholen")
    return render_template(
        "board_overview/index.html",
        schools=schools,
        counts=counts,
        types=[(t, reg.case_types[t].title if t in reg.case_types else t) for t in shown_types],
        year=school_year_of(day),
        rows=rows,
        next_url=next_url,
        include_closed=include_closed,
    )


def init_app(app):
    app.register_blueprint(bp)
