"""PostgreSQL goes down under a served portal, and comes back.

On a throwaway cluster of the suite's own (never the shared server): clients
open a staff page (logged in as directie), the public complaint form and
/health in loops; after 3 s the cluster is stopped (pg_ctl stop -m fast), 6 s
later started again, and the clients go on for up to 15 s more. Answers while
the database is down are sorted into: the Dutch 503 page (HTML), plain text,
other. The portal is not restarted: it must answer 200 again by itself.

Also /health of a portal whose database was never migrated (empty PostgreSQL
database, empty SQLite file): it cannot do its work, so it must answer 503.
"""

import time
from collections import Counter

from .. import client
from ..load import PageLoad
from ..pgcluster import Cluster
from ..report import Result

NAME = "pg-outage"
BACKENDS = ("postgres",)
SUMMARY = "database stopped under load: Dutch 503 page vs plain-text 500; recovery; unmigrated /health"

UP, DOWN, RECOVER = 3.0, 6.0, 15.0
PATHS = {
    "staff page": f"/{client.SCHOOL}/zaken/",
    "public form": client.FORM,
    "/health": "/health",
}
DUTCH = ("niet beschikbaar", "Er ging iets mis")


def kind(a):
    """Sort one answer given while the database was down."""
    if a.status is None:
        return "no answer"
    html = "text/html" in a.content_type
    text = "text/plain" in a.content_type
    dutch = any(p in a.body for p in DUTCH)
    if a.status == 503 and html and dutch:
        return "503 Dutch page"
    if a.status == 503:
        return "503 " + ("plain text" if text else a.content_type.split(";")[0] or "?")
    if a.status == 500:
        return "500 " + ("plain text" if text else "HTML" if html else a.content_type.split(";")[0])
    return str(a.status)


def recovery(answers, t_up):
    """Seconds after the restart until the last answer that was not 200; None if the
    portal still fails at the end."""
    after = [a for a in answers if a.at >= t_up]
    if not after or after[-1].status != 200:
        return None
    bad = [a.at + a.seconds for a in after if a.status != 200]
    return round(max(bad) - t_up, 1) if bad else 0.0


def never_migrated(ctx, backend, url=None):
    site = ctx.site(backend, f"never-{backend}", demo=None, url=url)
    try:
        server = site.serve("never")
        r = client.Session(server.port).get("/health")
        return r.status
    finally:
        site.close()


def run(ctx, backend):
    r = Result(NAME, backend, headers=["while down", *PATHS])
    with Cluster() as cluster:
        cluster.start()
        cluster.create_database("faults_outage")
        cluster.create_database("faults_never")
        site = ctx.site(backend, "outage", url=cluster.url("faults_outage"))
        try:
            server = site.serve()
            staff = client.Session(server.port, timeout=15)
            if not client.logged_in(client.login(staff)):
                raise RuntimeError("directie login failed")
            limit = UP + DOWN + RECOVER + 30
            sessions = {
                "staff page": [staff],
                "public form": [client.Session(server.port, timeout=15) for _ in range(2)],
                "/health": [client.Session(server.port, timeout=15) for _ in range(2)],
            }
            loads = {
                name: [PageLoad(s, [PATHS[name]], limit).start() for s in sessions[name]] for name in PATHS
            }
            time.sleep(UP)
            cluster.stop("fast")
            t_down = time.monotonic()
            time.sleep(DOWN)
            t_restart = time.monotonic()
            cluster.start()
            cluster.wait_up()
            t_up = time.monotonic()
            time.sleep(RECOVER)
            for ls in loads.values():
                for load in ls:
                    load.stop()
            alive = server.proc.poll() is None
            log = server.log_text()
        finally:
            site.close()
        never_pg = never_migrated(ctx, backend, cluster.url("faults_never"))
    never_sqlite = never_migrated(ctx, "sqlite")

    kinds, recovered, latency = {}, {}, {}
    for name, ls in loads.items():
        answers = sorted((a for load in ls for a in load.answers), key=lambda a: a.at)
        down = [a for a in answers if t_down <= a.at and a.at + a.seconds <= t_restart]
        kinds[name] = Counter(kind(a) for a in down)
        recovered[name] = recovery(answers, t_up)
        latency[name] = max((a.seconds for a in down), default=0.0)
    labels = sorted({k for c in kinds.values() for k in c}, key=lambda k: (k != "503 Dutch page", k))
    for label in labels:
        r.row(label, *(kinds[name].get(label, 0) for name in PATHS))
    r.row("slowest answer while down (s)", *(f"{latency[n]:.2f}" for n in PATHS))
    r.row("200 again after restart (s)", *(recovered[n] if recovered[n] is not None else "no" for n in PATHS))
    r.row("/health, never migrated", f"postgres {never_pg}", f"sqlite {never_sqlite}", "")

    for name in ("staff page", "public form"):
        other = sum(n for k, n in kinds[name].items() if k != "503 Dutch page")
        r.expect(
            f"{name}: only the Dutch 503 page while the database is down",
            other == 0 and kinds[name]["503 Dutch page"] > 0,
            ", ".join(f"{k}: {n}" for k, n in kinds[name].items()),
        )
    health = kinds["/health"]
    r.expect(
        "/health: 503 while the database is down",
        bool(health) and all(k.startswith("503") for k in health),
        ", ".join(f"{k}: {n}" for k, n in health.items()),
    )
    r.expect(
        "recovers without a restart (every path 200 again)",
        alive and all(v is not None for v in recovered.values()),
        ", ".join(f"{n}: {v if v is not None else 'no'}" for n, v in recovered.items()),
    )
    r.expect(
        "/health is 503 on a database that was never migrated",
        never_pg == 503 and never_sqlite == 503,
        f"postgres {never_pg}, sqlite {never_sqlite}",
    )
    r.note(f"server log: {log.count('Traceback')} tracebacks while down")
    return r
