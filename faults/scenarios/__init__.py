"""The scenarios, in the order they run. Each module has NAME, BACKENDS, SUMMARY and
``run(ctx, backend) -> Result``."""

from . import complaints
from . import files
from . import locked
from . import outbox_twice
from . import pg_outage
from . import proxy
from . import purge_hold
from . import smtp_hang
from . import transitions
from . import upgrade

SCENARIOS = [
    upgrade,
    purge_hold,
    complaints,
    outbox_twice,
    smtp_hang,
    transitions,
    pg_outage,
    proxy,
    files,
    locked,
]
