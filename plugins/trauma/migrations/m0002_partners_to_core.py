"""The school's external partners move to the core (``portal_partner``).

Every row of ``trauma_partner`` becomes a core partner with the same values and, since the
core's table is new and empty, the same id; ``trauma_engagement.partner_id`` then points to
``portal_partner`` and every engagement keeps pointing at the same partner. A school's change
to who holds ``trauma.partners`` now applies to ``portal.partners``.

``trauma_partner`` is dropped after the move, in the same transaction, rather than kept
empty: no code reads it any more, and an empty table beside the real list would only invite
a row written to the wrong place. If anything fails, nothing of this migration is kept.
"""

from portal import api


def upgrade(db):
    api.adopt_partners(db, "trauma_partner", permission="trauma.partners")
