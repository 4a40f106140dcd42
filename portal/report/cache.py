"""The yearly figures kept while the data they count stays the same.

Every plugin counts its figures in the database, but a report asks them all, for two
school years, and the bestuur's version for every school: tens to hundreds of statements,
and some plugins work through the year's rows in Python (medians in school days). The
report is read far more often than the year's data changes, so the figures of one
(viewer, school, school year) are kept with a fingerprint of what they count, and
computed again as soon as it differs:

- the cases of the school (all schools for the bestuur): their number, the highest id and
  the latest ``updated_at``. Every change the engine makes to a case (a step, a note, a
  letter, a plugin's detail written in a step) marks the case changed; a purge lowers the
  number;
- the school's vacations (medians count school days): their number and highest id;
- the school's enabled plugins, and today's date (a figure may count what is late today).

The fingerprint is one or two statements on indexes. The cache lives in the app (each
worker its own) and holds at most ``MAX_ENTRIES`` reports, the oldest used going first.
"""

import threading
from collections import OrderedDict

import peewee
from flask import current_app

from ..dates import today
from ..models import Case
from ..models import SchoolPlugin
from ..models import Vacation

MAX_ENTRIES = 256
_lock = threading.Lock()


def _store():
    return current_app.extensions.setdefault("portal_report_cache", OrderedDict())


def fingerprint(school):
    """What the figures of ``school`` (None: every school) count, in a few numbers."""
    cases = Case.select(peewee.fn.COUNT(Case.id), peewee.fn.MAX(Case.id), peewee.fn.MAX(Case.updated_at))
    vacations = Vacation.select(peewee.fn.COUNT(Vacation.id), peewee.fn.MAX(Vacation.id))
    plugins = SchoolPlugin.select(peewee.fn.COUNT(SchoolPlugin.id), peewee.fn.MAX(SchoolPlugin.id))
    if school is not None:
        cases = cases.where(Case.school == school.id)
        vacations = vacations.where(Vacation.school == school.id)
        plugins = plugins.where(SchoolPlugin.school == school.id)
    return (*cases.tuples().get(), *vacations.tuples().get(), *plugins.tuples().get(), today())


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
