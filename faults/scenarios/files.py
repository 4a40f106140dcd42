"""File modes of what the portal writes on disk with SQLite: all of it must be 0600.

The database holds complaints about children; the secret key signs sessions.
Every process runs with the common service umask 022, so a file the portal
does not protect itself comes out world-readable (0644).

The instance is set up as a first install would be: ``init-db --demo`` in
development mode (which makes the instance's secret_key file), then served in
production mode while parents submit complaints: the -wal and -shm files
exist only while a connection is open (the last one to close removes them), so
their modes are read while the load runs. Last ``flask --app portal backup FILE``.
"""

import os
import stat
import time

from ..context import MANY_PARENTS
from ..load import ComplaintLoad
from ..report import Result

NAME = "files"
BACKENDS = ("sqlite",)
SUMMARY = "modes of the SQLite database, -wal, -shm, secret key and backup (expect 0600)"


def mode(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None


def run(ctx, backend):
    r = Result(NAME, backend, headers=["file", "mode", "others can read"])
    site = ctx.site(backend, "files", demo=None, **MANY_PARENTS)
    try:
        dev = site.env(PORTAL_ENV="development", SECRET_KEY=None)
        site.flask("init-db", "--demo", env=dev)
        server = site.serve()
        db_path = str(site.instance.sqlite_path)
        files = {
            "portal.sqlite3": db_path,
            "portal.sqlite3-wal": db_path + "-wal",
            "portal.sqlite3-shm": db_path + "-shm",
            "secret_key": str(site.instance.path / "secret_key"),
        }
        modes = {}
        load = ComplaintLoad(server.port, "f", clients=4, seconds=4).start()
        while time.monotonic() < load.started + load.seconds:
            for name, p in files.items():
                if modes.get(name) is None:
                    modes[name] = mode(p)
            if all(m is not None for m in modes.values()):
                break
            time.sleep(0.002)
        load.join()
        acked = sum(1 for f in load.forms if f.acknowledged)
        backup = str(site.instance.path.parent / "backup.sqlite3")
        site.flask("backup", backup)
        modes["backup (flask backup)"] = mode(backup)
        folder = mode(site.instance.path)
    finally:
        site.close()
    for name, m in modes.items():
        r.row(
            name, "missing" if m is None else f"{m:04o}", "" if m is None else ("yes" if m & 0o044 else "no")
        )
    r.row("(instance folder)", f"{folder:04o}", "yes" if folder & 0o044 else "no")
    r.expect("complaints were written while serving", acked > 0, f"{acked} receipts")
    for name, m in modes.items():
        r.expect(f"{name} is 0600", m == 0o600, "missing" if m is None else f"{m:04o}")
    return r
