"""The pupil of an incident or an expulsion route, typed before the register existed,
stays on the case.

Every incident (``schorsing_incident.pupil_name``, the pupil whose behaviour it is about,
so in the role "veroorzaker") and every expulsion route (``schorsing_verwijdering``) gets
that name as a pupil of its case "niet gekoppeld" (``portal_case_pupil`` without a pupil
of the register): the case page shows the child, and the directie links the register's
pupil there, which a decision to suspend needs. The text columns stay for the letters.
"""

from portal import api


def upgrade(db):
    api.keep_pupil_names(db, "schorsing_incident", "pupil_name", role="veroorzaker")
    api.keep_pupil_names(db, "schorsing_verwijdering", "pupil_name")
