"""Attachments: a parent's screenshots and photos with their complaint, and files staff add
to a case or to one of its timeline entries.

What comes in:
- at most MAX_FILES files of at most MAX_BYTES each, on the forms that take them (the
  request may then be as large as all of them together, ``upload_limit``; every other
  request keeps the app's MAX_CONTENT_LENGTH);
- the type is read from the content, never from the name or the browser's word for it
  (puremagic, a pure-Python magic-bytes library): JPEG, PNG, HEIC/HEIF or PDF only;
- images are decoded and written anew from their pixels (portal/images.py): a polyglot
  (HTML behind a JPEG header) fails to decode, EXIF with the place a photo was taken is
  gone, HEIC becomes JPEG;
- a PDF is kept as it is (it may hold JavaScript: it is only ever downloaded, never shown).

Where it goes: the attachment folder (``PORTAL_ATTACHMENT_DIR``, default
instance/attachments, mode 0700), outside the static folder, under a random name; the
database row keeps that name, the sender's file name (cleaned, for the download only),
type, size and sha256. A file is written before its row's transaction commits: when
``store`` itself fails it removes what it wrote; when an enclosing transaction rolls back
later, the file has no row and the next sweep (``remove_orphans``) removes it.

How it goes out: only through ``send``: always a download (Content-Disposition
attachment with an RFC 6266 filename*), X-Content-Type-Options nosniff, a sandboxing
CSP, never cached. Staff get it only for a case they may see (404 otherwise, audited);
a parent only their own files, with reference and code.

How it ends: the row goes with its case (ON DELETE CASCADE); the retention purge calls
``remove_orphans``, which deletes every file no row points to any more.
"""

import hashlib
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user

from .access import has_permission
from .access import requires
from .audit import audit
from .db import atomic
from .i18n import lazy_gettext as _l
from .images import ImageRefused
from .images import reencode
from .models import Attachment
from .models import CaseEvent

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo; a bomb is far beyond
FIELD = "bijlagen"  # the file input's name on every form that takes attachments
ACCEPT = "image/jpeg,image/png,image/heic,image/heif,.heic,.heif,application/pdf"
# Room for the form's text fields next to the files.
FORM_MARGIN = 1024 * 1024
# A file written less than this long ago may belong to an upload whose transaction has not
# committed yet: the sweep leaves it for the next time.
ORPHAN_GRACE_SECONDS = 3600

IMAGE_TYPES = {"image/jpeg", "image/png", "image/heic", "image/heif"}
PDF = "application/pdf"
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", PDF: ".pdf"}

bp = Blueprint("attachments", __name__, url_prefix="/<school>/zaken")


class Refused(ValueError):
    """An upload that is not taken, with the message for the sender (in their language)."""


@dataclass(frozen=True)
class Checked:
    """One file that passed every check, ready to store: what will be written."""

    filename: str
    mime_type: str
    data: bytes
    sha256: str


def upload_limit():
    """The largest body a form with attachments may send (MAX_FILES full files + text)."""
    return MAX_FILES * MAX_BYTES + FORM_MARGIN


def takes_uploads(view):
    """Mark a view whose form sends attachments: its multipart requests may be larger."""
    view.portal_uploads = True
    return view


def _raise_limit(endpoint, values):
    """Before anything reads the body (the CSRF check does): a multipart POST to a form
    that takes attachments may be as large as ``upload_limit``; every other request keeps
    MAX_CONTENT_LENGTH (a form without files has no use for more)."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if getattr(view, "portal_uploads", False) and request.mimetype == "multipart/form-data":
        request.max_content_length = max(upload_limit(), current_app.config["MAX_CONTENT_LENGTH"] or 0)


# ------------------------------------------------------------ checking ----


def posted_files():
    """The files of this request's attachment field (empty parts, when none was chosen, left out)."""
    return [f for f in request.files.getlist(FIELD) if f and (f.filename or "").strip()]


def clean_name(raw):
    """The sender's file name as text for a download: the last part of any path, no control
    characters (CR/LF could break a header), no leading dots, at most 120 characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = " ".join(name.split()).lstrip(".").strip()
    return name[-120:] or "bijlage"


def _named_for(name, mime_type):
    """``name`` with the extension of what is stored (a HEIC photo is a .jpg now)."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name) or "bijlage"
    return stem + EXTENSIONS[mime_type]


def _read(storage, name):
    data = storage.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Refused(_l("Het bestand %(name)s is groter dan 10 MB.", name=name))
    if not data:
        raise Refused(_l("Het bestand %(name)s is leeg.", name=name))
    return data


def sniff(data):
    """The type of ``data`` by its content (puremagic), if it is one we take; else None."""
    import puremagic

    try:
        found = puremagic.magic_string(data)
    except (puremagic.PureError, ValueError):
        return None
    for match in found:
        mime = (match.mime_type or "").lower()
        if mime == PDF and data.startswith(b"%PDF-"):
            return PDF
        if mime in IMAGE_TYPES:
            return mime
    return None


def check(storage):
    """One uploaded file as ``Checked``, or ``Refused`` with the reason."""
    name = clean_name(storage.filename)
    data = _read(storage, name)
    kind = sniff(data)
    refused = _l(
        "Het bestand %(name)s kan niet mee. Alleen foto's en schermafbeeldingen (JPEG, PNG of HEIC) "
        "en PDF-bestanden kunnen mee.",
        name=name,
    )
    if kind is None:
        raise Refused(refused)
    if kind in IMAGE_TYPES:
        try:
            data, kind = reencode(data, max_pixels=MAX_PIXELS, heif=True)
        except ImageRefused:
            raise Refused(refused) from None
    return Checked(_named_for(name, kind), kind, data, hashlib.sha256(data).hexdigest())


def check_all(files):
    """Every uploaded file checked: [Checked], or ``Refused`` for the first that is not taken."""
    if len(files) > MAX_FILES:
        raise Refused(_l("U kunt hoogstens %(count)s bestanden meesturen.", count=MAX_FILES))
    return [check(f) for f in files]


# ------------------------------------------------------------- storing ----


def folder():
    path = current_app.config.get("PORTAL_ATTACHMENT_DIR") or os.path.join(
        current_app.instance_path, "attachments"
    )
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _path(stored_name):
    if not re.fullmatch(r"[0-9a-f]{32}", stored_name or ""):
        raise ValueError("not a stored attachment name")
    return os.path.join(folder(), stored_name)


def store(case, files, user=None, event=None, from_submitter=False):
    """Write ``files`` (``Checked``) for ``case`` (and timeline entry ``event``); call inside
    the transaction that adds what they belong to. Returns the rows. A failure here removes
    the files written; a later rollback of the caller's transaction leaves files without a
    row, which ``remove_orphans`` deletes."""
    rows, written = [], []
    try:
        with atomic():
            for item in files:
                stored = secrets.token_hex(16)
                path = _path(stored)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                written.append(path)
                with os.fdopen(fd, "wb") as f:
                    f.write(item.data)
                rows.append(
                    Attachment.create(
                        case=case.id,
                        event=event.id if event is not None else None,
                        stored_name=stored,
                        filename=item.filename,
                        mime_type=item.mime_type,
                        size=len(item.data),
                        sha256=item.sha256,
                        from_submitter=from_submitter,
                        uploaded_by=user.id if user is not None else None,
                    )
                )
    except BaseException:
        for path in written:
            _unlink(path)
        raise
    return rows


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def of_case(case, from_submitter=None):
    query = Attachment.select().where(Attachment.case == case.id)
    if from_submitter is not None:
        query = query.where(Attachment.from_submitter == from_submitter)
    return list(query.order_by(Attachment.created_at, Attachment.id))


def remove_orphans(now=None, grace=ORPHAN_GRACE_SECONDS):
    """Delete every file in the attachment folder that no row points to (its case was
    purged), except files younger than ``grace`` seconds (an upload still committing).
    Returns how many went. The retention purge calls this after deleting cases."""
    root = folder()
    known = {name for (name,) in Attachment.select(Attachment.stored_name).tuples()}
    now = now or time.time()
    removed = 0
    for entry in os.scandir(root):
        if entry.name in known or not entry.is_file(follow_symlinks=False):
            continue
        if now - entry.stat(follow_symlinks=False).st_mtime < grace:
            continue
        _unlink(entry.path)
        removed += 1
    return removed


# ------------------------------------------------------------ sending ----


def content_disposition(filename):
    """``attachment`` with a plain ASCII ``filename`` and the real one as ``filename*``
    (RFC 6266, RFC 8187): nothing in it can end the header or name a path."""
    name = clean_name(filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]+", "_", ascii_name).strip() or "bijlage"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def send(row):
    """The file of ``row`` as a download that no browser shows inline."""
    from flask import send_file

    try:
        path = _path(row.stored_name)
        handle = open(path, "rb")  # noqa: SIM115 - send_file closes it
    except (OSError, ValueError):
        abort(404)
    response = send_file(handle, mimetype=row.mime_type, as_attachment=True, download_name="bijlage")
    response.headers["Content-Disposition"] = content_disposition(row.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------ the staff's pages ----


def _visible_case(reference):
    from .cases.visibility import get_visible

    case = get_visible(g.school, reference, current_user)
    if case is None:
        audit("case.view", outcome="denied", detail=reference[:40])
        abort(404)
    return case


@bp.route("/<reference>/bijlage/<int:attachment_id>")
@requires("portal.cases")
def download(reference, attachment_id):
    """A file of a case, for whoever may see the case (anyone else: 404, audited)."""
    case = _visible_case(reference)
    row = Attachment.get_or_none((Attachment.id == attachment_id) & (Attachment.case == case.id))
    if row is None:
        abort(404)
    audit("case.attachment.download", case=case, detail=f"{row.id} {row.sha256[:12]}")
    return send(row)


@bp.route("/<reference>/bijlagen", methods=["POST"])
@requires("portal.cases")
@takes_uploads
def upload(reference):
    """Staff add files to a case, or to one of its timeline entries (``event``)."""
    from .cases import engine

    case = _visible_case(reference)
    ct = engine.case_type(case.case_type)
    if not has_permission(current_user, g.school, ct.handle_permission or ct.view_permission):
        abort(403)
    back = redirect(url_for("cases.detail", reference=case.reference) + "#h-attachments")
    event = None
    if request.form.get("event"):
        from .forms import bounded_int

        event = CaseEvent.get_or_none(
            (CaseEvent.id == (request.form.get("event", type=bounded_int) or 0)) & (CaseEvent.case == case.id)
        )
        if event is None:
            abort(404)
    files = posted_files()
    if not files:
        flash("Kies eerst een of meer bestanden.", "error")
        return back
    try:
        checked = check_all(files)
    except Refused as refused:
        flash(str(refused), "error")
        return back
    with atomic():
        if event is None:
            names = ", ".join(c.filename for c in checked)
            event = engine.add_event(case, "note", current_user, f"Bijlage toegevoegd: {names}")
        store(case, checked, current_user, event)
        audit("case.attachment.upload", case=case, detail=str(len(checked)))
    flash("Bijlage toegevoegd." if len(checked) == 1 else f"{len(checked)} bijlagen toegevoegd.")
    return back


def init_app(app):
    app.url_value_preprocessor(_raise_limit)
    app.register_blueprint(bp)
