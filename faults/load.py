"""Closed-loop clients: parents submitting complaints, staff opening pages, both bounded in time.

Every loop stops at its deadline and after ``max_forms``; every request has a
timeout. Clients run as threads of the suite's own process, apart from the
server's processes.
"""

import threading
import time
from collections import Counter
from collections import namedtuple

from . import client


class ComplaintLoad:
    """``clients`` parents, each filling in one form after another (a fresh session each)."""

    def __init__(
        self,
        port,
        tag,
        clients=16,
        seconds=10.0,
        email=False,
        retries=5,
        retry_pause=1.0,
        headers_for=None,
        max_forms=20_000,
        timeout=30,
    ):
        self.port = port
        self.tag = tag
        self.clients = clients
        self.seconds = seconds
        self.email = email
        self.retries = retries
        self.retry_pause = retry_pause
        self.headers_for = headers_for or (lambda i: {})
        self.max_forms = max_forms
        self.timeout = timeout
        self.forms = []
        self.latencies = []  # seconds per acknowledged POST (first try only)
        self.statuses = Counter()
        self.lock = threading.Lock()
        self.threads = []
        self.started = None

    def _run(self, i):
        n = 0
        deadline = self.started + self.seconds
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.forms) >= self.max_forms:
                    return
            session = client.Session(self.port, self.headers_for(i), timeout=self.timeout)
            marker = f"FT-{self.tag}-{i}-{n}"
            statuses = {}
            t0 = time.perf_counter()
            form = client.submit(
                session,
                marker,
                f"ouder{i}.{n}@example.org" if self.email else None,
                retries=self.retries,
                retry_pause=self.retry_pause,
                statuses=statuses,
            )
            elapsed = time.perf_counter() - t0
            session.close()
            with self.lock:
                self.forms.append(form)
                self.statuses.update(statuses)
                if len(form.answers) == 1 and form.acknowledged:
                    self.latencies.append(elapsed)
            if form.answers and form.answers[-1][0] in ("none", "form"):
                time.sleep(0.2)  # the server is down or refusing: do not spin
            n += 1

    def start(self):
        self.started = time.monotonic()
        self.threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.clients)
        ]
        for t in self.threads:
            t.start()
        return self

    def join(self):
        # A form may still be retrying after the deadline: allow for its retries and timeouts.
        limit = time.monotonic() + self.seconds + self.retries * (self.retry_pause + self.timeout) + 60
        for t in self.threads:
            t.join(timeout=max(0.1, limit - time.monotonic()))
        self.elapsed = time.monotonic() - self.started
        return self

    def run(self):
        return self.start().join()

    def acknowledged_per_second(self):
        return sum(1 for f in self.forms if f.acknowledged) / self.seconds


# One answer of a PageLoad: status None when there was no answer; at: time.monotonic() sent.
Answer = namedtuple("Answer", "path status seconds content_type body at")


class PageLoad:
    """One client requesting ``paths`` in turn with its session; times every answer.
    Runs for ``seconds`` at most, or until stop()."""

    def __init__(self, session, paths, seconds, pause=0.0):
        self.session = session
        self.paths = paths
        self.seconds = seconds
        self.pause = pause
        self.answers = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        deadline = time.monotonic() + self.seconds
        i = 0
        while time.monotonic() < deadline and i < 100_000 and not self.stopping.is_set():
            path = self.paths[i % len(self.paths)]
            at = time.monotonic()
            try:
                r = self.session.get(path)
                self.answers.append(
                    Answer(path, r.status, time.monotonic() - at, r.content_type, r.body[:3000], at)
                )
            except client.NoAnswer:
                self.answers.append(Answer(path, None, time.monotonic() - at, "", "", at))
                time.sleep(0.1)
            i += 1
            if self.pause:
                time.sleep(self.pause)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        return self.join()

    def join(self):
        self.thread.join(timeout=self.seconds + self.session.timeout + 10)
        return self


def percentile(values, pct):
    values = sorted(values)
    if not values:
        return 0.0
    k = min(len(values) - 1, max(0, round(pct / 100 * len(values)) - 1))
    return values[k]
