"""Throttling of guesses and floods (logins, second-factor codes, follow-up codes, public
submissions) with a growing delay, shared by every worker process.

An attempt is counted *before* it is checked (a password verified, a code compared, a
complaint stored), in the same transaction that looks at the earlier attempts: 40
parallel guesses cannot all slip through while none has been counted yet. On SQLite
the write transaction (BEGIN IMMEDIATE) already runs alone; on PostgreSQL a
transaction-scoped advisory lock per key does the same for the attempts of one key.
A correct password or code then ``forgive``s its own attempt.

Each key has its own number of free attempts in the window; after that every further
attempt must wait twice as long since the last one (no permanent lockout). Keys are
chosen so that a stranger slows down himself rather than the person he targets: a
login counts per (account, address) first, and only far later per account.

Keys are stored as a keyed hash (HMAC with the secret key), never as the e-mail
address or the reference someone typed, and rows older than the longest window are
purged (retention.purge_housekeeping).
"""

import datetime
import hashlib
import hmac
import math
from dataclasses import dataclass

from flask import current_app
from peewee import fn

from .db import atomic
from .db import database
from .db import is_sqlite
from .models import LoginAttempt
from .models import utcnow


@dataclass(frozen=True)
class Limit:
    """A throttle key: ``free`` attempts within ``window_minutes`` (None: the configured
    THROTTLE_FREE_ATTEMPTS and THROTTLE_WINDOW_MINUTES), then a doubling wait.

    ``ceiling``: no more than ``free`` in any window at all (a school's public submissions
    per hour): past it every attempt waits until the oldest counted one leaves the window.
    A doubling wait would let a steady stream through, one more each time the wait ends
    (42 in an hour for a ceiling of 30, from a submission every 9 seconds)."""

    key: str
    free: int | None = None
    window_minutes: int | None = None
    ceiling: bool = False


@dataclass(frozen=True)
class Attempt:
    """The answer of ``attempt``: ``wait`` seconds (0: go ahead; nothing was counted when it
    is more), and the rows that count this attempt (for ``forgive``)."""

    wait: int
    ids: tuple = ()

    @property
    def allowed(self):
        return self.wait == 0


def hashed(key):
    """The stored form of a key: keyed, so the table holds no typed address or reference."""
    secret = (
        current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key
    )
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:40]


def _limits(keys):
    cfg = current_app.config
    out = []
    for k in keys:
        limit = k if isinstance(k, Limit) else Limit(k)
        out.append(
            (
                hashed(limit.key),
                cfg["THROTTLE_FREE_ATTEMPTS"] if limit.free is None else limit.free,
                cfg["THROTTLE_WINDOW_MINUTES"] if limit.window_minutes is None else limit.window_minutes,
                limit.ceiling,
            )
        )
    return out


def _lock(kind, key):
    """PostgreSQL: the attempts of one key, one transaction at a time (until it ends)."""
    database.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{kind}|{key}",))


def _wait(kind, key, free, window, ceiling, now):
    span = datetime.timedelta(minutes=window)
    count, first, last = (
        LoginAttempt.select(fn.COUNT(LoginAttempt.id), fn.MIN(LoginAttempt.at), fn.MAX(LoginAttempt.at))
        .where((LoginAttempt.kind == kind) & (LoginAttempt.key == key) & (LoginAttempt.at > now - span))
        .tuples()
        .get()
    )
    if count < free:
        return 0
    if ceiling:
        first = LoginAttempt.at.python_value(first)
        return max(1, math.ceil((first + span - now).total_seconds()))
    last = LoginAttempt.at.python_value(last)
    delay = min(2 ** (count - free), current_app.config["THROTTLE_MAX_SECONDS"])
    return max(0, math.ceil(delay - (now - last).total_seconds()))


def attempt(kind, keys, now=None):
    """Check and count one attempt for every key in one step; ``Attempt.wait`` is 0 when it
    may go ahead (then it is counted), else the seconds still to wait (nothing counted).

    Called inside a caller's transaction (a complaint and its count commit together) it
    joins that transaction, and the key's lock holds until it commits."""
    now = now or utcnow()
    limits = _limits(keys)
    with atomic():
        if not is_sqlite():
            for key, *_rest in sorted(limits):
                _lock(kind, key)
        wait = max((_wait(kind, *limit, now) for limit in limits), default=0)
        if wait:
            return Attempt(wait)
        ids = tuple(LoginAttempt.create(kind=kind, key=key, at=now).id for key, *_rest in limits)
    return Attempt(0, ids)


def forgive(counted):
    """The attempt turned out right (the password or code was correct): it does not count."""
    if counted.ids:
        LoginAttempt.delete().where(LoginAttempt.id.in_(list(counted.ids))).execute()


def longest_window():
    """How long attempt rows are needed: the housekeeping purge removes older ones."""
    return datetime.timedelta(minutes=max(current_app.config["THROTTLE_WINDOW_MINUTES"], 60))


# The old two-step interface (look, then record), kept only until the last caller has
# moved to ``attempt``: between the two steps parallel attempts are not counted.


def wait_seconds(kind, keys, now=None):
    now = now or utcnow()
    return max((_wait(kind, *limit, now) for limit in _limits(keys)), default=0)


def record_failure(kind, keys):
    for key, *_rest in _limits(keys):
        LoginAttempt.create(kind=kind, key=key)
