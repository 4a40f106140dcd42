"""The portal behind one reverse proxy: the throttles must count each parent's own address.

The proxy is simulated: every request carries the ``X-Forwarded-For`` header a
proxy would add, and the portal starts with ``PORTAL_PROXIES=1`` (the number
of proxies in front of it). A version that does not know that setting sees
every client as 127.0.0.1, the proxy's address. Default throttle limits.

parents: 16 parents from 16 addresses each submit one complaint at the same time.
logins: five wrong passwords for the directie's account from one address, then at
once the directie's correct login from another address (must not be throttled: a
stranger slows down himself, not the account's owner), and three more wrong ones from
the first address (one of them must be refused: past the free five each try waits twice
as long as the one before, 1, 2, 4 s, so a slow answer may let the sixth through). Last,
an attacker who rotates a forged first hop of X-Forwarded-For behind the proxy (the
proxy appends the real address) must still be throttled within eight tries at one account.
The addresses are in 127.0.0.0/8: they are only header values, never contacted.
"""

import threading
import time

from .. import client
from ..report import Result

NAME = "proxy"
BACKENDS = ("sqlite", "postgres")
SUMMARY = "behind one proxy (X-Forwarded-For, PORTAL_PROXIES=1): 16 parents, login throttle per address"
PARENTS = 16


def xff(address):
    return {"X-Forwarded-For": address}


def parents(port):
    forms = [None] * PARENTS
    statuses = {}
    lock = threading.Lock()

    def one(i):
        s = client.Session(port, xff(f"127.20.0.{i + 1}"))
        got = {}
        forms[i] = client.submit(s, f"FT-p-{i}", statuses=got)
        s.close()
        with lock:
            for k, v in got.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=one, args=(i,)) for i in range(PARENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return forms, statuses


def wrong_login(port, headers, email):
    s = client.Session(port, headers)
    r = client.login(s, email, "fout-wachtwoord-123")
    s.close()
    return r.status


def run(ctx, backend):
    r = Result(NAME, backend, headers=["", "value"])
    known = ctx.checkout.source_mentions("PORTAL_PROXIES")
    site = ctx.site(backend, "proxy", PORTAL_PROXIES=1)
    try:
        server = site.serve(PORTAL_PROXIES="1")
        forms, statuses = parents(server.port)
        acked = sum(1 for f in forms if f and f.acknowledged)
        r.row("parents: receipts", f"{acked} of {PARENTS}")
        r.row("parents: 429 answers", statuses.get(429, 0))

        attacker = xff("127.20.1.1")
        target = client.DIRECTIE
        wrong = [wrong_login(server.port, attacker, target) for _ in range(5)]
        staff = client.Session(server.port, xff("127.20.1.2"))
        t0 = time.perf_counter()
        good = client.login(staff)
        good_s = time.perf_counter() - t0
        more = [wrong_login(server.port, attacker, target) for _ in range(3)]
        staff.close()
        r.row("five wrong passwords (directie) from 127.20.1.1", "/".join(map(str, wrong)))
        r.row("then the directie's login from 127.20.1.2", f"{good.status} in {good_s:.2f} s")
        r.row("then three more wrong ones from 127.20.1.1", "/".join(map(str, more)))

        other = f"ib@{client.SCHOOL}.demo"
        forged = [wrong_login(server.port, xff(f"127.30.0.{i + 1}, 127.20.1.3"), other) for i in range(8)]
        r.row("rotating forged first hop, real 127.20.1.3", "/".join(map(str, forged)))
    finally:
        site.close()
    if not known:
        r.note(
            "PORTAL_PROXIES is not known to this version: X-Forwarded-For is ignored and "
            "every client counts as 127.0.0.1"
        )
    r.expect(
        "16 parents from 16 addresses: no 429",
        statuses.get(429, 0) == 0 and acked == PARENTS,
        f"{statuses.get(429, 0)} × 429, {acked} receipts",
    )
    r.expect(
        "five wrong logins elsewhere do not throttle a correct login",
        client.logged_in(good),
        f"answer {good.status}",
    )
    r.expect(
        "the address with five wrong logins is throttled",
        429 in more,
        "answers " + "/".join(map(str, more)),
    )
    r.expect(
        "a forged X-Forwarded-For hop does not escape the throttle",
        429 in forged[5:],
        "tries 6 to 8 answered " + "/".join(map(str, forged[5:])),
    )
    return r
