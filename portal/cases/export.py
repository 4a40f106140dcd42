"""The case list as a file: CSV (any spreadsheet) and XLSX (Excel).

The same filters, search and order as the list on screen, and the same query: only the
cases the list shows the user, fetched page by page along the list's own cursor. Dutch
column headers; in the XLSX dates and times are real dates (Excel can sort and filter
them), in the CSV they are ISO dates. Every export is audited with its format, its
filters and how many cases it held.

Formula injection: a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK(...)`` in a title a parent typed). In the CSV such a
text gets a leading apostrophe, which spreadsheets read as "this is text"; the XLSX
stores every text as a string cell (``write_string``), which Excel never evaluates.
"""

import csv
import io

from flask import Response
from flask import flash
from flask import g
from flask import redirect
from flask import request

from ..access import requires
from ..audit import audit
from ..dates import local
from ..dates import today
from .views import audit_detail
from .views import bp
from .views import list_filters
from .views import visible_rows

# More than this is no list but the archive: refused with a request to narrow the filters.
EXPORT_MAX = 50_000
BATCH = 1000
HEADERS = (
    "Referentie",
    "Onderwerp",
    "Leerlingen",
    "Soort",
    "Status",
    "Behandelaar",
    "Eerstvolgende termijn",
    "Te laat",
    "Vertrouwelijk",
    "Aangemaakt",
    "Laatst gewijzigd",
    "Afgesloten",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TooMany(Exception):
    pass


def export_rows(filters):
    """Every row of the list with ``filters`` (from its start), at most EXPORT_MAX."""
    filters.after = None
    out = []
    while True:
        batch, _ = visible_rows(filters, BATCH + 1)
        out += batch[:BATCH]
        if len(out) > EXPORT_MAX:
            raise TooMany
        if len(batch) <= BATCH:
            return out
        filters.after = batch[BATCH - 1].after(filters.sort)


def _values(row):
    """The row's cells: texts, and dates and local times as Python values (None: empty)."""
    return (
        row.reference,
        row.title,
        row.pupils,
        row.type_title,
        row.state_title,
        row.assignee_name or "",
        row.due,
        "ja" if row.late else "nee",
        "ja" if row.confidential else "nee",
        local(row.created_at).replace(tzinfo=None),
        local(row.updated_at).replace(tzinfo=None),
        local(row.closed_at).replace(tzinfo=None) if row.closed_at else None,
    )


def neutral(text):
    """A text a spreadsheet reads as text, never as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutral(value)
    if hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def to_csv(rows):
    out = io.StringIO()
    # A semicolon: Dutch Excel reads a comma as the decimal sign. The byte order mark tells
    # Excel the file is UTF-8 (names with ë, ç).
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in _values(row)])
    return out.getvalue().encode("utf-8")


def to_xlsx(rows):
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("Zaken")
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "d-m-yyyy"})
    moment = book.add_format({"num_format": "d-m-yyyy hh:mm"})
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(_values(row)):
            if value is None:
                continue
            if isinstance(value, str):
                if value:
                    sheet.write_string(r, col, value)
            elif hasattr(value, "hour"):
                sheet.write_datetime(r, col, value, moment)
            else:
                sheet.write_datetime(r, col, value, day)
    widths = (14, 40, 28, 22, 18, 22, 14, 8, 12, 16, 16, 16)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(HEADERS) - 1)
    book.close()
    return out.getvalue()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}


def _export(fmt):
    errors = {}
    filters = list_filters(request.args, errors)
    back = request.script_root + request.path.rsplit("/", 1)[0] + "/"
    query = request.query_string.decode("ascii", "replace")
    if errors:
        flash("Verbeter eerst de filters: " + " ".join(errors.values()), "error")
        return redirect(back + (f"?{query}" if query else ""))
    try:
        rows = export_rows(filters)
    except TooMany:
        limit = f"{EXPORT_MAX:,}".replace(",", ".")
        flash(
            f"Meer dan {limit} zaken passen niet in één bestand. Kies minder zaken met de filters.", "error"
        )
        return redirect(back + (f"?{query}" if query else ""))
    mimetype, write = FORMATS[fmt]
    data = write(rows)
    audit("case.export", detail=f"{fmt} {len(rows)} zaken {audit_detail(request.args, filters)}"[:300])
    name = f"zaken-{g.school.slug}-{today().isoformat()}.{fmt}"
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/export.csv", endpoint="export_csv")
@requires("portal.cases")
def export_csv():
    return _export("csv")


@bp.route("/export.xlsx", endpoint="export_xlsx")
@requires("portal.cases")
def export_xlsx():
    return _export("xlsx")
