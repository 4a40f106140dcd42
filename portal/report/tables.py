"""The tables of the yearly report, as rows for the exports: (sheet name, headers, rows)."""

from ..forms import label
from .choices import FINDINGS
from .choices import INDICATORS
from .choices import OWNERS
from .choices import STATUSES
from .yearly import year_label

SCHOOL_TABLES = ("cijfers", "monitor", "acties")
BOARD_TABLES = ("scholen", "cijfers")


def figures_table(figures, year):
    headers = ["Cijfer", "Onderdeel", f"Schooljaar {year_label(year)}", f"Schooljaar {year_label(year - 1)}"]
    rows = []
    for f in figures:
        rows.append([f.label, "", f.value, f.previous])
        rows += [[f.label, r.label, r.value, r.previous] for r in f.rows]
    return "Cijfers", headers, rows


def monitor_table(results, year):
    headers = [
        "Schooljaar",
        "Instrument",
        "Datum meting",
        "Gevraagd",
        "Geantwoord",
        "Respons (%)",
        "Groep",
        *(lbl for _, lbl in INDICATORS),
        "Aan de inspectie geleverd op",
        "Toelichting",
    ]
    rows = []
    for m in results:
        base = [year_label(year), m.instrument, m.measured_on, m.invited, m.respondents, m.response]
        rows.append(
            [*base, "Hele school", *(m.school_scores.get(k) for k, _ in INDICATORS), m.inspectie_on, m.note]
        )
        for group, scores in m.group_scores:
            rows.append([*base, group, *(scores.get(k) for k, _ in INDICATORS), m.inspectie_on, ""])
    return "Monitor", headers, rows


def actions_table(actions, year):
    headers = [
        "Schooljaar",
        "Doel en actie",
        "Wie voert het uit",
        "Klaar op",
        "Stand",
        "Voortgekomen uit",
        "Bevinding",
        "Resultaat en effect",
        "Afgerond op",
    ]
    rows = [
        [
            year_label(year),
            a.goal,
            label(OWNERS, a.owner),
            a.due_on,
            label(STATUSES, a.status),
            label(FINDINGS, a.finding_kind),
            a.finding,
            a.result,
            a.done_on,
        ]
        for a in actions
    ]
    return "Acties", headers, rows


def schools_table(board):
    headers = ["School", *(c.label for c in board.columns)]
    rows = [[s.name, *s.values] for s in board.schools]
    rows.append(["Totaal", *board.totals])
    return "Scholen", headers, rows
