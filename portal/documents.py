"""Letters: Jinja HTML rendered to PDF with xhtml2pdf on the school's letterhead.

An embedded DejaVu Sans font keeps names such as Şükrü Yılmaz whole (the
built-in PDF fonts drop such glyphs). A produced letter is archived with the
case, bytes and sha256, so what was sent can be shown again unchanged;
producing it again makes a new version.
"""

import base64
import hashlib
import io
import os
import re

import peewee
from flask import render_template

from .audit import audit
from .calls import Lazy
from .calls import call
from .cases.engine import add_event
from .cases.engine import case_type
from .cases.engine import detail_of
from .dates import nl_date
from .dates import today
from .db import atomic
from .models import CaseDocument
from .models import CaseDocumentContent
from .registry import get_registry

# Only for letters: web pages use the visitor's system fonts (nothing to download).
FONT_DIR = os.path.join(os.path.dirname(__file__), "data", "fonts")


class PDFError(RuntimeError):
    pass


def _link_callback(uri, rel):
    """Resource policy: only the portal's own font files; nothing from the network."""
    if uri.startswith("data:"):
        return uri
    name = os.path.basename(uri)
    path = os.path.join(FONT_DIR, name)
    if os.path.dirname(os.path.abspath(uri)) == FONT_DIR or uri == name:
        if os.path.isfile(path):
            return path
    return ""


def html_to_pdf(html):
    """Render HTML to PDF bytes (xhtml2pdf is imported here: it costs ~0.8 s)."""
    from xhtml2pdf import pisa

    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, link_callback=_link_callback, encoding="utf-8")
    if result.err:
        raise PDFError(f"PDF could not be made ({result.err} errors)")
    return out.getvalue()


def letterhead(school):
    from .models import School

    logo = None
    school = School.get_by_id(school.id)  # with the logo, which requests leave out
    if school.logo:
        kind = school.logo_type or "image/png"
        logo = f"data:{kind};base64,{base64.b64encode(bytes(school.logo)).decode()}"
    from .letters import place

    return {
        "school": school,
        "logo": logo,
        "font_dir": FONT_DIR,
        "date_text": nl_date(today()),
        "place_text": place(school),
    }


def render_letter(template, school, **context):
    """HTML of a letter on ``school``'s letterhead; templates extend ``letters/base.html``.
    ``context`` may replace what the letterhead gives (the date in another language)."""
    return render_template(template, **{**letterhead(school), **context})


def pdf_download(data, filename):
    """A PDF as a download: never shown inline (a sandboxing CSP, nosniff from the core's
    headers) and never kept in a browser cache."""
    from flask import send_file

    response = send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filename
    )
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


# A download is sent in pieces of this size, each read from the database on its own.
CHUNK = 64 * 1024


def stored_pdf(doc):
    """The bytes of CaseDocument ``doc`` (only its id is used)."""
    found = (
        CaseDocumentContent.select(CaseDocumentContent.content)
        .where(CaseDocumentContent.document == doc.id)
        .scalar()
    )
    if found is None:  # a row made without its content row (tests, a hand-made import)
        found = CaseDocument.select(CaseDocument.stored_content).where(CaseDocument.id == doc.id).scalar()
    return bytes(found or b"")


def _pieces(doc_id):
    """The document's bytes in pieces of CHUNK, each one statement (SUBSTR of the BLOB on
    SQLite, SUBSTRING of the bytea on PostgreSQL, both from 1): the whole letter is never in
    memory at once."""
    from .db import is_sqlite

    part = peewee.fn.substr if is_sqlite() else peewee.fn.substring
    start = 1
    while True:
        piece = (
            CaseDocumentContent.select(part(CaseDocumentContent.content, start, CHUNK))
            .where(CaseDocumentContent.document == doc_id)
            .scalar()
        )
        if not piece:
            return
        yield bytes(piece)
        if len(piece) < CHUNK:
            return
        start += CHUNK


def pdf_response(doc):
    """The download of CaseDocument ``doc`` (selected without its content), streamed from
    the database in pieces; a row whose bytes are still in the old column is sent as it is."""
    from flask import Response
    from flask import stream_with_context

    size = (
        CaseDocumentContent.select(peewee.fn.length(CaseDocumentContent.content))
        .where(CaseDocumentContent.document == doc.id)
        .scalar()
    )
    if size is None:
        return pdf_download(stored_pdf(doc), doc.filename)
    response = Response(stream_with_context(_pieces(doc.id)), mimetype="application/pdf")
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = f'attachment; filename="{doc.filename}"'
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def safe_filename(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:120] or "document"


def produce(case, doc_name, user):
    """Render document ``doc_name`` for ``case``, archive it as a new version, return the row."""
    decl = get_registry().documents[doc_name]
    ct = case_type(case.case_type)
    context = call(
        decl.context, case=case, detail=Lazy(lambda: detail_of(case, ct)), user=user, school=case.school
    )
    html = render_letter(decl.template, case.school, case=case, **context)
    pdf = html_to_pdf(html)
    with atomic():
        last = (
            CaseDocument.select(CaseDocument.version)
            .where((CaseDocument.case == case.id) & (CaseDocument.name == decl.name))
            .order_by(CaseDocument.version.desc())
            .first()
        )
        version = (last.version + 1) if last else 1
        stem = decl.filename or decl.label
        row = CaseDocument.create(
            case=case.id,
            name=decl.name,
            label=decl.label,
            version=version,
            filename=safe_filename(f"{case.reference}-{stem}-v{version}") + ".pdf",
            sha256=hashlib.sha256(pdf).hexdigest(),
            created_by=user.id if user else None,
        )
        # The bytes in their own table: a case's list of documents never reads them.
        CaseDocumentContent.create(document=row.id, sha256=row.sha256, content=pdf)
        add_event(
            case,
            "document",
            user,
            f"Document gemaakt: {decl.label} (versie {version})",
            data={"document": decl.name, "version": version},
        )
        # In the same transaction: one commit (one fsync) instead of two, and the
        # archived letter and its audit row stand or fall together.
        audit("case.document", case=case, detail=f"{decl.name} v{version}")
        if decl.for_submitter:
            # The parent is told there is a letter (not what it says), in their language.
            from .public import tell_parent

            tell_parent(case, letter=True)
    return row


def declared_for(case, user, name):
    """The letter ``name`` of this case's type when ``user`` may make it at some point of the
    case (whatever its state now); None otherwise."""
    from .access import has_permission

    d = get_registry().documents.get(name)
    if d is None or d.case_type != case.case_type or not has_permission(user, case.school, d.permission):
        return None
    return d


def offered(case, user):
    """Documents the user may produce for this case in its current state (and, for a
    letter with ``available``, when that agrees)."""
    from .access import has_permission

    detail = Lazy(lambda: detail_of(case))
    return [
        d
        for d in get_registry().documents.values()
        if d.case_type == case.case_type
        and (not d.states or case.state in d.states)
        and has_permission(user, case.school, d.permission)
        and (d.available is None or call(d.available, case=case, detail=detail, school=case.school))
    ]
