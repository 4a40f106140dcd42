"""The yearly report's benchmark (issue 19): a school with five years of cases in every
built-in plugin, and 30 such schools for the bestuur's version.

    .venv/bin/python bench/report.py            (or through bench/run.py: report_bench)

Seeds a SQLite database (bulk inserts, a fixed random seed): 30 schools, each with about
2,500 cases over five school years, spread over the plugins' case types with their detail
rows (complaints, traumatic events, incidents with suspensions, expulsions, meldcode
files with Veilig Thuis advice, app requests). Then, in one process and interleaved, it
times three pages through the Flask test client: the case list of one school (the
yardstick), that school's yearly report, and the bestuur's version over all 30 schools.
Targets: the report at most 3 times the case list, the bestuur's version at most 10 times.

It also renders each report once with every SQL statement recorded and asks SQLite for the
plan of each (EXPLAIN QUERY PLAN): a figure must be computed over the year's rows, so a
plan that scans a whole table of cases or details is listed.
"""

import argparse
import datetime
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

TARGET_REPORT = 3.0  # report page <= 3 × case list
TARGET_BOARD = 10.0  # bestuur's version <= 10 × case list

# (case type, prefix, share of the cases)
TYPES = (
    ("klachten.klacht", "KL", 25),
    ("trauma.gebeurtenis", "TR", 5),
    ("schorsing.schorsing", "SCH", 30),
    ("schorsing.verwijdering", "VW", 1),
    ("meldcode.dossier", "MC", 9),
    ("social_media.aanvraag", "SM", 30),
)


def log(*args):
    print(*args, flush=True)


def _app(path):
    from portal import create_app

    return create_app(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "bench-report-secret-key-0123456789abcdef",
            "PORTAL_REQUIRE_MFA": False,
            "SMTP_HOST": "",
            "AUDIT_VIEW_BATCH": False,
        }
    )


def _fill(model, values):
    """A row of ``model`` as a tuple over its fields (without ``id``): ``values`` where given,
    else the field's default, else something of the field's type."""
    row = []
    for f in model._meta.sorted_fields:
        if f.name == "id":
            continue
        if f.name in values:
            row.append(values[f.name])
        elif f.default is not None:
            row.append(f.default() if callable(f.default) else f.default)
        elif f.null:
            row.append(None)
        else:
            kind = type(f).__name__
            row.append(
                {"DateField": datetime.date(2020, 1, 1), "IntegerField": 1, "BooleanField": False}.get(
                    kind, "x"
                )
            )
    return tuple(row)


def _fields(model):
    return [f for f in model._meta.sorted_fields if f.name != "id"]


def seed(path, schools=30, per_school=2500, years=5, rng_seed=2026):
    """The database at ``path``; returns the school year measured."""
    from bench.seed import _insert
    from plugins.klachten.choices import CATEGORIES as KL_CATEGORIES
    from plugins.klachten.choices import OUTCOMES as KL_OUTCOMES
    from plugins.klachten.models import Klacht
    from plugins.meldcode.models import Dossier
    from plugins.meldcode.models import VeiligThuisAdvice
    from plugins.schorsing.choices import CATEGORIES as SCH_CATEGORIES
    from plugins.schorsing.models import Expulsion
    from plugins.schorsing.models import Incident
    from plugins.schorsing.models import Suspension
    from plugins.social_media.models import AppRequest
    from plugins.trauma.choices import KINDS
    from portal import migrate
    from portal.admin import set_plugin_enabled
    from portal.db import database
    from portal.demo import create_demo
    from portal.models import Case
    from portal.models import School
    from portal.models import User
    from portal.registry import get_pm
    from portal.registry import get_registry

    rng = random.Random(rng_seed)
    app = _app(path)
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate.upgrade(get_pm(), log=lambda *_: None)
        create_demo(get_pm(), log=lambda *_: None)
        from portal.dates import school_year_of
        from portal.dates import today

        year = school_year_of(today())
        slugs = get_registry().plugin_slugs
        with database.atomic():
            all_schools = [School.get(School.slug == "klaverweide")]
            for n in range(2, schools + 1):
                s = School.create(slug=f"school-{n:02d}", name=f"Basisschool {n:02d}")
                for slug in slugs:
                    set_plugin_enabled(s, slug, True)
                all_schools.append(s)
        directie = User.get(User.email == "directie@klaverweide.demo")
        first_day = datetime.date(year - years + 1, 8, 1)
        span = (datetime.date.today() - first_day).days
        next_id = (Case.select(Case.id).order_by(Case.id.desc()).scalar() or 0) + 1
        shares = [t for t, _, share in TYPES for _ in range(share)]
        registry = get_registry()
        states = {
            t: (
                registry.case_types[t].initial,
                next(x.name for x in registry.case_types[t].states if x.closed),
            )
            for t, _, _ in TYPES
        }
        prefix = {t: p for t, p, _ in TYPES}
        case_fields = [
            Case.id,
            Case.school,
            Case.case_type,
            Case.reference,
            Case.state,
            Case.title,
            Case.assignee,
            Case.created_by,
            Case.created_at,
            Case.updated_at,
            Case.closed_at,
            Case.confidential,
        ]
        details = {
            m: [] for m in (Klacht, Incident, Suspension, Expulsion, Dossier, VeiligThuisAdvice, AppRequest)
        }
        from plugins.trauma.models import TraumaEvent

        details[TraumaEvent] = []
        cases = []
        for s in all_schools:
            counters = {}
            for _ in range(per_school):
                kind = rng.choice(shares)
                day = first_day + datetime.timedelta(days=rng.randrange(span))
                created = datetime.datetime.combine(day, datetime.time(9)) + datetime.timedelta(
                    minutes=rng.randrange(480)
                )
                closed = created + datetime.timedelta(days=rng.randrange(2, 60))
                is_closed = closed.date() < datetime.date.today()
                counters[(kind, day.year)] = counters.get((kind, day.year), 0) + 1
                cid = next_id
                next_id += 1
                cases.append(
                    (
                        cid,
                        s.id,
                        kind,
                        f"B{prefix[kind]}-{day.year}-{counters[(kind, day.year)]:04d}",
                        states[kind][1] if is_closed else states[kind][0],
                        "Bench",
                        None,
                        directie.id,
                        created,
                        created,
                        closed if is_closed else None,
                        kind == "meldcode.dossier",
                    )
                )
                if kind == "klachten.klacht":
                    details[Klacht].append(
                        _fill(
                            Klacht,
                            {
                                "case": cid,
                                "category": rng.choice(KL_CATEGORIES)[0],
                                "acknowledged_at": created + datetime.timedelta(days=rng.randrange(1, 6)),
                                "outcome": rng.choice(KL_OUTCOMES)[0] if is_closed else "",
                                "form_token_hash": None,
                            },
                        )
                    )
                elif kind == "trauma.gebeurtenis":
                    details[TraumaEvent].append(
                        _fill(
                            TraumaEvent,
                            {
                                "case": cid,
                                "kind": rng.choice(KINDS)[0],
                                "occurred_on": day,
                                "handled_by": rng.choice(("school", "extern", "")),
                            },
                        )
                    )
                elif kind == "schorsing.schorsing":
                    details[Incident].append(
                        _fill(
                            Incident,
                            {
                                "case": cid,
                                "occurred_on": day,
                                "category": rng.choice(SCH_CATEGORIES)[0],
                            },
                        )
                    )
                    if rng.random() < 0.4:
                        length = rng.randrange(1, 6)
                        details[Suspension].append(
                            _fill(
                                Suspension,
                                {
                                    "case": cid,
                                    "decided_on": day,
                                    "first_day": day + datetime.timedelta(days=1),
                                    "last_day": day + datetime.timedelta(days=length),
                                    "days": length,
                                },
                            )
                        )
                elif kind == "schorsing.verwijdering":
                    details[Expulsion].append(_fill(Expulsion, {"case": cid, "decided_on": day}))
                elif kind == "meldcode.dossier":
                    details[Dossier].append(
                        _fill(
                            Dossier,
                            {
                                "case": cid,
                                "signalled_on": day,
                                "decided_on": day + datetime.timedelta(days=20) if is_closed else None,
                                "decision": rng.choice(("melden", "hulp")) if is_closed else "",
                                "reported_on": day + datetime.timedelta(days=21)
                                if is_closed and rng.random() < 0.5
                                else None,
                            },
                        )
                    )
                    details[VeiligThuisAdvice].append(
                        _fill(
                            VeiligThuisAdvice,
                            {
                                "case": cid,
                                "consulted_on": day + datetime.timedelta(days=3),
                            },
                        )
                    )
                else:
                    details[AppRequest].append(
                        _fill(
                            AppRequest,
                            {
                                "case": cid,
                                "school": s.id,
                                "domain": rng.choice(("youtube.com", "spelen.nl", "kahoot.it")),
                                "groups": "5",
                                "start_date": day,
                                "decision": rng.choice(("", "goedgekeurd", "afgewezen")),
                            },
                        )
                    )
        with database.atomic():
            _insert(Case, case_fields, cases)
            for model, rows in details.items():
                if rows:
                    _insert(model, _fields(model), rows)
        database.execute_sql("ANALYZE")
        database.close()
    return year, len(cases)


class _Recorder:
    """Every SQL statement the database runs while it is on (to ask for their plans)."""

    def __init__(self, database):
        self.database = database.obj  # the database behind the portal's proxy
        self.statements = []

    def __enter__(self):
        original = self.database.execute_sql

        def recording(sql, params=None, *a, **kw):
            self.statements.append((sql, params))
            return original(sql, params, *a, **kw)

        self.original = original
        self.database.execute_sql = recording
        return self

    def __exit__(self, *exc):
        del self.database.execute_sql  # the class's method again


TINY = 100  # rows: with ANALYZE's statistics SQLite scans such a table rather than look it up


def full_scans(database, statements):
    """[(statement, plan line)] of SELECTs whose plan scans a table of more than ``TINY`` rows
    without an index. The seed leaves some plugins' tables empty (incidents of the
    incidenten plugin, drills) and the demo's vacations are a few rows: with the statistics
    of ANALYZE SQLite scans those, which costs nothing and is not listed
    (tests/test_scale_report_plans.py checks on a database without statistics that an index
    serves every statement)."""
    out = []
    tables = set(database.get_tables())
    sizes = {}

    def tiny(table):
        if table not in tables:
            return False  # a subquery's own rows (a co-routine): listed
        if table not in sizes:
            sizes[table] = database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        return sizes[table] <= TINY

    for sql, params in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        aliases = {a: t for t, a in re.findall(r'"(\w+)" AS "?(\w+)"?', sql)}
        plan = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        for row in plan:
            line = row[-1]
            if not line.startswith("SCAN ") or "INDEX" in line or "CONSTANT ROW" in line:
                continue
            name = line.split()[1]
            if tiny(aliases.get(name, name)):
                continue
            out.append((sql[:150], line))
    return out


def _touch_a_case(app):
    """A change at the demo school, as a step or a note makes one: its newest case changed."""
    from portal.db import database
    from portal.models import Case
    from portal.models import School
    from portal.models import utcnow

    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            school = School.get(School.slug == "klaverweide")
            newest = Case.select(Case.id).where(Case.school == school.id).order_by(Case.id.desc()).limit(1)
            Case.update(updated_at=utcnow()).where(Case.id.in_(newest)).execute()
        finally:
            database.close()


def measure(path, year, rounds=7):
    from portal.db import database
    from portal.testing import login

    app = _app(path)
    directie, bestuur = app.test_client(), app.test_client()
    assert login(directie, "directie@klaverweide.demo").status_code == 302
    assert login(bestuur, "bestuur@asg.demo").status_code == 302
    pages = {
        "list": (directie, "/klaverweide/zaken/"),
        "report": (directie, f"/klaverweide/jaarcijfers/?jaar={year}"),
        "board": (bestuur, f"/klaverweide/jaarcijfers/bestuur?jaar={year}"),
    }
    for client, url in pages.values():  # warm-up, and every page answers
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    # "cold": the figures computed again (the cache emptied first), as after a restart.
    # "changed": one case of the school changed first (its updated_at): the figures of that
    # school and the totals across schools are computed again, the other schools' are kept.
    timed = [*pages, "report_cold", "board_cold", "report_changed", "board_changed"]
    times = {name: [] for name in timed}
    for n in range(rounds):
        order = timed if n % 2 == 0 else timed[::-1]
        for name in order:
            base = name.removesuffix("_cold").removesuffix("_changed")
            client, url = pages[base]
            if name.endswith("_cold"):
                app.extensions.get("portal_report_cache", {}).clear()
            if name.endswith("_changed"):
                _touch_a_case(app)
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            times[name].append(time.perf_counter() - t0)
    plans = {}
    for name in ("report", "board"):
        client, url = pages[name]
        app.extensions.get("portal_report_cache", {}).clear()
        with app.app_context():
            with _Recorder(database) as rec:
                client.get(url)
            database.connect(reuse_if_open=True)
            plans[name] = {
                "statements": len(rec.statements),
                "full_scans": full_scans(database, rec.statements),
            }
            database.close()
    med = {name: statistics.median(values) * 1000 for name, values in times.items()}
    return {
        "ms": med,
        "report_ratio": med["report"] / med["list"],
        "board_ratio": med["board"] / med["list"],
        "report_cold_ratio": med["report_cold"] / med["list"],
        "board_cold_ratio": med["board_cold"] / med["list"],
        "report_changed_ratio": med["report_changed"] / med["list"],
        "board_changed_ratio": med["board_changed"] / med["list"],
        "plans": plans,
        "rounds": rounds,
    }


def run(schools=30, per_school=2500, rounds=7, keep=False):
    """Seed, measure, print; returns the result with ``pass``."""
    folder = tempfile.mkdtemp(prefix="portal-bench-report-")
    path = os.path.join(folder, "report.sqlite3")
    os.environ["PORTAL_INSTANCE_PATH"] = os.path.join(folder, "instance")
    t0 = time.perf_counter()
    log(f"Yearly report: seeding {schools} schools × {per_school:,} cases over five school years …")
    year, n = seed(path, schools, per_school)
    log(f"  {n:,} cases in {time.perf_counter() - t0:.1f} s")
    res = measure(path, year, rounds)
    ms = res["ms"]
    log(
        f"  case list {ms['list']:.1f} ms; yearly report {ms['report']:.1f} ms "
        f"({ms['report_cold']:.1f} ms cold); bestuur {ms['board']:.1f} ms ({ms['board_cold']:.1f} ms cold) "
        f"(medians of {rounds}; cold: the figures computed again, as right after a change)"
    )
    log(f"  cold ratios: report {res['report_cold_ratio']:.2f}, bestuur {res['board_cold_ratio']:.2f}")
    log(
        f"  after a change at the school: report {ms['report_changed']:.1f} ms "
        f"({res['report_changed_ratio']:.2f} × list), bestuur {ms['board_changed']:.1f} ms "
        f"({res['board_changed_ratio']:.2f} × list)"
    )
    res["pass"] = res["report_ratio"] <= TARGET_REPORT and res["board_ratio"] <= TARGET_BOARD
    log(
        f"  {'PASS' if res['report_ratio'] <= TARGET_REPORT else 'FAIL'}  report / list: "
        f"{res['report_ratio']:.2f} (limit {TARGET_REPORT})"
    )
    log(
        f"  {'PASS' if res['board_ratio'] <= TARGET_BOARD else 'FAIL'}  bestuur / list: "
        f"{res['board_ratio']:.2f} (limit {TARGET_BOARD})"
    )
    for name, plan in res["plans"].items():
        log(f"  {name}: {plan['statements']} statements, {len(plan['full_scans'])} plans with a table scan")
        for (sql, line), n in Counter(plan["full_scans"]).most_common():
            log(f"    {n} × {line}: {sql}")
    if not keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    else:
        log(f"  kept {path}")
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description="Benchmark of the yearly report")
    ap.add_argument("--schools", type=int, default=30)
    ap.add_argument("--per-school", type=int, default=2500)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args(argv)
    return 0 if run(args.schools, args.per_school, args.rounds, args.keep)["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
