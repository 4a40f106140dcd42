"""Counting what is in the database: a plain DB-API connection, never the portal's code.

The suite reads and seeds the database directly, so its counts do not depend on
the version of the code under test (the old and the new checkout are counted
the same way).
"""

import re
import sqlite3
from collections import Counter
from urllib.parse import urlparse

import psycopg2


def quoted(names):
    return ", ".join(f'"{n}"' for n in names)


class DB:
    """Autocommit connection to a ``sqlite:///`` or ``postgresql://`` URL; ``?`` placeholders.

    Table and column names in the suite's SQL are fixed or come from the database's own
    catalog; values always travel as parameters (hence the S608 exemptions)."""

    def __init__(self, url):
        self.url = url
        self.sqlite = urlparse(url).scheme == "sqlite"
        if self.sqlite:
            # The portal's own busy timeout is 5 s; waiting a little longer here means the
            # suite's writes queue behind the portal's instead of failing.
            self.conn = sqlite3.connect(url[len("sqlite:///") :], timeout=10, isolation_level=None)
        else:
            self.conn = psycopg2.connect(url)
            self.conn.autocommit = True

    def close(self):
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _sql(self, sql):
        return sql if self.sqlite else sql.replace("?", "%s")

    def execute(self, sql, params=()):
        cur = self.conn.cursor()
        cur.execute(self._sql(sql), params)
        return cur

    def rows(self, sql, params=()):
        return self.execute(sql, params).fetchall()

    def value(self, sql, params=()):
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    def rowcount(self, sql, params=()):
        return self.execute(sql, params).rowcount

    # --------------------------------------------------------------- schema ----

    def tables(self):
        if self.sqlite:
            return [
                r[0]
                for r in self.rows(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    "ORDER BY name"
                )
            ]
        return [
            r[0]
            for r in self.rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]

    def columns(self, table):
        if self.sqlite:
            return [r[1] for r in self.rows(f'PRAGMA table_info("{table}")')]
        return [
            r[0]
            for r in self.rows(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = ? ORDER BY ordinal_position",
                (table,),
            )
        ]

    def foreign_keys(self):
        """[(table, column)] of every foreign-key column."""
        out = []
        if self.sqlite:
            for t in self.tables():
                out += [(t, r[3]) for r in self.rows(f'PRAGMA foreign_key_list("{t}")')]
        else:
            out = [
                tuple(r)
                for r in self.rows(
                    "SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc "
                    "JOIN information_schema.key_column_usage kcu "
                    "ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema "
                    "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'"
                )
            ]
        return sorted(set(out))

    def census(self):
        """{table: rows} and {table.column: non-NULL values} for every table and foreign key."""
        rows = {t: self.value(f'SELECT COUNT(*) FROM "{t}"') for t in self.tables()}  # noqa: S608
        fks = {
            f"{t}.{c}": self.value(f'SELECT COUNT("{c}") FROM "{t}"')  # noqa: S608
            for t, c in self.foreign_keys()
        }
        return rows, fks

    # ---------------------------------------------------------------- seeding ----

    def copy_row(self, table, template_id, overrides):
        """Insert a copy of row ``template_id`` with ``overrides``; columns the code added
        later are copied as they are, so this works on old and new schemas alike."""
        cols = [c for c in self.columns(table) if c != "id"]
        row = self.execute(
            f'SELECT {quoted(cols)} FROM "{table}" WHERE id = ?',  # noqa: S608
            (template_id,),
        ).fetchone()
        values = dict(zip(cols, row, strict=True))
        values.update({k: v for k, v in overrides.items() if k in values})
        names = quoted(values)
        marks = ", ".join("?" for _ in values)
        self.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', tuple(values.values()))  # noqa: S608

    def stamp(self, dt):
        """A datetime as the portal stores it (peewee writes text on SQLite)."""
        return dt.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else dt

    def day(self, d):
        return d.isoformat() if self.sqlite else d


# ---------------------------------------------------------------- complaints ----

MARKER_RE = re.compile(r"Storingstest (FT-[A-Za-z0-9-]+):")


def stored_complaints(db, tag):
    """{marker: [references]} of the complaints of this run (marker in what_happened)."""
    found = {}
    for text, ref in db.rows(
        'SELECT k."what_happened", c."reference" FROM "klachten_klacht" AS k '
        'JOIN "portal_case" AS c ON c."id" = k."case_id" WHERE k."what_happened" LIKE ?',
        (f"Storingstest FT-{tag}-%",),
    ):
        m = MARKER_RE.match(text)
        if m:
            found.setdefault(m.group(1), []).append(ref)
    return found


def tally(forms, stored, statuses):
    """The complaint figures: what parents were told against what the database holds.

    acknowledged: forms whose last answer was a receipt with a reference;
    stored: complaints of this run in the database;
    lost: acknowledged but not stored (under that reference);
    doubled: forms stored as more than one case;
    refused but stored: the last answer was an HTTP error, yet the complaint is stored;
    unanswered but stored: the last try got no answer (connection lost), yet it is stored.
    """
    refs = {r for rs in stored.values() for r in rs}
    acked = [f for f in forms if f.acknowledged]
    final = Counter()
    for f in forms:
        last = f.answers[-1] if f.answers else ("none", "")
        final[last[0]] += 1
    return {
        "forms filled in": len(forms),
        "acknowledged": len(acked),
        "stored": sum(len(rs) for rs in stored.values()),
        "lost": sum(1 for f in acked if f.acknowledged not in refs),
        "doubled": sum(1 for rs in stored.values() if len(rs) > 1),
        "refused but stored": sum(
            1 for f in forms if f.answers and f.answers[-1][0] in ("status", "form") and f.marker in stored
        ),
        "unanswered but stored": sum(
            1 for f in forms if f.answers and f.answers[-1][0] == "none" and f.marker in stored
        ),
        "resent": sum(1 for f in forms if len(f.answers) > 1),
        "5xx answers": sum(n for s, n in statuses.items() if s >= 500),
        "429 answers": statuses.get(429, 0),
        "no answer (tries)": sum(1 for f in forms for a in f.answers if a[0] == "none"),
    }
