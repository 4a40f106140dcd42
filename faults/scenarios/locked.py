"""Many concurrent writers on SQLite: 32 parents submitting complaints (four times the
server's threads) and a second process writing to the same file (faults/writer.py).

short: the second process commits transactions of a few tens of milliseconds
for the whole run, as a busy cron job would.
long: the same, plus one transaction that keeps the write lock for 6 s (a long
purge, a migration run while serving), longer than SQLite's old 5 s busy
timeout.

Counted: 503 answers and other 5xx, "database is locked" and "database
unavailable" lines in the server's log, and the second writer's own errors.
"""

import json
import subprocess
import sys

from .. import count
from ..context import MANY_PARENTS
from ..load import ComplaintLoad
from ..report import Result

NAME = "locked"
BACKENDS = ("sqlite",)
SUMMARY = "32 parents + a second writing process on SQLite: 503s and 'database is locked'"
CLIENTS = 32
HOLD = 6.0


def measure(ctx, site, tag, seconds, hold):
    server = site.serve(tag)
    before = len(server.log_text())
    try:
        writer = subprocess.Popen(
            [sys.executable, "-m", "faults.writer", str(site.instance.sqlite_path), str(seconds), str(hold)],
            cwd=str(ctx.suite_root),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        load = ComplaintLoad(server.port, tag, clients=CLIENTS, seconds=seconds, retries=0, timeout=60).run()
        out, _ = writer.communicate(timeout=seconds + hold + 60)
        log = server.log_text()[before:]
    finally:
        server.stop()
    with site.db() as db:
        stored = count.stored_complaints(db, tag)
    try:
        wrote = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        wrote = {"commits": 0, "errors": {out[-300:]: 1}}
    figures = count.tally(load.forms, stored, load.statuses)
    return {
        "complaints acknowledged": figures["acknowledged"],
        "complaints stored": figures["stored"],
        "503 answers": load.statuses.get(503, 0),
        "other 5xx answers": sum(n for s, n in load.statuses.items() if s >= 500 and s != 503),
        "refused but stored": figures["refused but stored"],
        "lost": figures["lost"],
        "'database is locked' in the log": log.count("database is locked"),
        "'database unavailable' in the log": log.count("database unavailable"),
        "second writer: commits": wrote["commits"],
        "second writer: errors": sum(wrote["errors"].values()),
    }


def run(ctx, backend):
    seconds = ctx.args.seconds
    r = Result(NAME, backend, headers=["", "short", f"long ({HOLD:.0f} s)"])
    site = ctx.site(backend, "locked", **MANY_PARENTS)
    try:
        for column, tag, hold in (("short", "ls", 0.0), (f"long ({HOLD:.0f} s)", "ll", HOLD)):
            figures = measure(ctx, site, tag, seconds, hold)
            r.table(figures, column)
            fivexx = figures["503 answers"] + figures["other 5xx answers"]
            r.expect(f"{column}: no 5xx (503 included)", fivexx == 0, str(fivexx))
            locked = figures["'database is locked' in the log"]
            unavailable = figures["'database unavailable' in the log"]
            r.expect(
                f"{column}: no 'database is locked' in the server log",
                locked == 0 and unavailable == 0,
                f"{locked} locked, {unavailable} unavailable",
            )
            r.expect(
                f"{column}: nothing lost, nothing refused but stored",
                figures["lost"] == 0 and figures["refused but stored"] == 0,
                f"lost {figures['lost']}, refused but stored {figures['refused but stored']}",
            )
    finally:
        site.close()
    return r
