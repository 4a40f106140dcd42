"""Every table of the yearly report as CSV and as XLSX (XlsxWriter): Dutch column names,
dates as dates, and no cell that a spreadsheet would run as a formula.

A text that starts with = + - @ (or a tab or carriage return) is a formula to Excel and
LibreOffice ("CSV injection": a typed note could start a command or leak data on opening).
Such a text gets a leading apostrophe, the spreadsheets' own sign for "text". Numbers stay
numbers and dates dates (XlsxWriter writes each with the type it has; texts with
``write_string``, never ``write``, which would turn "=…" into a formula).
"""

import csv
import datetime
import io

from ..dates import nl_date

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    """A cell's value, with a text that would start a formula made harmless."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(headers, rows):
    """CSV bytes for Excel in the Netherlands: UTF-8 with a byte order mark, semicolons,
    dates as 7-12-2026."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutral(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value.day}-{value.month}-{value.year}"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return neutral(str(value)) if not isinstance(value, int) else value


def to_xlsx(sheet, headers, rows):
    """XLSX bytes: one sheet, bold headers, dates as Excel dates (d-m-jjjj)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "d-m-yyyy"})
    for c, h in enumerate(headers):
        ws.write_string(0, c, neutral(str(h)), bold)
    widths = [len(str(h)) for h in headers]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                ws.write_blank(r, c, None)
            elif isinstance(value, datetime.datetime):
                ws.write_datetime(r, c, value, date)
            elif isinstance(value, datetime.date):
                ws.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, neutral(str(value)))
            widths[c] = max(
                widths[c], min(60, len(nl_date(value) if isinstance(value, datetime.date) else str(value)))
            )
    for c, w in enumerate(widths):
        ws.set_column(c, c, w + 2)
    ws.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
