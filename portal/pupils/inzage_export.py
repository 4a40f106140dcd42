"""The inzage export: everything the school holds about a child, as one PDF with the letters
beside it in a ZIP.

The PDF (letters/inzage.html, on the school's letterhead) holds the register data and
groups, every case about the child (type, reference, dates, state, the child's role), the
timeline entries the parents may see (the start, each new state, messages both ways; never
an internal note, a step's form data or a checklist), the letters (listed; their PDFs go
into the ZIP), and the access log of the child's records. Every text typed about a case is
redacted (``redaction``). A letter cannot be redacted: one addressed to the submitter of a
public case stays out by default, and staff may leave out others.

Staff see the export as HTML first (the same template); the preview carries the moment it
was made and a hash of what it showed, and ``produce`` makes the export only when the data
still give exactly that: what goes out is what someone looked at. Producing it is audited
and the ZIP archived with its sha256, versioned like a case's letters.
"""

import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass
from dataclasses import field

from flask import render_template

from ..audit import audit
from ..cases.visibility import can_view
from ..db import atomic
from ..declarations import ROLES
from ..documents import stored_pdf
from ..models import AuditLog
from ..models import Case
from ..models import CaseDocument
from ..models import CaseEvent
from ..models import CasePupil
from ..models import InzageExport
from ..models import InzageRequest
from ..models import Pupil
from ..models import PupilGroup
from ..models import User
from ..models import utcnow
from ..registry import get_registry
from . import full_name
from . import role_label
from .inzage import InzageRefused
from .inzage import choices_of
from .inzage import decision_label
from .inzage import relation_label
from .inzage import still_open
from .redaction import REDACTED
from .redaction import Redactor
from .redaction import pupil_terms
from .redaction import submitter_terms
from .redaction import typed_terms

# ----------------------------------------------------------------- gather ----


@dataclass
class Entry:
    at: datetime.datetime
    label: str
    text: str = ""


@dataclass
class Letter:
    id: int
    label: str
    version: int
    created_at: datetime.datetime
    filename: str
    included: bool
    default: bool
    note: str = ""
    path: str = ""  # where it is in the ZIP


@dataclass
class CaseView:
    case: Case
    type_title: str
    state_title: str
    role_title: str
    title: str
    public: bool
    optional: bool
    included: bool
    entries: list = field(default_factory=list)
    letters: list = field(default_factory=list)


@dataclass
class Access:
    at: datetime.datetime
    who: str
    roles: str
    what: str


@dataclass
class Export:
    request: InzageRequest
    pupil: Pupil
    school: object
    as_of: datetime.datetime
    groups: list
    cases: list  # CaseView, included
    optional: list  # CaseView of the types left out by default, included or not
    hidden: int  # cases about the child that the user may not see
    access: list = field(default_factory=list)

    @property
    def letters(self):
        return [(view, letter) for view in self.cases for letter in view.letters if letter.included]


def gather(request, school, user, as_of=None):
    """Everything the export holds for ``request``, as ``user`` prepares it, with the access
    log up to ``as_of`` (now). Nothing is written."""
    as_of = as_of or utcnow()
    pupil = request.pupil
    reg = get_registry()
    choices = choices_of(request)
    links = list(
        CasePupil.select(CasePupil.case, CasePupil.role)
        .join(Case, on=(CasePupil.case == Case.id))
        .where((CasePupil.pupil == pupil.id) & (Case.school == school.id))
        .tuples()
    )
    role_of = dict(links)
    about = list(Case.select().where(Case.id.in_(list(role_of) or [0])).order_by(Case.created_at, Case.id))
    hidden = 0
    views = []
    for case in about:
        case.school = school
        if not can_view(case, user):
            hidden += 1
            continue
        ct = reg.case_types.get(case.case_type)
        optional = ct is not None and not ct.inzage_by_default
        views.append(
            CaseView(
                case=case,
                type_title=ct.title if ct else case.case_type,
                state_title=ct.state(case.state).title if ct else case.state,
                role_title=role_label(role_of[case.id]),
                title=case.title,
                public=bool(case.access_code_hash or case.submitter_email),
                optional=optional,
                included=choices.get((case.id, None), not optional),
            )
        )
    included = [v for v in views if v.included]
    redact = Redactor(_terms(pupil, school, included))
    used = set()
    for view in included:
        view.title = redact(view.title)
        view.entries = _entries(view.case, reg.case_types.get(view.case.case_type), redact)
        view.letters = _letters(view, choices)
        for letter in view.letters:
            if letter.included:
                letter.path = _path_in_zip(letter, used)
    export = Export(
        request=request,
        pupil=pupil,
        school=school,
        as_of=as_of,
        groups=list(
            PupilGroup.select(PupilGroup.school_year, PupilGroup.name)
            .where(PupilGroup.pupil == pupil.id)
            .order_by(PupilGroup.school_year)
            .tuples()
        ),
        cases=included,
        optional=[v for v in views if v.optional],
        hidden=hidden,
    )
    if not hidden:
        export.access = access_log(pupil, school, included, about, as_of)
    return export


def _terms(pupil, school, views):
    """Every text of the export is cleared of these: the other children of the same cases,
    every other pupil of the school named in full, the complainants' contact fields."""
    terms = set()
    case_ids = [v.case.id for v in views]
    if case_ids:
        others = CasePupil.select().where(CasePupil.case.in_(case_ids))
        other_ids = set()
        for row in others:
            if row.pupil_id != pupil.id:
                terms |= typed_terms(row.name)
                if row.pupil_id:
                    other_ids.add(row.pupil_id)
        for other in Pupil.select().where(Pupil.id.in_(list(other_ids) or [0])):
            terms |= pupil_terms(other)
    for other in Pupil.select(Pupil.first_name, Pupil.prefix, Pupil.last_name).where(
        (Pupil.school == school.id) & (Pupil.id != pupil.id)
    ):
        terms |= pupil_terms(other, whole_only=True)
    reg = get_registry()
    for view in views:
        ct = reg.case_types.get(view.case.case_type)
        detail = None
        if view.public and ct is not None and ct.detail is not None:
            detail = ct.detail.get_or_none(ct.detail.case == view.case.id)
        terms |= submitter_terms(view.case, detail)
    return terms


MESSAGE_LABELS = {"message": "Bericht van de school", "submitter": "Aanvulling van de indiener"}


def _entries(case, ct, redact):
    """What the parents may see of the timeline, as their follow-up page shows it: the start,
    each new state (never the step's form data or text), messages both ways."""
    out = []
    for event in CaseEvent.select().where(CaseEvent.case == case.id).order_by(CaseEvent.at, CaseEvent.id):
        if event.kind == "created":
            out.append(Entry(event.at, "Zaak gestart"))
        elif event.kind == "transition":
            state = ct.state(event.to_state).title if ct else event.to_state
            out.append(Entry(event.at, f"Nieuwe status: {state}"))
        elif event.visible_to_submitter:
            out.append(Entry(event.at, MESSAGE_LABELS.get(event.kind, "Bericht"), redact(event.text)))
    return out


def _letters(view, choices):
    reg = get_registry()
    out = []
    for doc in (
        CaseDocument.select(
            CaseDocument.id,
            CaseDocument.name,
            CaseDocument.label,
            CaseDocument.version,
            CaseDocument.filename,
            CaseDocument.created_at,
        )
        .where(CaseDocument.case == view.case.id)
        .order_by(CaseDocument.created_at, CaseDocument.id)
    ):
        decl = reg.documents.get(doc.name)
        # A letter cannot be redacted: one addressed to the complainant names them.
        to_submitter = view.public and decl is not None and decl.for_submitter
        default = not to_submitter
        included = choices.get((view.case.id, doc.id), default)
        note = ""
        if not included:
            note = "gericht aan de indiener" if to_submitter else "weggelaten door de school"
        out.append(
            Letter(doc.id, doc.label, doc.version, doc.created_at, doc.filename, included, default, note)
        )
    return out


def _path_in_zip(letter, used):
    from ..documents import safe_filename

    name = safe_filename(letter.filename or f"brief-{letter.id}.pdf")
    if name in used:
        name = f"{letter.id}-{name}"
    used.add(name)
    return f"brieven/{name}"


ACTIONS = {
    "case.view": "Zaak bekeken",
    "case.create": "Zaak gestart",
    "case.transition": "Stap in de zaak gezet",
    "case.note": "Notitie bij de zaak geplaatst",
    "case.message": "Bericht aan de indiener gestuurd",
    "case.document": "Brief gemaakt",
    "case.document.download": "Brief gedownload",
    "case.checklist": "Checklist bijgewerkt",
    "case.assign": "Zaak toegewezen",
    "case.legal_hold": "Bewaarplicht gewijzigd",
    "case.confidential": "Vertrouwelijkheid gewijzigd",
    "case.exclude": "Iemand uitgesloten van de zaak",
    "case.include": "Uitsluiting opgeheven",
    "case.receipt": "Ontvangstbevestiging bekeken",
    "case.start.prefill": "Gegevens overgenomen in een nieuwe zaak",
    "case.pupil.link": "Leerling aan een zaak gekoppeld",
    "case.pupil.unlink": "Leerling van een zaak gehaald",
    "case.purge": "Zaak verwijderd na de bewaartermijn",
    "pupil.new": "Leerling ingeschreven in de leerlingenlijst",
    "pupil.edit": "Gegevens in de leerlingenlijst gewijzigd",
    "pupil.view": "Gegevens in de leerlingenlijst bekeken",
    "pupil.left": "Uitschrijving vastgelegd",
    "pupil.chronology": "Overzicht van alle zaken bekeken",
    "pupil.import": "Gegevens ingelezen uit de leerlingenadministratie",
    "inzage.request": "Inzageverzoek vastgelegd",
    "inzage.view": "Inzageverzoeken bekeken",
    "inzage.request.view": "Inzageverzoek bekeken",
    "inzage.extend": "Termijn van het inzageverzoek verlengd",
    "inzage.decide": "Besluit over het inzageverzoek vastgelegd",
    "inzage.preview": "Voorbeeld van de inzage bekeken",
    "inzage.include": "Keuze gemaakt welke zaken in de inzage komen",
    "inzage.letter": "Keuze gemaakt welke brieven in de inzage komen",
    "inzage.export": "Inzage gemaakt",
    "inzage.download": "Inzage gedownload",
    "inzage.sent": "Antwoord op het inzageverzoek verzonden",
}
# What the submitter of a public case does on the follow-up page ("klachten.volgen").
PUBLIC_ACTIONS = {
    "volgen": "Zaak gevolgd door de indiener",
    "aanvulling": "Aanvulling van de indiener",
    "ontvangstbewijs": "Ontvangstbewijs gedownload door de indiener",
    "brief": "Brief gedownload door de indiener",
}


def action_label(action):
    if action in ACTIONS:
        return ACTIONS[action]
    suffix = action.rpartition(".")[2]
    return PUBLIC_ACTIONS.get(suffix, action)


def access_log(pupil, school, included, about, as_of):
    """Who saw or changed the child's records, when and what: every audit row with the
    child's id or about one of the included cases, up to ``as_of``. Rows of a case left out
    stay out (they would tell it exists); a row's detail is never shown (it may name others)."""
    refs = {v.case.reference for v in included}
    left_out = {c.reference for c in about} - refs
    condition = AuditLog.pupil_id == pupil.id
    if refs:
        condition |= (AuditLog.school == school.slug) & AuditLog.case_ref.in_(sorted(refs))
    rows = [
        r
        for r in AuditLog.select()
        .where(condition & (AuditLog.at <= as_of))
        .order_by(AuditLog.at, AuditLog.id)
        if r.case_ref not in left_out
    ]
    names = dict(
        User.select(User.id, User.name)
        .where(User.id.in_({r.user_id for r in rows if r.user_id} or {0}))
        .tuples()
    )
    out = []
    for row in rows:
        if row.user_id:
            who = names.get(row.user_id, "(account verwijderd)")
        elif row.action.rpartition(".")[2] in PUBLIC_ACTIONS:
            who = "De indiener (via de volgpagina)"
        else:
            who = "Het portaal"
        roles = ", ".join(ROLES.get(r, r) for r in row.role.split(",") if r)
        what = action_label(row.action)
        if row.outcome != "ok":
            what += " (geweigerd)"
        if row.case_ref:
            what += f" ({row.case_ref})"
        out.append(Access(row.at, who, roles, what))
    return out


# ---------------------------------------------------------------- produce ----


def content_html(export):
    """The export's content as the preview and the PDF show it (one template for both)."""
    return render_template("pupils/inzage_content.html", **content_context(export))


def content_context(export):
    from ..dates import nl_date
    from ..dates import nl_datetime

    return {
        "export": export,
        "inzage_request": export.request,
        "pupil": export.pupil,
        "full_name": full_name,
        "nl_date": nl_date,
        "nl_datetime": nl_datetime,
        "relation_label": relation_label,
        "decision_label": decision_label,
        "REDACTED": REDACTED,
    }


def fingerprint(export):
    """What a preview showed: the sha256 of its content."""
    return hashlib.sha256(content_html(export).encode()).hexdigest()


def produce(request, school, user, as_of, shown):
    """Make the export the preview of ``as_of`` showed (``shown``: its fingerprint), archive
    it as a new version and audit it; return the ``InzageExport``. Raises InzageRefused."""
    from ..documents import html_to_pdf
    from ..documents import render_letter

    still_open(request)
    if request.decision not in ("volledig", "gedeeltelijk"):
        raise InzageRefused("Leg eerst het besluit vast: een export hoort bij (gedeeltelijke) inzage.")
    export = gather(request, school, user, as_of)
    if export.hidden:
        raise InzageRefused(
            "Er zijn zaken over deze leerling die u niet mag inzien. De export kan alleen worden "
            "gemaakt door iemand die alle zaken mag zien (de directie)."
        )
    if fingerprint(export) != shown:
        raise InzageRefused(
            "De gegevens zijn veranderd sinds het voorbeeld. Bekijk het voorbeeld opnieuw en maak "
            "dan de export."
        )
    from ..letters import signer

    pdf = html_to_pdf(
        render_letter("letters/inzage.html", school, signer=signer(user, school), **content_context(export))
    )
    letters = export.letters
    contents = {letter.id: stored_pdf(letter) for _v, letter in letters}
    with atomic():
        last = (
            InzageExport.select(InzageExport.version)
            .where(InzageExport.request == request.id)
            .order_by(InzageExport.version.desc())
            .first()
        )
        version = (last.version + 1) if last else 1
        data = _zip(pdf, letters, contents, as_of)
        row = InzageExport.create(
            request=request.id,
            version=version,
            filename=f"inzage-{request.id}-v{version}.zip",
            content=data,
            sha256=hashlib.sha256(data).hexdigest(),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            created_by=user.id,
        )
        # In the same transaction: the archived export and its audit row stand or fall together.
        audit(
            "inzage.export",
            user=user,
            pupil=request.pupil_id,
            detail=f"verzoek {request.id} v{version}: {len(export.cases)} zaken, {len(letters)} brieven",
        )
    return row


PDF_NAME = "inzage.pdf"


def _zip(pdf, letters, contents, as_of):
    """The export PDF and the letters (``brieven/``), with fixed times: the same content
    gives the same bytes."""
    stamp = as_of.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo(PDF_NAME, stamp), pdf)
        for _view, letter in letters:
            archive.writestr(zipfile.ZipInfo(letter.path, stamp), contents[letter.id])
    return out.getvalue()
