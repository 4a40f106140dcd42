"""The pupils a trauma report named before the register existed stay on the case.

A report about one or more pupils kept their names as text (``trauma_event.pupils``), a
name per line as staff typed them: every line becomes a pupil of the case "niet gekoppeld"
(``portal_case_pupil`` without a pupil of the register), for the case page and for linking
the register's pupil there. The text column keeps what was typed.
"""

from portal import api


def upgrade(db):
    api.keep_pupil_names(db, "trauma_event", "pupils", lines=True)
