"""Legal hold set while ``flask --app portal purge`` runs, and two purges at once.

Due cases are copies of a demo case with closed_at and retention_until in the
past, written straight into the database.

pinned: the suite takes the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
the due rows FOR UPDATE) before the purge starts, so the purge reads its list
of due cases and then waits at its first delete. While it waits, the suite puts
a third of the due cases on legal hold and commits. This pins the interleaving
"read as due, then put on hold, then deleted" instead of hoping for it.

race: no lock; many due cases, and the suite puts cases on hold one by one
(highest id first, the end the purge reaches last) for as long as the purge
runs.

twice: two purges start while the suite holds the lock, so both read the same
list; after the purge every purged case must have exactly one ``case.purge``
audit row.
"""

import datetime
import subprocess
import time

from ..report import Result

NAME = "purge-hold"
BACKENDS = ("sqlite", "postgres")
SUMMARY = "legal hold set during a purge (held cases deleted?); two purges (audit rows per case)"

PINNED_CASES = 150
RACE_CASES = 600
TWICE_CASES = 200
CLOSED = datetime.datetime(2020, 1, 6, 10, 0)
KEPT_UNTIL = datetime.date(2021, 1, 6)


def seed(db, prefix, n):
    """n due cases (copies of the first demo case); return their ids in order."""
    template = db.value('SELECT MIN("id") FROM "portal_case"')
    db.execute("BEGIN")
    for i in range(n):
        db.copy_row(
            "portal_case",
            template,
            {
                "reference": f"{prefix}-{i:04d}",
                "closed_at": db.stamp(CLOSED),
                "retention_until": db.day(KEPT_UNTIL),
                "legal_hold": False,
                "created_at": db.stamp(CLOSED),
                "updated_at": db.stamp(CLOSED),
            },
        )
    db.execute("COMMIT")
    return [
        r[0]
        for r in db.rows(
            'SELECT "id" FROM "portal_case" WHERE "reference" LIKE ? ORDER BY "id"', (f"{prefix}-%",)
        )
    ]


def present(db, ids):
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    return {
        r[0]
        for r in db.rows(
            f'SELECT "id" FROM "portal_case" WHERE "id" IN ({marks})',  # noqa: S608
            tuple(ids),
        )
    }


def hold(db, case_id):
    """Put one case on legal hold (as the bewaarplicht page does); True if it was there."""
    return (
        db.rowcount(
            'UPDATE "portal_case" SET "legal_hold" = ? WHERE "id" = ? AND "legal_hold" = ?',
            (True, case_id, False),
        )
        == 1
    )


class Pin:
    """The suite holds the write lock on the due cases until release()."""

    def __init__(self, db, ids):
        self.db = db
        db.execute("BEGIN IMMEDIATE" if db.sqlite else "BEGIN")
        if not db.sqlite:
            marks = ", ".join("?" for _ in ids)
            db.execute(f'SELECT "id" FROM "portal_case" WHERE "id" IN ({marks}) FOR UPDATE', tuple(ids))  # noqa: S608

    def wait_for_waiters(self, url_db, n, startup, timeout=30):
        """Until n purges wait for the lock: PostgreSQL shows it; on SQLite allow for the
        purge's start-up and its read (the busy timeout is 5 s or more, so it waits)."""
        if self.db.sqlite:
            time.sleep(min(startup + 1.0, 3.5))
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            waiting = url_db.value(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if waiting >= n:
                return True
            time.sleep(0.05)
        return False

    def release(self):
        self.db.execute("COMMIT")


def start_purges(site, n, tag):
    return [
        site.ctx.checkout.flask_popen(
            ["purge"], site.env(), site.ctx.logdir / f"purge-{tag}-{site.backend.name}-{i}.log"
        )
        for i in range(n)
    ]


def finish(procs, timeout=180):
    codes = []
    for p in procs:
        try:
            codes.append(p.wait(timeout=timeout))
        except subprocess.TimeoutExpired:
            p.kill()
            codes.append("timeout")
        p.log_file.close()
    return codes


def pinned(site, startup):
    with site.db() as db, site.db() as watcher:
        ids = seed(db, "FTP", PINNED_CASES)
        targets = ids[len(ids) // 3 : 2 * len(ids) // 3]
        pin = Pin(db, ids)
        procs = start_purges(site, 1, "pinned")
        blocked = pin.wait_for_waiters(watcher, 1, startup)
        held = [c for c in targets if hold(db, c)]
        pin.release()
        codes = finish(procs)
        left = present(db, ids)
    return {
        "due cases": len(ids),
        "put on hold while the purge waited": len(held),
        "held cases deleted": sum(1 for c in held if c not in left),
        "other due cases deleted": sum(1 for c in ids if c not in held and c not in left),
        "purge exit code": codes[0],
    }, blocked


def race(site):
    with site.db() as db:
        ids = seed(db, "FTR", RACE_CASES)
        procs = start_purges(site, 1, "race")
        # Wait for the purge to delete its first case, then hold from the far end.
        deadline = time.monotonic() + 60
        while len(present(db, ids)) == len(ids) and procs[0].poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        held = []
        for c in reversed(ids):
            if procs[0].poll() is not None:
                break
            if hold(db, c):
                held.append(c)
        codes = finish(procs)
        final = present(db, ids)
    return {
        "due cases": len(ids),
        "put on hold while the purge ran": len(held),
        "held cases deleted": sum(1 for c in held if c not in final),
        "purge exit code": codes[0],
    }, bool(held)


def twice(site, startup):
    with site.db() as db, site.db() as watcher:
        ids = seed(db, "FTD", TWICE_CASES)
        refs = {
            r[0]: r[1]
            for r in db.rows(
                'SELECT "id", "reference" FROM "portal_case" WHERE "reference" LIKE ?', ("FTD-%",)
            )
        }
        pin = Pin(db, ids)
        procs = start_purges(site, 2, "twice")
        blocked = pin.wait_for_waiters(watcher, 2, startup)
        pin.release()
        codes = finish(procs)
        left = present(db, ids)
        audit = dict(
            db.rows(
                'SELECT "case_ref", COUNT(*) FROM "portal_audit_log" WHERE "action" = ? '
                'AND "case_ref" LIKE ? GROUP BY "case_ref"',
                ("case.purge", "FTD-%"),
            )
        )
    purged = [refs[c] for c in ids if c not in left]
    return {
        "due cases": len(ids),
        "purged": len(purged),
        "case.purge audit rows": sum(audit.values()),
        "purged cases with exactly 1 audit row": sum(1 for r in purged if audit.get(r) == 1),
        "purged cases with 2 or more": sum(1 for r in purged if audit.get(r, 0) > 1),
        "purged cases with none": sum(1 for r in purged if not audit.get(r)),
        "purge exit codes": "/".join(str(c) for c in codes),
    }, blocked


def run(ctx, backend):
    r = Result(NAME, backend, headers=["", "value"])
    site = ctx.site(backend, "purge")
    try:
        t0 = time.monotonic()
        site.flask("purge", "--dry-run")
        startup = time.monotonic() - t0

        figures, blocked = pinned(site, startup)
        r.row("pinned", "")
        for k, v in figures.items():
            r.row(f"  {k}", v)
        r.expect(
            "pinned: the purge was waiting when the holds were committed",
            blocked,
            "PostgreSQL: seen in pg_stat_activity"
            if backend == "postgres"
            else f"SQLite: by timing, start-up {startup:.1f} s + 1 s",
        )
        r.expect(
            "pinned: no case on legal hold deleted",
            figures["held cases deleted"] == 0,
            f"{figures['held cases deleted']} of {figures['put on hold while the purge waited']}",
        )

        figures, exercised = race(site)
        r.row("race", "")
        for k, v in figures.items():
            r.row(f"  {k}", v)
        if exercised:
            r.expect(
                "race: no case on legal hold deleted",
                figures["held cases deleted"] == 0,
                f"{figures['held cases deleted']} of {figures['put on hold while the purge ran']}",
            )
        else:
            # SQLite hands the write lock to the purge's back-to-back transactions: a hold
            # from outside may only get it once the purge is done.
            r.expect(
                "race: no case on legal hold deleted",
                None,
                "not exercised: no hold landed while the purge ran; the pinned run covers it",
            )

        figures, blocked = twice(site, startup)
        r.row("two purges at once", "")
        for k, v in figures.items():
            r.row(f"  {k}", v)
        r.expect(
            "twice: both purges read the list before either deleted",
            blocked,
            "PostgreSQL: both seen waiting" if backend == "postgres" else "SQLite: by timing",
        )
        r.expect(
            "twice: exactly one case.purge audit row per purged case",
            figures["purged cases with exactly 1 audit row"] == figures["purged"] and figures["purged"] > 0,
            f"{figures['case.purge audit rows']} rows for {figures['purged']} cases",
        )
        r.expect(
            "twice: both purges end without an error",
            figures["purge exit codes"] == "0/0",
            figures["purge exit codes"],
        )
    finally:
        site.close()
    return r
