"""The fault-injection suite: ``make faults`` (``python -m faults``).

Serves a portal checkout with gunicorn as production does, injects one fault
per scenario, counts what parents and staff were told against what the
database holds, prints a table and a verdict per scenario and database, and
writes JSON and Markdown to ``--out``. Exits 1 when an expectation is not met
(or a scenario could not run).
"""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import report
from .context import Context
from .scenarios import SCENARIOS
from .serve import Checkout

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    names = [s.NAME for s in SCENARIOS]
    ap = argparse.ArgumentParser(prog="python -m faults", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--portal", default=str(ROOT), help="checkout whose code is served (default: this repository)"
    )
    ap.add_argument(
        "--only", action="append", default=[], help=f"scenario(s) to run, comma-separated: {', '.join(names)}"
    )
    ap.add_argument(
        "--db", default="sqlite,postgres", help="databases to run on, comma-separated (sqlite, postgres)"
    )
    ap.add_argument(
        "--pg",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL maintenance database; the suite makes faults_* databases",
    )
    ap.add_argument("--out", default="/tmp/faults-results", help="where JSON and Markdown go")
    ap.add_argument(
        "--seconds",
        type=float,
        default=15.0,
        help="length of each complaint run (the kill run takes 1.5 times this)",
    )
    ap.add_argument(
        "--old-rev",
        default="ea7f12b",
        help="revision whose init-db makes the old database of the upgrade scenario",
    )
    ap.add_argument(
        "--history", default=None, help="git repository holding --old-rev (default: this repository)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the work folder and databases")
    ap.add_argument("--list", action="store_true", help="list the scenarios and stop")
    args = ap.parse_args(argv)
    args.only = [n.strip() for part in args.only for n in part.split(",") if n.strip()]
    unknown = [n for n in args.only if n not in names]
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(unknown)}; choose from {', '.join(names)}")
    args.db = [d.strip() for d in args.db.split(",") if d.strip()]
    if any(d not in ("sqlite", "postgres") for d in args.db):
        ap.error("--db: sqlite and/or postgres")
    if args.history is None:
        args.history = str(ROOT if (ROOT / ".git").exists() else args.portal)
    args.seconds = max(3.0, min(args.seconds, 120.0))
    return args


def describe(path):
    """The checkout's commit, and whether its work tree differs from it (read-only git)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(path), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(path), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"{head} (+ uncommitted changes)" if head and dirty else head


def load_average():
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for s in SCENARIOS:
            print(f"{s.NAME:14} {'/'.join(s.BACKENDS):16} {s.SUMMARY}")
        return 0
    checkout = Checkout(args.portal)
    os.umask(0o022)
    workdir = tempfile.mkdtemp(prefix="faults-work-")
    out = Path(args.out)
    logdir = out / "logs"
    if logdir.exists():
        shutil.rmtree(logdir)
    logdir.mkdir(parents=True)
    ctx = Context(checkout, workdir, logdir, args)
    head = describe(checkout.path)
    print(
        f"Fault-injection suite: serving {checkout.path} ({head or 'no git'}); "
        f"databases: {', '.join(args.db)}; work folder {workdir}",
        flush=True,
    )
    results = []
    load_start = load_average()
    t_start = time.monotonic()
    try:
        for scenario in SCENARIOS:
            if args.only and scenario.NAME not in args.only:
                continue
            for backend in scenario.BACKENDS:
                if backend not in args.db:
                    continue
                t0 = time.monotonic()
                try:
                    result = scenario.run(ctx, backend)
                except Exception as exc:  # one broken scenario must not hide the others' figures
                    result = report.Result(scenario.NAME, backend)
                    result.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-4000:]}"
                result.seconds = time.monotonic() - t0
                results.append(result)
                print(report.render(result), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    total = time.monotonic() - t_start
    print(report.summary(results))
    print(f"  total: {total:.0f} s")
    meta = {
        "portal": str(checkout.path),
        "commit": head,
        "databases": ", ".join(args.db),
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "seconds": round(total, 1),
        "command": " ".join(["python -m faults", *sys.argv[1:]]),
        # Timing figures (throughput, latency) depend on what else the machine runs.
        "load average at start / end": f"{load_start} / {load_average()}",
    }
    json_path, md_path = report.write(results, out, meta)
    print(f"  results: {json_path} and {md_path}; server logs in {logdir}")
    bad = [r for r in results if r.verdict in (report.FAIL, report.ERROR)]
    return 1 if bad else 0
