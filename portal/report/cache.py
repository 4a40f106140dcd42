"""The yearly figures kept while the data they count stays the same.

Every plugin counts its figures in the database, but a report asks them all, for two
school years, and the bestuur's version for every school: tens to hundreds of statements,
and some plugins work through the year's rows in Python (medians in school days). The
report is read far more often than the year's data changes, so the figures of one
(viewer, school, school year) are kept with a fingerprint of what they count, and
computed again as soon as it differs:

- the cases of the school (all schools for the bestuur): the highest id, the latest
  ``updated_at`` and how many the retention purge deleted (``CasePurgeCount``, raised in the
  purge's transaction). Every change the engine makes to a case (a step, a note, a letter, a
  plugin's detail written in a step) marks the case changed; a new case raises the id. They
  are read in indexes ((school, id), (school, updated_at, id), the counter's school): counting
  the school's cases, as before, grew with its history (74 ms at 100,000 cases);
- the school's vacations (medians count school days): their number and highest id;
- the school's enabled plugins, and today's date (a figure may count what is late today).

The fingerprint is one statement on indexes. The cache lives in the app (each
worker its own) and holds at most ``MAX_ENTRIES`` reports, the oldest used going first.
"""

import threading
from collections import OrderedDict

from flask import current_app

from ..dates import today
from ..db import constant_sql
from ..db import database

MAX_ENTRIES = 256
_lock = threading.Lock()


def _store():
    return current_app.extensions.setdefault("portal_report_cache", OrderedDict())


# One statement: each value a lookup at one end of an index (SQLite's min/max optimisation,
# PostgreSQL's index-only scan with a limit), whatever the number of cases. Across schools the
# latest change is the latest of each school's (no index holds every case by updated_at).
_SCHOOL_MARKS = """SELECT
 (SELECT MAX("id") FROM "portal_case" WHERE "school_id" = ?),
 (SELECT MAX("updated_at") FROM "portal_case" WHERE "school_id" = ?),
 (SELECT "purged" FROM "portal_case_purge_count" WHERE "school_id" = ?),
 (SELECT COUNT(*) FROM "portal_vacation" WHERE "school_id" = ?),
 (SELECT MAX("id") FROM "portal_vacation" WHERE "school_id" = ?),
 (SELECT COUNT(*) FROM "portal_school_plugin" WHERE "school_id" = ?),
 (SELECT MAX("id") FROM "portal_school_plugin" WHERE "school_id" = ?)"""
_BOARD_MARKS = """SELECT
 (SELECT MAX("id") FROM "portal_case"),
 (SELECT MAX("latest") FROM (SELECT (SELECT MAX(c."updated_at") FROM "portal_case" AS c
   WHERE c."school_id" = s."id") AS "latest" FROM "portal_school" AS s) AS "per_school"),
 (SELECT SUM("purged") FROM "portal_case_purge_count"),
 (SELECT COUNT(*) FROM "portal_vacation"),
 (SELECT MAX("id") FROM "portal_vacation"),
 (SELECT COUNT(*) FROM "portal_school_plugin"),
 (SELECT MAX("id") FROM "portal_school_plugin")"""


def fingerprint(school):
    """What the figures of ``school`` (None: every school) count, in a few numbers."""
    if school is None:
        row = database.execute_sql(constant_sql(_BOARD_MARKS)).fetchone()
    else:
        row = database.execute_sql(constant_sql(_SCHOOL_MARKS), (school.id,) * 7).fetchone()
    return (*row, today())


def kept(key, compute, school):
    """``compute()``, or what it gave before for ``key`` while ``school``'s fingerprint is
    the same."""
    mark = fingerprint(school)
    store = _store()
    with _lock:
        found = store.get(key)
        if found is not None and found[0] == mark:
            store.move_to_end(key)
            return found[1]
    value = compute()
    with _lock:
        store[key] = (mark, value)
        store.move_to_end(key)
        while len(store) > MAX_ENTRIES:
            store.popitem(last=False)
    return value
