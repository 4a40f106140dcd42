"""The pupil a parent named before the register existed stays on the complaint.

Every complaint whose form held a pupil's name (``klachten_klacht.pupil_name``) gets that
name as a pupil of its case "niet gekoppeld" (``portal_case_pupil`` without a pupil of the
register): the case page shows the child, and the contactpersoon links the register's
pupil there. The text column keeps what the parent typed.
"""

from portal import api


def upgrade(db):
    api.keep_pupil_names(db, "klachten_klacht", "pupil_name")
