"""Two staff members take two different steps on the same complaint at the same moment.

Ten new complaints (state "ontvangen") are submitted through the public form.
For each, the directie sends "In behandeling nemen" and "Afronden" (both allowed
from "ontvangen") at once: both requests are written to their sockets except
the last byte, and the two last bytes go out together, so the server gets them
within microseconds. At most one of the two may start from "ontvangen"; the
other must be refused ("De zaak is intussen door iemand anders gewijzigd") or
run after it (Afronden is also allowed from "in behandeling").

Counted from the database: cases with two transition events from "ontvangen",
i.e. both steps taken from the same state.
SQLite serialises writers (BEGIN IMMEDIATE), so there it is a control run; the
finding is on PostgreSQL.
"""

import datetime
import socket
import threading
from urllib.parse import urlencode

from .. import client
from ..context import MANY_PARENTS
from ..report import Result
from ..serve import HOST

NAME = "transitions"
BACKENDS = ("postgres", "sqlite")
SUMMARY = "10 cases, two simultaneous transitions each: cases where both succeeded"
CASES = 10


def raw_post(port, path, cookie, data):
    body = urlencode(data).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nCookie: {cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + body


def send_together(port, requests):
    """Send each request but its last byte, then all last bytes at once; return statuses."""
    socks = []
    for req in requests:
        s = socket.create_connection((HOST, port), timeout=30)
        s.sendall(req[:-1])
        socks.append(s)
    barrier = threading.Barrier(len(socks))
    statuses = [None] * len(socks)

    def finish(i):
        barrier.wait()
        socks[i].sendall(requests[i][-1:])
        data = b""
        while True:
            chunk = socks[i].recv(65536)
            if not chunk:
                break
            data += chunk
        socks[i].close()
        try:
            statuses[i] = int(data.split(b" ", 2)[1])
        except (IndexError, ValueError):
            statuses[i] = None

    threads = [threading.Thread(target=finish, args=(i,)) for i in range(len(socks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return statuses


def run(ctx, backend):
    r = Result(NAME, backend, headers=["", "count"])
    site = ctx.site(backend, "transitions", **MANY_PARENTS)
    try:
        server = site.serve()
        refs = []
        for i in range(CASES):
            form = client.submit(client.Session(server.port), f"FT-t-{i}")
            if not form.acknowledged:
                raise RuntimeError(f"complaint {i} not acknowledged: {form.answers}")
            refs.append(form.acknowledged)
        staff = client.Session(server.port)
        if not client.logged_in(client.login(staff)):
            raise RuntimeError("directie login failed")
        page = staff.get(f"/{client.SCHOOL}/zaken/{refs[0]}")
        token = client.hidden_fields(page.body).get("csrf_token", "")
        cookie = staff.cookie_header()
        today = datetime.date.today().isoformat()
        statuses = {}
        for ref in refs:
            base = f"/{client.SCHOOL}/zaken/{ref}/stap"
            pair = [
                raw_post(
                    server.port,
                    f"{base}/klachten.in_behandeling",
                    cookie,
                    {"csrf_token": token, "contact_on": today, "contact_how": "telefoon"},
                ),
                raw_post(
                    server.port,
                    f"{base}/klachten.afronden",
                    cookie,
                    {
                        "csrf_token": token,
                        "close_outcome": "opgelost",
                        "close_summary": "Storingstest: tegelijk afgerond.",
                    },
                ),
            ]
            got = send_together(server.port, pair)
            for s in got:
                statuses[s] = statuses.get(s, 0) + 1
        marks = ", ".join("?" for _ in refs)
        with site.db() as db:
            events = dict(
                db.rows(
                    'SELECT c."reference", COUNT(*) FROM "portal_case_event" AS e '  # noqa: S608
                    'JOIN "portal_case" AS c ON c."id" = e."case_id" '
                    f'WHERE e."kind" = ? AND e."from_state" = ? AND c."reference" IN ({marks}) '
                    'GROUP BY c."reference"',
                    ("transition", "ontvangen", *refs),
                )
            )
            states = dict(
                db.rows(
                    f'SELECT "state", COUNT(*) FROM "portal_case" '  # noqa: S608
                    f'WHERE "reference" IN ({marks}) GROUP BY "state"',
                    tuple(refs),
                )
            )
        both_db = sum(1 for ref in refs if events.get(ref, 0) >= 2)
        r.row("cases", CASES)
        r.row("both steps taken from 'ontvangen'", both_db)
        r.row("one step from 'ontvangen'", sum(1 for ref in refs if events.get(ref, 0) == 1))
        r.row("answers", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str)))
        r.row("final states", ", ".join(f"{k}: {v}" for k, v in sorted(states.items())))
        r.expect("no case took both steps from the same state", both_db == 0, f"{both_db} of {CASES}")
        r.expect(
            "every request answered, no 5xx",
            None not in statuses and not any(s >= 500 for s in statuses if s is not None),
            ", ".join(f"{k}: {v}" for k, v in statuses.items()),
        )
    finally:
        site.close()
    return r
