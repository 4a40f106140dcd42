"""The yearly report as a PDF on the school's letterhead, archived like a letter: the bytes
with their sha256, who made it and when; making it again makes a new version.

The charts are the page's own SVG (``report/chart.svg``), embedded as an image: xhtml2pdf
draws SVG through svglib as vector graphics, so the PDF needs no second way of drawing.
xhtml2pdf's ``<pdf:toc>`` makes the table of contents from the headings.
"""

import base64
import hashlib

from ..audit import audit
from ..db import atomic
from ..documents import html_to_pdf
from ..documents import render_letter
from ..documents import safe_filename
from ..models import ReportDocument
from .charts import drawn


def svg_data_uri(chart, chart_id, title):
    svg = str(drawn(chart, chart_id, title=title))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def report_pdf(template, letterhead_school, **context):
    html = render_letter(template, letterhead_school, svg_data_uri=svg_data_uri, **context)
    return html_to_pdf(html)


def archive(school, year, pdf, user, stem):
    """Store ``pdf`` as the next version of ``school``'s (None: the bestuur's) report of
    ``year``; return the row."""
    with atomic():
        last = (
            ReportDocument.select(ReportDocument.version)
            .where(
                (ReportDocument.school.is_null() if school is None else ReportDocument.school == school.id)
                & (ReportDocument.school_year == year)
            )
            .order_by(ReportDocument.version.desc())
            .first()
        )
        version = last.version + 1 if last else 1
        row = ReportDocument.create(
            school=None if school is None else school.id,
            school_year=year,
            version=version,
            filename=safe_filename(f"{stem}-{year}-{year + 1}-v{version}") + ".pdf",
            content=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            created_by=user.id if user else None,
        )
        audit("reports.pdf", detail=f"{'alle' if school is None else school.slug} {year} v{version}")
    return row
