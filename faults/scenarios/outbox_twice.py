"""200 queued mails, two senders started at the same moment, an SMTP collector on 127.0.0.1.

The mails are copies of a demo outbox row written straight into the table (so
the suite works on old and new schemas); the demo's own mail is marked sent
first, so only these 200 are due. The collector takes 20 ms per message, as a
real relay takes some milliseconds, so that two senders really overlap.

send: two ``flask --app portal outbox send`` (the cron command).
work: two ``flask --app portal outbox work`` (the worker of newer versions),
stopped once every mail is sent or after a minute.
"""

import datetime
import subprocess
import time

from ..context import MANY_PARENTS
from ..report import Result
from ..serve import HOST
from ..serve import stop_process
from ..smtp import Collector

NAME = "outbox-twice"
BACKENDS = ("sqlite", "postgres")
SUMMARY = "two outbox senders at once: delivered / doubled / left unsent of 200 mails"
MAILS = 200


def utcnow():
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def queue(db, tag, n):
    now = utcnow()
    db.execute('UPDATE "portal_outbox" SET "sent_at" = ? WHERE "sent_at" IS NULL', (db.stamp(now),))
    template = db.value('SELECT MIN("id") FROM "portal_outbox"')
    if template is None:
        raise RuntimeError("the demo data queued no mail to copy")
    due = db.stamp(now - datetime.timedelta(minutes=1))
    db.execute("BEGIN")
    for i in range(n):
        db.copy_row(
            "portal_outbox",
            template,
            {
                "school": "klaverweide",
                "to": f"ft-{tag}-{i:03d}@example.org",
                "subject": f"Storingstest {tag} {i:03d}",
                "body": "Storingstest.",
                "attachment": None,
                "attachment_name": "",
                "created_at": due,
                "attempts": 0,
                "next_attempt_at": due,
                "sent_at": None,
                "last_error": "",
                # Columns of newer versions (a worker's claim, given up, the case): start empty.
                "claim_token": None,
                "claimed_until": None,
                "failed_at": None,
                "case_id": None,
            },
        )
    db.execute("COMMIT")


def unsent(db, tag):
    return db.value(
        'SELECT COUNT(*) FROM "portal_outbox" WHERE "subject" LIKE ? AND "sent_at" IS NULL',
        (f"Storingstest {tag} %",),
    )


def marked_sent(db, tag):
    return {
        r[0]
        for r in db.rows(
            'SELECT "subject" FROM "portal_outbox" WHERE "subject" LIKE ? AND "sent_at" IS NOT NULL',
            (f"Storingstest {tag} %",),
        )
    }


def figures(smtp, db, tag, codes):
    got = {s: n for s, n in smtp.subjects().items() if s.startswith(f"Storingstest {tag} ")}
    sent = marked_sent(db, tag)
    return {
        "queued": MAILS,
        "delivered (distinct)": len(got),
        "messages received": sum(got.values()),
        "doubled": sum(1 for n in got.values() if n > 1),
        "never delivered": MAILS - len(got),
        "left unsent in the outbox": unsent(db, tag),
        "marked sent, never received": sum(1 for s in sent if s not in got),
        "exit codes": "/".join(str(c) for c in codes),
    }


def run_send(site, smtp, env):
    with site.db() as db:
        queue(db, "s", MAILS)
    procs = [
        site.ctx.checkout.flask_popen(
            ["outbox", "send"], env, site.ctx.logdir / f"outbox-send-{site.backend.name}-{i}.log"
        )
        for i in range(2)
    ]
    codes = []
    for p in procs:
        try:
            codes.append(p.wait(timeout=180))
        except subprocess.TimeoutExpired:
            codes.append("timeout")
        stop_process(p)
    with site.db() as db:
        return figures(smtp, db, "s", codes)


def run_work(site, smtp, env, once):
    with site.db() as db:
        queue(db, "w", MAILS)
    args = ["outbox", "work", *(["--once"] if once else [])]
    procs = [
        site.ctx.checkout.flask_popen(args, env, site.ctx.logdir / f"outbox-work-{site.backend.name}-{i}.log")
        for i in range(2)
    ]
    deadline = time.monotonic() + 60
    with site.db() as db:
        while time.monotonic() < deadline and unsent(db, "w") and any(p.poll() is None for p in procs):
            time.sleep(0.2)
        time.sleep(1.0)  # a message being sent as the last row was marked
    codes = []
    for p in procs:
        if once:
            try:
                p.wait(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        codes.append(stop_process(p))
    with site.db() as db:
        return figures(smtp, db, "w", codes)


def run(ctx, backend):
    r = Result(NAME, backend, headers=["", "outbox send ×2", "outbox work ×2"])
    site = ctx.site(backend, "outbox", **MANY_PARENTS)
    try:
        with Collector(delay=0.02) as smtp:
            env = site.env(SMTP_HOST=HOST, SMTP_PORT=smtp.port)
            send = run_send(site, smtp, env)
            r.table(send, "outbox send ×2")
            r.expect("send ×2: no mail delivered twice", send["doubled"] == 0, f"doubled {send['doubled']}")
            r.expect(
                "send ×2: every mail delivered and marked sent",
                send["never delivered"] == 0
                and send["left unsent in the outbox"] == 0
                and send["marked sent, never received"] == 0,
                f"never delivered {send['never delivered']}, unsent {send['left unsent in the outbox']}",
            )
            if ctx.checkout.has_command(env, "outbox", "work"):
                once = "--once" in ctx.checkout.command_help(env, "outbox", "work")
                work = run_work(site, smtp, env, once)
                r.table(work, "outbox work ×2")
                r.expect(
                    "work ×2: no mail delivered twice", work["doubled"] == 0, f"doubled {work['doubled']}"
                )
                r.expect(
                    "work ×2: every mail delivered and marked sent",
                    work["never delivered"] == 0
                    and work["left unsent in the outbox"] == 0
                    and work["marked sent, never received"] == 0,
                    f"never delivered {work['never delivered']}, unsent {work['left unsent in the outbox']}",
                )
                if not once:
                    r.note(
                        "outbox work has no --once: the two workers were stopped (SIGTERM) "
                        "once every mail was sent"
                    )
            else:
                r.table({k: "n/a" for k in send}, "outbox work ×2")
                r.expect("work ×2: outbox worker", None, "not available in this version")
    finally:
        site.close()
    return r
