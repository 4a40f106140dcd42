"""docs/security.md F1: parents submitting at the same moment on SQLite lose nothing.

Two processes post complaints to the portal served on 127.0.0.1 (werkzeug,
threaded) at the same time. Every submission must get its receipt, no answer
may be a 5xx, and every acknowledged complaint must be in the database with a
unique reference and no gaps.
"""

import http.cookiejar
import multiprocessing
import re
import urllib.parse
import urllib.request

import pytest

from portal.db import database
from portal.models import Case

from .conftest import PG_URL

PER_PROCESS = 100
REF_RE = re.compile(r'id="referentie">(KL-\d{4}-(\d{4}))<')
TOKEN_RE = re.compile(r'name="(csrf_token|form_token)"[^>]*? value="([^"]+)"')


def _submit_many(base, n, out):
    refs, errors = [], []
    for i in range(n):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(f"{base}/klaverweide/klachten/indienen", timeout=30).read().decode()
        tokens = dict(TOKEN_RE.findall(html))
        data = urllib.parse.urlencode(
            {
                "category": "pesten",
                "what_happened": f"Gelijktijdige melding {i}",
                **tokens,
            }
        ).encode()
        try:
            body = opener.open(f"{base}/klaverweide/klachten/indienen", data=data, timeout=30).read().decode()
        except urllib.error.HTTPError as exc:
            errors.append(exc.code)
            continue
        m = REF_RE.search(body)
        if m:
            refs.append(m.group(1))
        else:
            errors.append("geen referentie")
    out.put((refs, errors))


@pytest.mark.skipif(PG_URL.startswith("postgres"), reason="the SQLite locking path")
def test_two_processes_submitting_lose_nothing(app, live_server):
    app.config["THROTTLE_FREE_ATTEMPTS"] = 10_000  # one address plays many parents here
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_submit_many, args=(live_server, PER_PROCESS, out)) for _ in range(2)]
    for p in procs:
        p.start()
    results = [out.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    refs = [r for got, _ in results for r in got]
    errors = [e for _, errs in results for e in errs]
    assert errors == []
    assert len(refs) == 2 * PER_PROCESS and len(set(refs)) == len(refs)
    with app.app_context():
        database.connect(reuse_if_open=True)
        stored = {c.reference for c in Case.select().where(Case.case_type == "klachten.klacht")}
        database.close()
    assert set(refs) <= stored
    numbers = sorted(int(r.rsplit("-", 1)[1]) for r in stored if r.startswith("KL-"))
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # no gaps
