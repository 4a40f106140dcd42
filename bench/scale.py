"""Issue 15: the dashboard and the yearly figures at board scale, and the purge's rate.

    .venv/bin/python bench/scale.py [--sizes 1000 100000] [--rounds 7] [--purge 10000]

For each size it seeds a SQLite database with one school (De Klaverweide) holding that many
cases of every built-in plugin's case types, realistic shares, over five school years
(bench/report.py's seed: complaints, traumatic events, incidents with suspensions,
expulsions, meldcode files with Veilig Thuis advice, app requests). Then, in one process
and interleaved (every round visits every size), it times through the Flask test client:

- the dashboard (every panel) as directie, where every login lands;
- the school's yearly figures computed afresh (the cache emptied first).

Targets (issue 15, item 8): the dashboard at the largest size at most 1.5 times its time at
the smallest; the same for the yearly figures, which depend on the year's cases only. The
dashboard's statements are recorded once at the largest size and SQLite is asked for their
plans: a plan that scans a table is listed.

``--per-year K``: each size holds K cases a school year, over as many years as it takes (a
longer history, the same year): the figures of a year should then cost the same at every size.

``--purge N``: N due cases (with events, deadlines and checklist) purged by
``portal.retention.purge``, in cases per second.
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

TARGET_GROWTH = 1.5


def log(*args):
    print(*args, flush=True)


def seed(path, n, per_year=None):
    """``n`` cases over five school years, or (``per_year``) over as many school years as give
    that many cases a year: the same year with a longer history."""
    from bench.report import seed as report_seed

    years = 5 if not per_year else max(1, n // per_year)
    return report_seed(path, schools=1, per_school=n, years=years)


# Tables that grow with the history: a plan that scans one of them grows with it. (With the
# statistics of ANALYZE, SQLite scans a table it knows to be empty or tiny, such as the
# exclusions or a school's plugins, rather than look it up: those are not listed.)
GROWING = re.compile(
    r"^(portal_case(?!_exclusion)\w*|portal_audit_log|klachten_\w+|schorsing_\w+|meldcode_\w+|trauma_\w+|social_media_\w+)$"
)


def growing_scans(database, statements):
    """[(table, statement, plan line)]: the SELECTs whose plan scans, without an index, a
    table that grows with the history."""
    out = []
    for sql, params in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        tables = {a: t for t, a in re.findall(r'"(\w+)" AS "?(\w+)"?', sql)}
        for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall():
            line = row[-1]
            if line.startswith("SCAN ") and "INDEX" not in line:
                table = tables.get(line.split()[1], line.split()[1])
                if GROWING.match(table):
                    out.append((table, sql[:200], line))
    return out


def measure(paths, year, rounds):
    from bench.report import _app
    from bench.report import _Recorder
    from portal.db import database
    from portal.testing import login

    apps, clients, dbs = {}, {}, {}
    for size, path in paths.items():
        apps[size] = _app(path)
        dbs[size] = database.obj  # the portal's proxy is one per process: switched below
        clients[size] = apps[size].test_client()
        assert login(clients[size], "directie@klaverweide.demo").status_code == 302
    pages = {"dashboard": "/klaverweide/", "figures": f"/klaverweide/jaarcijfers/?jaar={year}"}
    times = {(size, page): [] for size in paths for page in pages}
    # One app (and database) at a time: the portal's database proxy is one per process.
    for n in range(rounds):
        sizes = list(paths) if n % 2 == 0 else list(paths)[::-1]
        for size in sizes:
            for page, url in pages.items():
                apps[size].extensions.get("portal_report_cache", {}).clear()
                database.initialize(dbs[size])
                t0 = time.perf_counter()
                response = clients[size].get(url)
                times[(size, page)].append(time.perf_counter() - t0)
                assert response.status_code == 200, (size, url, response.status_code)
    largest = max(paths)
    database.initialize(dbs[largest])
    slowest = {}
    for page, url in pages.items():
        with apps[largest].app_context():
            apps[largest].extensions.get("portal_report_cache", {}).clear()
            with _Recorder(database) as rec:
                clients[largest].get(url)
            database.connect(reuse_if_open=True)
            timed = []
            for sql, params in rec.statements:
                if sql.lstrip().upper().startswith("SELECT"):
                    t0 = time.perf_counter()
                    database.execute_sql(sql, params).fetchall()
                    timed.append(((time.perf_counter() - t0) * 1000, sql[:160]))
            slowest[page] = sorted(timed, reverse=True)[:5]
            if page == "dashboard":
                scans = growing_scans(database, rec.statements)
            database.close()
    return {
        "ms": {f"{page}@{size}": statistics.median(times[(size, page)]) * 1000 for size, page in times},
        "statements": len(rec.statements),
        "slowest": slowest,
        "full_scans": scans,
    }


def purge_rate(n):
    """Cases per second of portal.retention.purge over ``n`` due cases (SQLite)."""
    from portal.testing import base_config
    from portal.testing import db_session
    from portal.testing import make_app
    from tests import caseplugin

    folder = tempfile.mkdtemp(prefix="portal-bench-purge-")
    import pathlib

    tmp = pathlib.Path(folder)
    config = {**base_config(tmp), "PORTAL_EXTRA_PLUGINS": (caseplugin,)}
    config["DATABASE_URL"] = f"sqlite:///{tmp / 'purge.sqlite3'}"
    app = make_app(config, tmp / "instance", enable_all=False)
    with db_session(app):
        from portal import retention
        from portal.db import database
        from portal.models import Case
        from portal.models import CaseChecklistItem
        from portal.models import CaseDeadline
        from portal.models import CaseEvent
        from portal.models import School

        school = School.get(School.slug == "klaverweide")
        then = datetime.datetime(2020, 1, 1)
        start = (Case.select(Case.id).order_by(Case.id.desc()).scalar() or 0) + 1
        ids = range(start, start + n)

        def chunks(rows):
            for k in range(0, len(rows), 500):
                yield rows[k : k + 500]

        with database.atomic():
            cases = [
                dict(
                    id=i,
                    school=school.id,
                    case_type="testzaak.zaak",
                    reference=f"BENCH-{i}",
                    state="klaar",
                    title="Afgerond",
                    created_at=then,
                    updated_at=then,
                    closed_at=then,
                    retention_until=datetime.date(2021, 1, 1),
                )
                for i in ids
            ]
            for part in chunks(cases):
                Case.insert_many(part).execute()
            for model, rows in (
                (
                    CaseEvent,
                    [dict(case=i, kind="note", at=then, text="notitie") for i in ids for _ in range(3)],
                ),
                (
                    CaseDeadline,
                    [
                        dict(case=i, name=f"d{j}", label="d", due_date=then.date())
                        for i in ids
                        for j in range(2)
                    ],
                ),
                (
                    CaseChecklistItem,
                    [dict(case=i, name=f"c{j}", label="c", position=j) for i in ids for j in range(3)],
                ),
            ):
                for part in chunks(rows):
                    model.insert_many(part).execute()
        database.execute_sql("ANALYZE")
        t0 = time.perf_counter()
        done = retention.purge(today=datetime.date(2026, 12, 7), dry_run=False)
        seconds = time.perf_counter() - t0
    assert len(done) == n, len(done)
    return n / seconds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--purge", type=int, default=0, help="also measure the purge of this many due cases")
    ap.add_argument(
        "--per-year",
        type=int,
        default=0,
        help="the same number of cases each school year (a longer history) instead of five years",
    )
    args = ap.parse_args(argv)
    log(f"Load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    folder = tempfile.mkdtemp(prefix="portal-bench-scale-")
    os.environ["PORTAL_INSTANCE_PATH"] = os.path.join(folder, "instance")
    paths, year = {}, None
    for size in args.sizes:
        path = os.path.join(folder, f"scale-{size}.sqlite3")
        t0 = time.perf_counter()
        year, n = seed(path, size, args.per_year)
        took = time.perf_counter() - t0
        years = 5 if not args.per_year else max(1, size // args.per_year)
        log(f"Seeded {n:,} cases (all plugin types, {years} school years, one school) in {took:.0f} s")
        paths[n] = path
    res = measure(paths, year, args.rounds)
    ok = True
    small, large = min(paths), max(paths)
    for page in ("dashboard", "figures"):
        a, b = res["ms"][f"{page}@{small}"], res["ms"][f"{page}@{large}"]
        growth = b / a
        ok &= growth <= TARGET_GROWTH
        log(
            f"{'PASS' if growth <= TARGET_GROWTH else 'FAIL'}  {page}: {a:.1f} ms at {small:,}, "
            f"{b:.1f} ms at {large:,} cases: x{growth:.2f} (limit {TARGET_GROWTH}; "
            f"medians of {args.rounds})"
        )
    scans = res["full_scans"]
    log(f"Dashboard at {large:,}: {res['statements']} statements, {len(scans)} plans with a table scan")
    for table, sql, line in scans:
        log(f"  {line} ({table}): {sql}")
    for page, rows in res["slowest"].items():
        log(f"Slowest statements of the {page} at {large:,} cases:")
        for ms, sql in rows:
            log(f"  {ms:7.1f} ms  {sql}")
    if args.purge:
        rate = purge_rate(args.purge)
        log(f"Purge: {args.purge:,} due cases at {rate:,.0f} cases/s")
    log(f"Load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
