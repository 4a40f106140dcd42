"""Complaint throughput and staff page latency with an SMTP relay that hangs.

Two runs on the same database, each with a freshly started server: without
SMTP configured, and with SMTP_HOST pointing at a server that accepts the TCP
connection and never sends its greeting (the portal's default SMTP_TIMEOUT of
5 s applies). Twelve parents (more than the server's eight threads) submit
complaints with a contact e-mail address (each queues mail), and one logged-in
staff member opens the case list in a loop. A staff page that takes longer
than 2 s counts as stalled. Where the version has an outbox worker
(``flask --app portal outbox work``), one runs beside the server, as in
production, and hangs on the relay instead of the web requests.
"""

from .. import client
from ..context import MANY_PARENTS
from ..load import ComplaintLoad
from ..load import PageLoad
from ..load import percentile
from ..report import Result
from ..serve import HOST
from ..serve import stop_process
from ..smtp import Hanging

NAME = "smtp-hang"
BACKENDS = ("sqlite", "postgres")
SUMMARY = "complaint throughput and staff latency with a hanging SMTP server vs none"
PARENTS = 12  # more than the server's 8 threads, as on a busy morning
STALL = 2.0
MIN_RATIO = 0.5  # with a hanging relay at least half the throughput of no relay


def measure(site, name, seconds, worker=False, **env):
    server = site.serve(name, **env)
    work = None
    if worker:
        work = site.ctx.checkout.flask_popen(
            ["outbox", "work"], site.env(**env), site.ctx.logdir / f"smtp-hang-worker-{site.backend.name}.log"
        )
    try:
        staff = client.Session(server.port, timeout=60)
        if not client.logged_in(client.login(staff)):
            raise RuntimeError("staff login failed")
        pages = PageLoad(staff, [f"/{client.SCHOOL}/zaken/"], seconds).start()
        load = ComplaintLoad(
            server.port, name, clients=PARENTS, seconds=seconds, email=True, retries=0, timeout=60
        ).run()
        pages.join()
        staff.close()
    finally:
        server.stop()
        if work is not None:
            stop_process(work)
    times = [a.seconds for a in pages.answers if a.status is not None]
    return {
        "complaints acknowledged": sum(1 for f in load.forms if f.acknowledged),
        "complaints per second": round(load.acknowledged_per_second(), 1),
        "p50 submit (ms)": round(percentile(load.latencies, 50) * 1000),
        "p95 submit (ms)": round(percentile(load.latencies, 95) * 1000),
        "staff pages answered": len(times),
        "staff pages 200": sum(1 for a in pages.answers if a.status == 200),
        "staff p50 (ms)": round(percentile(times, 50) * 1000),
        "staff max (ms)": round(max(times, default=0) * 1000),
        f"staff pages > {STALL:.0f} s": sum(1 for t in times if t > STALL),
        "5xx answers": sum(n for s, n in load.statuses.items() if s >= 500)
        + sum(1 for a in pages.answers if a.status and a.status >= 500),
    }


def run(ctx, backend):
    seconds = max(6.0, ctx.args.seconds * 0.8)
    r = Result(NAME, backend, headers=["", "no SMTP", "hanging SMTP"])
    site = ctx.site(backend, "smtphang", **MANY_PARENTS)
    try:
        base = measure(site, "nosmtp", seconds, SMTP_HOST="")
        r.table(base, "no SMTP")
        worker = ctx.checkout.has_command(site.env(), "outbox", "work")
        with Hanging() as hang:
            hung = measure(site, "hang", seconds, worker=worker, SMTP_HOST=HOST, SMTP_PORT=hang.port)
            accepted = hang.accepted
        r.table(hung, "hanging SMTP")
        r.note(
            f"the hanging server accepted {accepted} connections from the portal"
            + (
                "; an outbox worker ran beside the server"
                if worker
                else "; this version has no outbox worker: the web requests send"
            )
        )
    finally:
        site.close()
    ratio = (
        hung["complaints per second"] / base["complaints per second"]
        if base["complaints per second"]
        else 0.0
    )
    r.expect(
        f"hanging SMTP keeps at least {MIN_RATIO:.0%} of the complaint throughput",
        ratio >= MIN_RATIO,
        f"{ratio:.0%}",
    )
    stalled = hung[f"staff pages > {STALL:.0f} s"]
    r.expect(
        "staff pages do not stall with a hanging SMTP server",
        stalled == 0,
        f"{stalled} of {hung['staff pages answered']} took more than {STALL:.0f} s",
    )
    r.expect(
        "no 5xx",
        hung["5xx answers"] == 0 and base["5xx answers"] == 0,
        f"{base['5xx answers']} / {hung['5xx answers']}",
    )
    return r
