"""Throttling of guesses (logins, follow-up codes) with a growing delay.

Attempts are rows in the database, so every worker process sees the same
count. A number of failures in the window is free; after that each further
attempt must wait twice as long since the last failure. No permanent lockout.
"""

import datetime
import math

from flask import current_app

from .models import LoginAttempt
from .models import utcnow


def _window():
    return datetime.timedelta(minutes=current_app.config["THROTTLE_WINDOW_MINUTES"])


def wait_seconds(kind, keys, now=None):
    """Seconds the caller must still wait before another attempt for any of ``keys`` (0: go)."""
    now = now or utcnow()
    cfg = current_app.config
    free = cfg["THROTTLE_FREE_ATTEMPTS"]
    worst = 0
    for key in keys:
        rows = (
            LoginAttempt.select(LoginAttempt.at)
            .where(
                (LoginAttempt.kind == kind)
                & (LoginAttempt.key == key)
                & (LoginAttempt.at > now - _window())
            )
            .order_by(LoginAttempt.at.desc())
        )
        times = [r.at for r in rows]
        if len(times) < free:
            continue
        delay = min(2 ** (len(times) - free), cfg["THROTTLE_MAX_SECONDS"])
        remaining = delay - (now - times[0]).total_seconds()
        worst = max(worst, math.ceil(remaining))
    return max(worst, 0)


def record_failure(kind, keys):
    for key in keys:
        LoginAttempt.create(kind=kind, key=key[:300])


