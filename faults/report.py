"""Results: one per scenario and database, printed as a table with a verdict, saved as JSON
and Markdown."""

import datetime
import json
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

PASS, FAIL, NA, ERROR = "PASS", "FAIL", "NOT AVAILABLE", "ERROR"


@dataclass
class Check:
    """One expectation: ok True (met), False (not met) or None (not available in this version)."""

    what: str
    ok: bool | None
    detail: str = ""


@dataclass
class Result:
    scenario: str
    backend: str
    headers: list = field(default_factory=lambda: ["", "count"])
    rows: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""

    def row(self, *cells):
        self.rows.append(list(cells))

    def table(self, mapping, column=None):
        """Rows from a {label: value} mapping: one row each, or one column of shared rows."""
        if column is None:
            for k, v in mapping.items():
                self.row(k, v)
            return
        if column not in self.headers:
            self.headers.append(column)
        ci = self.headers.index(column)
        index = {r[0]: r for r in self.rows}
        for k, v in mapping.items():
            if k not in index:
                index[k] = [k]
                self.rows.append(index[k])
            row = index[k]
            row.extend([""] * (ci + 1 - len(row)))
            row[ci] = v
        for r in self.rows:
            r.extend([""] * (len(self.headers) - len(r)))

    def value(self, label, column):
        """The cell of row ``label`` in ``column``."""
        ci = self.headers.index(column)
        return next(r[ci] for r in self.rows if r[0] == label)

    def expect(self, what, ok, detail=""):
        self.checks.append(Check(what, ok, detail))
        return ok

    def note(self, text):
        self.notes.append(text)

    @property
    def verdict(self):
        if self.error:
            return ERROR
        oks = [c.ok for c in self.checks]
        if any(o is False for o in oks):
            return FAIL
        if not oks or all(o is None for o in oks):
            return NA
        return PASS


def render(result):
    out = [f"== {result.scenario} [{result.backend}] =="]
    if result.rows:
        widths = [
            max(len(str(r[i])) for r in [result.headers, *result.rows]) for i in range(len(result.headers))
        ]

        def line(cells):
            return "  " + "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )

        out.append(line(result.headers))
        out.append("  " + "  ".join("-" * w for w in widths))
        out += [line(r) for r in result.rows]
    for c in result.checks:
        mark = {True: "ok  ", False: "FAIL", None: "n/a "}[c.ok]
        out.append(f"  [{mark}] {c.what}" + (f" ({c.detail})" if c.detail else ""))
    for n in result.notes:
        out.append(f"  note: {n}")
    if result.error:
        out.append(f"  error: {result.error}")
    out.append(f"  verdict: {result.verdict}   ({result.seconds:.1f} s)")
    return "\n".join(out)


def summary(results):
    lines = ["== summary =="]
    for r in results:
        failed = [c.what for c in r.checks if c.ok is False]
        lines.append(
            f"  {r.scenario:14} {r.backend:9} {r.verdict:14} {r.seconds:6.1f} s"
            + (f"  ({'; '.join(failed)})" if failed else "")
        )
    return "\n".join(lines)


def _md_table(headers, rows):
    out = [
        "| " + " | ".join(str(h) or " " for h in headers) + " |",
        "|" + "|".join(" --- " for _ in headers) + "|",
    ]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def write(results, out_dir, meta):
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    data = {"meta": meta, "results": [{**asdict(r), "verdict": r.verdict} for r in results]}
    json_path = out_dir / f"faults-{stamp}.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    md = [f"# Fault-injection run {stamp}", ""]
    md += [f"- {k}: {v}" for k, v in meta.items()]
    md += ["", "## Summary", ""]
    md += _md_table(
        ["scenario", "database", "verdict", "seconds"],
        [[r.scenario, r.backend, r.verdict, f"{r.seconds:.1f}"] for r in results],
    )
    for r in results:
        md += ["", f"## {r.scenario} ({r.backend}): {r.verdict}", ""]
        if r.rows:
            md += _md_table(r.headers, r.rows) + [""]
        for c in r.checks:
            mark = {True: "ok", False: "**FAIL**", None: "n/a"}[c.ok]
            md.append(f"- {mark}: {c.what}" + (f" ({c.detail})" if c.detail else ""))
        md += [f"- note: {n}" for n in r.notes]
        if r.error:
            md += ["", "```", r.error, "```"]
    md_path = out_dir / f"faults-{stamp}.md"
    md_path.write_text("\n".join(md) + "\n")
    for name, path in (("latest.json", json_path), ("latest.md", md_path)):
        (out_dir / name).write_text(path.read_text())
    return json_path, md_path
