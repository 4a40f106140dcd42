"""Parents submitting the public complaint form at once (issue 15, item 7): the load of the
complaint submit, and what the parents were told against what the database holds.

Run as its own process (``python bench/complaints.py --port … --database-url … --tag …``),
apart from the server's processes; prints one JSON object. Each of ``--clients`` threads is
a parent filling in one form after another, each with a fresh session (a new connection):
GET the form (its CSRF token and one-time form token), POST it, read the receipt. A form is
sent once: an error answer is counted, not retried, so that "stored but refused" (the
complaint is in the database, the parent saw an error) shows every such answer.

The HTTP client and the counting are the fault suite's (faults/client.py, faults/count.py):
a complaint is found in the database by the marker in its text, ``Storingstest FT-<tag>-…``,
with a plain DB-API connection, never the portal's code.

The rate counts the receipts that arrived between the end of the warm-up and the deadline
(a form takes long against a short window: counting only forms begun in the window would
miss those under way); every form of the load (warm-up included) counts for acknowledged, stored, lost and
the errors. The client's own CPU time per form is reported, to show that the generator is
not what limits the rate.
"""

import argparse
import json
import os
import sys
import threading
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from faults import client  # noqa: E402 (after the path)
from faults import count  # noqa: E402


def percentile(values, pct):
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(pct / 100 * len(values)) - 1))]


def run(port, database_url, tag, clients=16, duration=4.0, warmup=1.0, timeout=30, max_forms=20_000):
    cpu0 = time.process_time()
    start = time.monotonic()
    window_start = start + warmup
    deadline = window_start + duration
    lock = threading.Lock()
    forms, statuses = [], Counter()
    in_window, post_ms, form_ms = [0], [], []

    def parent(i):
        n = 0
        while time.monotonic() < deadline:
            with lock:
                if len(forms) >= max_forms:
                    return
            session = client.Session(port, timeout=timeout)
            form = client.Form(session, f"FT-{tag}-{i}-{n}")
            n += 1
            t0 = time.monotonic()
            sent = None
            try:
                page = form.open()
            except client.NoAnswer as exc:
                form.answers.append(("none", f"form page: {exc}"))
                page = None
            if page is not None:
                with lock:
                    statuses[page.status] += 1
                if page.status != 200:
                    form.answers.append(("form", page.status))
                else:
                    t1 = time.monotonic()
                    outcome, r = form.send()
                    sent = (t1, time.monotonic())
                    if r is not None:
                        with lock:
                            statuses[r.status] += 1
            session.close()
            with lock:
                forms.append(form)
                if sent and form.acknowledged and window_start <= sent[1] <= deadline:
                    in_window[0] += 1
                    post_ms.append((sent[1] - sent[0]) * 1000)
                    form_ms.append((sent[1] - t0) * 1000)
            if form.answers and form.answers[-1][0] in ("none", "form"):
                time.sleep(0.2)  # the server is refusing: do not spin

    threads = [threading.Thread(target=parent, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=warmup + duration + timeout + 10)
    cpu = time.process_time() - cpu0
    with count.DB(database_url.split("?")[0]) as db:
        stored = count.stored_complaints(db, tag)
    tally = count.tally(forms, stored, statuses)
    return {
        "forms": len(forms),
        "acknowledged": tally["acknowledged"],
        "stored": tally["stored"],
        "lost": tally["lost"],
        "doubled": tally["doubled"],
        "refused_but_stored": tally["refused but stored"],
        "unanswered_but_stored": tally["unanswered but stored"],
        "errors_5xx": tally["5xx answers"],
        "throttled_429": tally["429 answers"],
        "no_answer": tally["no answer (tries)"],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "rps": in_window[0] / duration,
        "requests": in_window[0],
        "p50_ms": percentile(post_ms, 50),
        "p95_ms": percentile(post_ms, 95),
        "p99_ms": percentile(post_ms, 99),
        "form_p50_ms": percentile(form_ms, 50),
        "client_cpu_ms_per_form": cpu * 1000 / len(forms) if forms else 0.0,
        "latencies_ms": [round(x, 3) for x in post_ms],
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--database-url", required=True, help="where the complaints are counted")
    ap.add_argument("--tag", required=True, help="letters and digits: marks this load's complaints")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--duration", type=float, default=4.0)
    ap.add_argument("--warmup", type=float, default=1.0)
    args = ap.parse_args(argv)
    if not args.tag.isalnum():
        ap.error("--tag: letters and digits only")
    out = run(
        args.port,
        args.database_url,
        args.tag,
        clients=max(1, min(args.clients, 64)),
        duration=min(args.duration, 60.0),
        warmup=min(args.warmup, 10.0),
    )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
