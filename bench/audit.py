"""The audit page at board scale (issue 15): the log of 30 schools with millions of rows.

    .venv/bin/python bench/audit.py                 (5,000,000 rows; --rows for fewer)

Seeds a SQLite database (the demo school and a quiet second school, then the log in bulk:
five years of rows, newest last as the log grows, spread over 30 school names, 200 people
and 60,000 case references; four in five rows are views). Then times the audit page of
``/<school>/beheer/auditlog`` through the Flask test client as the board's beheerder, each
filter the page offers, and a page further back (keyset, ``voor``), interleaved, medians of
``--rounds``; and asks SQLite for the plan of every statement of each page: none may read
the log without an index (before the indexes of m0017, a person's filter or a quiet
school's page read all rows: 1.1 s at 5 million).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.report import _app  # noqa: E402
from bench.report import _Recorder  # noqa: E402
from bench.report import full_scans  # noqa: E402

SCHOOLS = ["klaverweide"] + [f"school{n:02d}" for n in range(1, 30)]
QUIET = "stille-school"
RARE = "inzage.extend"
ACTIONS = (
    ("case.view", True),
    ("case.list", True),
    ("dashboard.view", True),
    ("pupil.view", True),
    ("case.transition", False),
    ("case.create", False),
    ("case.note", False),
    ("login", False),
)


def log(*args):
    print(*args, flush=True)


def seed(path, rows, rng_seed=15):
    """The portal's schema and demo, a quiet school with a few rows, then ``rows`` log rows."""
    import sqlite3

    from portal import migrate
    from portal.db import database
    from portal.demo import create_demo
    from portal.models import School
    from portal.registry import get_pm

    app = _app(path)
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate.upgrade(get_pm(), log=lambda *_: None)
        create_demo(get_pm(), log=lambda *_: None)
        School.create(slug=QUIET, name="De Stille School")
        database.close()
    rng = random.Random(rng_seed)
    people = [f"medewerker{n:03d}@asg.example" for n in range(200)] + ["ib@klaverweide.demo"]
    start = datetime.datetime(2021, 12, 1)
    step = datetime.timedelta(days=5 * 365) / max(rows, 1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    columns = (
        "at, user_id, user_email, role, school, case_ref, action, outcome, ip, detail, pupil_id, is_view"
    )
    insert = f"INSERT INTO portal_audit_log ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"  # noqa: S608
    t0 = time.perf_counter()
    # A rare action, first in the history: its filter must not read the school's whole log.
    rare = (
        start.isoformat(sep=" "),
        None,
        people[1],
        "directie",
        SCHOOLS[0],
        "",
        RARE,
        "ok",
        "",
        "",
        None,
        False,
    )
    batch = [rare] * 5
    for n in range(rows):
        action, view = ACTIONS[rng.randrange(len(ACTIONS))]
        school = SCHOOLS[0] if rng.random() < 0.2 else SCHOOLS[rng.randrange(1, len(SCHOOLS))]
        email = people[rng.randrange(len(people))]
        ref = (
            ""
            if action in ("login", "dashboard.view")
            else f"KL-{2022 + n * 5 // rows}-{rng.randrange(2000):04d}"
        )
        if action == "login":
            school = ""
        at = (start + step * n).isoformat(sep=" ")
        batch.append((at, None, email, "directie", school, ref, action, "ok", "", "", None, view))
        if len(batch) == 50_000:
            conn.executemany(insert, batch)
            batch.clear()
    # A rare action, early in the history: its filter must not read the school's whole log.
    rare_at = (start + step).isoformat(sep=" ")
    batch += [
        (rare_at, None, people[1], "directie", SCHOOLS[0], "", "inzage.export", "ok", "", "", None, False)
    ] * 5
    quiet_at = (start + step * rows).isoformat(sep=" ")
    batch += [(quiet_at, None, people[0], "directie", QUIET, "", "case.list", "ok", "", "", None, True)] * 20
    conn.executemany(insert, batch)
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    log(f"  {rows:,} log rows in {time.perf_counter() - t0:.1f} s")


def measure(path, rounds):
    from portal.db import database
    from portal.models import AuditLog
    from portal.testing import login

    app = _app(path)
    client = app.test_client()
    assert login(client, "beheerder@asg.demo").status_code == 302
    with app.app_context():
        database.connect(reuse_if_open=True)
        middle = AuditLog.select(AuditLog.id).order_by(AuditLog.id.desc()).offset(1_000_000).limit(1).scalar()
        ref = AuditLog.get(AuditLog.school == "klaverweide", AuditLog.case_ref != "").case_ref
        database.close()
    base = "/klaverweide/beheer/auditlog"
    pages = {
        "first page": base,
        "a person": f"{base}?wie=ib%40klaverweide.demo",
        "a case": f"{base}?zaak={ref}",
        "a month": f"{base}?van=1-3-2024&tot=31-3-2024",
        "an action": f"{base}?handeling=case.transition",
        "a rare action": f"{base}?handeling={RARE}",
        "further back (voor)": f"{base}?voor={middle}",
        "a quiet school": f"/{QUIET}/beheer/auditlog",
        "case list (yardstick)": "/klaverweide/zaken/",
    }
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = {name: [] for name in pages}
    names = list(pages)
    for n in range(rounds):
        for name in names if n % 2 == 0 else names[::-1]:
            t0 = time.perf_counter()
            assert client.get(pages[name]).status_code == 200
            times[name].append((time.perf_counter() - t0) * 1000)
    scans = {}
    for name, url in pages.items():
        with app.app_context():
            with _Recorder(database) as rec:
                client.get(url)
            database.connect(reuse_if_open=True)
            scans[name] = [line for _, line in full_scans(database, rec.statements)]
            database.close()
    return {name: statistics.median(values) for name, values in times.items()}, scans


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="bench-audit-")
    path = os.path.join(folder, "audit.sqlite3")
    log(f"Audit page: seeding {args.rows:,} log rows …")
    seed(path, args.rows)
    ms, scans = measure(path, args.rounds)
    # The header's "Te doen" count is on every page: its one-row and LIMIT subqueries show as
    # scans of their own rows (not of a table); listed once, as the yardstick's.
    header = set(scans["case list (yardstick)"])
    log(f"  medians of {args.rounds}, Flask test client, the board's beheerder:")
    for name, value in ms.items():
        own = [line for line in scans[name] if line not in header]
        log(f"  {name:<24} {value:8.1f} ms   {'table scans: ' + '; '.join(own) if own else ''}")
    log(f"  every page (the header's count): {'; '.join(sorted(header)) or 'no scans'}")
    bad = [name for name, lines in scans.items() if set(lines) - header]
    log("  PASS  no audit page reads the log without an index" if not bad else f"  FAIL  table scans: {bad}")
    os.remove(path)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
