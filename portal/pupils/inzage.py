"""AVG inzage (art. 15): a request to see what the school holds about a pupil.

A request records who asked (name, relation to the child), when it came in, the deadline
(one month, art. 12(3) AVG, extendable once by at most two more months with a reason), the
decision (in full, in part with reasons, refused with reasons) and when the answer went out;
then it is done and nothing about it changes any more. Every step is audited with the
child's id, so that it shows in the child's own access log.

What staff choose for a request's export against the default is kept here too: a case of
a type that stays out by default (``CaseType.inzage_by_default``, the meldcode), which only
a holder of ``portal.inzage_include`` (the directie) includes; a letter left out. The
export itself is built in ``inzage_export``, the redaction in ``redaction``.
"""

from ..audit import audit
from ..dates import today
from ..db import atomic
from ..models import InzageChoice
from ..models import InzageExport
from ..models import InzageRequest
from ..models import Pupil

RELATIONS = (
    ("ouder", "Ouder of verzorger met gezag"),
    ("voogd", "Voogd"),
    ("leerling", "De leerling zelf"),
    ("gemachtigde", "Gemachtigde (bijvoorbeeld een advocaat)"),
    ("anders", "Anders"),
)
DECISIONS = (
    ("volledig", "Inzage volledig gegeven"),
    ("gedeeltelijk", "Inzage gedeeltelijk gegeven"),
    ("geweigerd", "Inzage geweigerd"),
)
# AVG art. 12(3): one month, extendable by two further months where necessary.
MAX_EXTENSION_MONTHS = 2


class InzageRefused(Exception):
    """A step on a request that the rules do not allow; ``reason`` is the Dutch sentence."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def relation_label(key):
    return dict(RELATIONS).get(key, key)


def decision_label(key):
    return dict(DECISIONS).get(key, key or "nog geen besluit")


# -------------------------------------------------------------- the request ----


def add_months(day, months):
    """``day`` plus whole months; a day the month lacks becomes its last day (a month from
    31 January is 28 or 29 February: EU Regulation 1182/71 art. 3(2)(c))."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def deadline_for(received_on, extended_months=0):
    """AVG art. 12(3): within one month of receipt, plus the extension."""
    return add_months(received_on, 1 + extended_months)


def first_deadline(request):
    return deadline_for(request.received_on)


def is_open(request):
    return request.sent_on is None


def is_late(request, day=None):
    return is_open(request) and request.deadline < (day or today())


def for_school(school, request_id):
    """The request with ``request_id`` if it is one of ``school``'s, with its pupil; else None."""
    row = InzageRequest.get_or_none((InzageRequest.id == request_id) & (InzageRequest.school == school.id))
    if row is not None:
        row.pupil = Pupil.get_by_id(row.pupil_id)
    return row


def requests_of(pupil):
    return list(
        InzageRequest.select()
        .where(InzageRequest.pupil == pupil.id)
        .order_by(InzageRequest.received_on.desc(), InzageRequest.id.desc())
    )


def create(school, pupil, requester_name, relation, received_on, user):
    """Record a request; the deadline is one month after it came in. Audited."""
    with atomic():
        row = InzageRequest.create(
            school=school.id,
            pupil=pupil.id,
            requester_name=requester_name,
            relation=relation,
            received_on=received_on,
            deadline=deadline_for(received_on),
            created_by=user.id,
        )
        audit("inzage.request", school=school, user=user, pupil=pupil, detail=f"verzoek {row.id}")
    return row


def still_open(request):
    if not is_open(request):
        raise InzageRefused("Dit verzoek is afgehandeld: het antwoord is verzonden.")


def extend(request, months, reason, user, day=None):
    """Extend the deadline by ``months`` (1 or 2) with a reason. Audited."""
    still_open(request)
    day = day or today()
    if request.extended_months:
        # Art. 12(3): two further months at most, so one extension of one or two months.
        raise InzageRefused("De termijn is al verlengd; verder verlengen kan niet (AVG art. 12 lid 3).")
    if months not in range(1, MAX_EXTENSION_MONTHS + 1):
        raise InzageRefused("Verleng met één of twee maanden (AVG art. 12 lid 3).")
    if day > first_deadline(request):
        # Art. 12(3): the requester hears of the extension, with its reasons, within the first month.
        raise InzageRefused(
            "De eerste termijn van een maand is al verstreken: verlengen moest daarvóór (AVG art. 12 lid 3)."
        )
    if not (reason or "").strip():
        raise InzageRefused("Geef de reden van de verlenging: de aanvrager moet die horen.")
    with atomic():
        InzageRequest.update(
            extended_months=months,
            extension_reason=reason.strip(),
            extended_on=day,
            deadline=deadline_for(request.received_on, months),
        ).where(InzageRequest.id == request.id).execute()
        audit(
            "inzage.extend", user=user, pupil=request.pupil_id, detail=f"verzoek {request.id}: +{months} mnd"
        )


def decide(request, decision, reason, decided_on, user):
    """Record the decision (again, until the answer is sent). Audited."""
    still_open(request)
    if decision not in dict(DECISIONS):
        raise InzageRefused("Kies een van de besluiten.")
    if decision != "volledig" and not (reason or "").strip():
        # Art. 12(4): a refusal, whole or in part, states its reasons.
        raise InzageRefused("Geef de redenen: bij gedeeltelijke inzage of een weigering is dat verplicht.")
    with atomic():
        InzageRequest.update(
            decision=decision,
            decision_reason=(reason or "").strip(),
            decided_on=decided_on,
            decided_by=user.id,
        ).where(InzageRequest.id == request.id).execute()
        audit("inzage.decide", user=user, pupil=request.pupil_id, detail=f"verzoek {request.id}: {decision}")


def exports_of(request):
    return list(
        InzageExport.select(
            InzageExport.id,
            InzageExport.version,
            InzageExport.filename,
            InzageExport.sha256,
            InzageExport.pdf_sha256,
            InzageExport.created_at,
            InzageExport.created_by,
        )
        .where(InzageExport.request == request.id)
        .order_by(InzageExport.version.desc())
    )


def mark_sent(request, sent_on, user):
    """The answer went out: the request is done. Audited."""
    still_open(request)
    if not request.decision:
        raise InzageRefused("Leg eerst het besluit vast.")
    if request.decision != "geweigerd" and not exports_of(request):
        raise InzageRefused("Maak eerst de export: die gaat met het antwoord mee.")
    if sent_on < request.received_on:
        raise InzageRefused("Het antwoord kan niet verzonden zijn vóór het verzoek binnenkwam.")
    with atomic():
        InzageRequest.update(sent_on=sent_on).where(InzageRequest.id == request.id).execute()
        audit("inzage.sent", user=user, pupil=request.pupil_id, detail=f"verzoek {request.id}")


# ---------------------------------------------------------------- choices ----


def choices_of(request):
    """{(case id, document id or None): included}."""
    return {
        (c.case_id, c.document_id): c.included
        for c in InzageChoice.select().where(InzageChoice.request == request.id).order_by(InzageChoice.id)
    }


def _choose(request, case_id, document_id, included, user, action, detail):
    with atomic():
        InzageChoice.delete().where(
            (InzageChoice.request == request.id)
            & (InzageChoice.case == case_id)
            & (
                InzageChoice.document.is_null()
                if document_id is None
                else (InzageChoice.document == document_id)
            )
        ).execute()
        InzageChoice.create(
            request=request.id, case=case_id, document=document_id, included=included, chosen_by=user.id
        )
        audit(action, user=user, pupil=request.pupil_id, detail=detail)


def choose_cases(request, export, wanted, user):
    """Include the cases with ids in ``wanted`` among those left out by default, and leave out
    the others again; each change audited. Returns the number of changes."""
    still_open(request)
    changed = 0
    for view in export.optional:
        want = view.case.id in wanted
        if want != view.included:
            what = "meegegeven" if want else "weggelaten"
            _choose(
                request, view.case.id, None, want, user, "inzage.include", f"{view.case.reference}: {what}"
            )
            changed += 1
    return changed


def choose_letters(request, export, wanted, user):
    """Send the letters with ids in ``wanted`` along, leave out the others; audited."""
    still_open(request)
    changed = 0
    for view in export.cases:
        for letter in view.letters:
            want = letter.id in wanted
            if want != letter.included:
                what = "mee" if want else "niet mee"
                detail = f"{view.case.reference} brief {letter.id}: {what}"
                _choose(request, view.case.id, letter.id, want, user, "inzage.letter", detail)
                changed += 1
    return changed
