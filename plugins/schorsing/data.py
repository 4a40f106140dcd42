"""Reading a case's plugin rows: one place for the small queries the workflow,
the letters and the summary pages share."""

from .models import BoardConsultation
from .models import Evaluation
from .models import Expulsion
from .models import Hearing
from .models import Incident
from .models import SchoolApproach
from .models import Suspension


def incident(case):
    return Incident.get_or_none(Incident.case == case.id)


def suspension(case):
    return Suspension.get_or_none(Suspension.case == case.id)


def expulsion(case):
    return Expulsion.get_or_none(Expulsion.case == case.id)


def consultations(case):
    return list(BoardConsultation.select().where(BoardConsultation.case == case.id)
                .order_by(BoardConsultation.held_on, BoardConsultation.id))


def hearings(case, party=None):
    q = Hearing.select().where(Hearing.case == case.id)
    if party:
        q = q.where(Hearing.party == party)
    return list(q.order_by(Hearing.held_on, Hearing.id))


def evaluations(case):
    return list(Evaluation.select().where(Evaluation.case == case.id).order_by(Evaluation.held_on))


def approaches(case):
    return list(SchoolApproach.select().where(SchoolApproach.case == case.id)
                .order_by(SchoolApproach.approached_on, SchoolApproach.id))


def accepting_school(case):
    """The latest approach that counts as an acceptance, or None."""
    accepted = [a for a in approaches(case) if a.counts_as_accepted]
    return accepted[-1] if accepted else None
