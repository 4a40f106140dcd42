"""A second process writing to the portal's SQLite file, as a cron job would.

    python -m faults.writer DB_PATH SECONDS [HOLD]

Transactions of ROWS throttle rows (BEGIN IMMEDIATE, a few tens of
milliseconds of lock each), a short pause between them, with the same 5 s
busy timeout the portal has always used. With HOLD, one transaction a third of
the way in keeps the write lock for HOLD seconds (a long purge or a migration
run while the portal serves). Prints one JSON line: commits and errors. The
rows are removed at the end.
"""

import datetime
import json
import sqlite3
import sys
import time

ROWS = 500
PAUSE = 0.05
KEY = "faults:writer"


def main(path, seconds, hold=0.0):
    conn = sqlite3.connect(path, timeout=5, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    commits, errors = 0, {}
    start = time.monotonic()
    deadline = start + min(seconds, 300)
    while time.monotonic() < deadline:
        if hold and time.monotonic() > start + seconds / 3:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                'INSERT INTO "portal_attempt" ("kind", "key", "at") VALUES (?, ?, ?)',
                ("faults", KEY, "2000-01-01 00:00:00"),
            )
            time.sleep(min(hold, 60))
            conn.execute("COMMIT")
            commits += 1
            hold = 0.0
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                'INSERT INTO "portal_attempt" ("kind", "key", "at") VALUES (?, ?, ?)',
                [("faults", KEY, stamp)] * ROWS,
            )
            conn.execute("COMMIT")
            commits += 1
        except sqlite3.OperationalError as exc:
            errors[str(exc)] = errors.get(str(exc), 0) + 1
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        time.sleep(PAUSE)
    conn.execute('DELETE FROM "portal_attempt" WHERE "key" = ?', (KEY,))
    conn.close()
    print(json.dumps({"commits": commits, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)
