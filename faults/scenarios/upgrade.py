"""An old database with demo data, upgraded by the served checkout's ``init-db``.

The old database is made by the old code itself (``--old-rev``, default
ea7f12b: the first version with every plugin) running ``init-db --demo``.
Before and after the upgrade the suite counts the rows of every table and the
non-NULL values of every foreign-key column; then the upgraded portal is
served and the demo directie logs in and opens the school's dashboard and case
list (which needs the roles and the cases to have survived).
"""

from .. import client
from ..report import Result
from ..serve import Checkout
from ..serve import Instance

# Tables whose rows a later migration moved into another table and then dropped (old: new);
# their rows and references are looked for where they went.
MOVED = {"trauma_partner": "portal_partner"}  # trauma m0002: the partners went to the core

NAME = "upgrade"
BACKENDS = ("sqlite", "postgres")
SUMMARY = "old demo database upgraded by init-db: rows per table and foreign keys before/after"


def run(ctx, backend):
    rev = ctx.args.old_rev
    r = Result(NAME, backend, headers=["table / foreign key", "before", "after", "change"])
    old = ctx.old_code(rev)
    site = ctx.site(backend, "upgrade", demo=None)
    try:
        # Run from the old tree itself: flask puts the working folder first on sys.path.
        old_code = Checkout(old)
        # The old code loads only its own plugins (the instance's list names today's, and
        # the venv's entry points reach today's tree), and makes its demo in development
        # mode, as on a first install: production refuses the demo school.
        settings = {k: v for k, v in site.instance.config.items() if k != "PORTAL_PLUGINS"}
        Instance(site.instance.path, old_code, **settings)
        proc = old_code.flask(
            ["init-db", "--demo"], old_code.env(site.instance, site.url, PORTAL_ENV="development")
        )
        Instance(site.instance.path, ctx.checkout, **settings)
        r.note(
            f"old database made by {rev}: "
            + " ".join(line for line in proc.stdout.splitlines() if line.startswith("Database"))
        )
        with site.db() as db:
            rows_before, fks_before = db.census()
        proc = site.flask("init-db")
        r.note(
            "upgrade: " + " ".join(line for line in proc.stdout.splitlines() if line.startswith("Database"))
        )
        with site.db() as db:
            rows_after, fks_after = db.census()
        for old, new in MOVED.items():
            if old in rows_before and old not in rows_after and new in rows_after:
                r.note(f"{old} moved to {new} (a migration); counted there")
                rows_before[new] = rows_before.get(new, 0) + rows_before.pop(old)
                for key in [k for k in fks_before if k.startswith(old + ".")]:
                    moved = new + key[len(old) :]
                    fks_before[moved] = fks_before.get(moved, 0) + fks_before.pop(key)

        lost, nulled = [], []
        for t, n in rows_before.items():
            after = rows_after.get(t, 0)
            if after != n:
                r.row(t, n, after, after - n)
            if after < n:
                lost.append(f"{t} {n} → {after}")
        for key, n in fks_before.items():
            after = fks_after.get(key, 0)
            if after != n:
                r.row(key, n, after, after - n)
            if after < n:
                nulled.append(f"{key} {n} → {after}")
        r.row("(tables unchanged)", sum(1 for t, n in rows_before.items() if rows_after.get(t) == n), "", "")
        r.row(
            "(rows in all tables)",
            sum(rows_before.values()),
            sum(rows_after.values()),
            sum(rows_after.values()) - sum(rows_before.values()),
        )
        r.expect("no table lost rows", not lost, "; ".join(lost))
        r.expect("no foreign key was nulled", not nulled, "; ".join(nulled))

        server = site.serve()
        s = client.Session(server.port)
        answer = client.login(s)
        dash = s.get(f"/{client.SCHOOL}/") if client.logged_in(answer) else None
        cases = s.get(f"/{client.SCHOOL}/zaken/") if client.logged_in(answer) else None
        r.expect(
            "the directie logs in and opens dashboard and case list after the upgrade",
            client.logged_in(answer) and dash.status == 200 and cases.status == 200,
            f"login {answer.status}, dashboard {dash.status if dash else '-'}, "
            f"case list {cases.status if cases else '-'}",
        )
        s.close()
    finally:
        site.close()
    return r
