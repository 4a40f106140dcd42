"""16 parents submit complaints at once under gunicorn, then again while a worker and then the
whole server are killed with SIGKILL.

Each form is a fresh session (GET the form, POST it). After no answer or a 5xx
the parent sends the same form again (up to five times, a second apart), as a
person pressing 'send' again would: the form's one-time token must then give
the first complaint's receipt, not a second complaint.
"""

import time

from .. import count
from ..context import MANY_PARENTS
from ..load import ComplaintLoad
from ..load import percentile
from ..report import Result

NAME = "complaints"
BACKENDS = ("sqlite", "postgres")
SUMMARY = "16 concurrent parents: acknowledged vs stored, lost, doubled, 5xx; also under kill -9"
CLIENTS = 16


def figures(load, site, tag):
    with site.db() as db:
        stored = count.stored_complaints(db, tag)
    out = count.tally(load.forms, stored, load.statuses)
    out["acknowledged per second"] = round(load.acknowledged_per_second(), 1)
    out["p50 submit (ms)"] = round(percentile(load.latencies, 50) * 1000)
    return out


def run(ctx, backend):
    seconds = ctx.args.seconds
    r = Result(NAME, backend, headers=["", "steady", "kill -9"])
    site = ctx.site(backend, "complaints", **MANY_PARENTS)
    try:
        server = site.serve()
        steady = ComplaintLoad(server.port, "s", clients=CLIENTS, seconds=seconds).run()
        r.table(figures(steady, site, "s"), "steady")

        kill_seconds = seconds * 1.5
        load = ComplaintLoad(server.port, "k", clients=CLIENTS, seconds=kill_seconds).start()
        time.sleep(kill_seconds / 3)
        worker = server.kill_worker()
        time.sleep(kill_seconds / 3)
        server.kill()
        t0 = time.monotonic()
        server.start()  # as a supervisor (systemd) would restart it
        restart = time.monotonic() - t0
        load.join()
        r.table(figures(load, site, "k"), "kill -9")
        r.note(
            f"kill run: worker {worker} killed at {kill_seconds / 3:.0f} s, the whole server at "
            f"{2 * kill_seconds / 3:.0f} s, answering again {restart:.1f} s later"
        )
    finally:
        site.close()

    for col in ("steady", "kill -9"):
        for label, what in (
            ("lost", "every acknowledged complaint is stored"),
            ("doubled", "no form stored twice"),
            ("refused but stored", "no error answer for a stored complaint"),
            ("5xx answers", "no 5xx"),
        ):
            n = r.value(label, col)
            r.expect(f"{col}: {what}", n == 0, f"{label}: {n}")
    return r
