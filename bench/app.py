"""The portal as the benchmark serves it: ``portal.create_app`` plus a bench-only floor route.

gunicorn loads ``bench.app:create_app()``. The database comes from
``BENCH_DATABASE_URL``; the test-only case type ``testzaak.zaak``
(tests/caseplugin.py) is registered through ``PORTAL_EXTRA_PLUGINS``.

The floor route ``/bench-floor/<school>`` is the cheapest honest page: a bare
Flask view that reads the same 25 rows as the first page of the case list
with one plain SQL query and renders them in a minimal template. It runs in
the same app, under the same server, so it pays the same per-request
overhead (connection, before/after-request hooks) and nothing more.
"""

import os

from flask import Blueprint
from flask import render_template

from portal import create_app as portal_create_app
from portal.access import public
from portal.db import database

floor = Blueprint("bench_floor", __name__, template_folder="templates")

# The same rows as the default case list, page 1: open cases of one school,
# newest change first. No login, no visibility rules: that is the point.
# The school's id comes from a scalar subquery, evaluated once, so that both databases walk
# the case list's own index (school, updated_at, id) backwards, as the list does with the
# school's id in hand. Joined by the slug instead, PostgreSQL did not know the school before
# planning: it read every open case of the school and sorted them (38 ms at 100,000 cases
# against 0.15 ms, EXPLAIN ANALYZE), a floor slower than the page it measures.
FLOOR_SQL = (
    'SELECT c."reference", c."title", c."case_type", c."state", c."updated_at", u."name" '
    'FROM "portal_case" AS c '
    'LEFT JOIN "portal_user" AS u ON u."id" = c."assignee_id" '
    'WHERE c."school_id" = (SELECT s."id" FROM "portal_school" AS s WHERE s."slug" = ?) '
    'AND c."closed_at" IS NULL '
    'ORDER BY c."updated_at" DESC, c."id" DESC LIMIT 25'
)


@floor.route("/bench-floor/<slug>")
@public
def floor_page(slug):
    # The driver's placeholder: psycopg2 wants %s (with ? the route answered 500 on PostgreSQL).
    rows = database.execute_sql(FLOOR_SQL.replace("?", database.param), (slug,)).fetchall()
    return render_template("bench/floor.html", rows=rows)


def bench_config():
    from tests import caseplugin

    return {
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-secret-key-0123456789abcdef0123"),
        "PORTAL_EXTRA_PLUGINS": (caseplugin,),
        "SMTP_HOST": "",
        # The demo login has no second factor; the benchmark measures the pages behind it.
        "PORTAL_REQUIRE_MFA": False,
        # The complaint load (bench/complaints.py) plays 16 parents from one address
        # (127.0.0.1): the per-address limit would refuse all but the first few forms, and the
        # school's hourly ceiling is never below this either (portal/public.py,
        # hourly_limit). The throttles still count every submission in the same transaction,
        # so their cost is measured; only their refusal is lifted, as in the fault suite
        # (faults/context.py, MANY_PARENTS). Benchmark only: production keeps the default.
        "THROTTLE_FREE_ATTEMPTS": 1_000_000,
    }


def create_app():
    app = portal_create_app(bench_config())
    app.register_blueprint(floor)
    return app
