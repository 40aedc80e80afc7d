"""The study file's schema, as registered migrations.

Each migration is one transaction recorded in `_sqlite_migrations` (sqlite-utils),
and `PRAGMA user_version` mirrors the number applied so a study written by a
newer release is recognised and refused before anything is touched.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

APPLICATION_ID = 0x49505257  # "IPRW": marks an SQLite file as an IPR Workbench study

migrations = Migrations("ipr-workbench")

_PERSPECTIVE = "CHECK (perspective IN ('session', 'client-recall', 'therapist-recall', 'other'))"
_ROLE = "CHECK (role IS NULL OR role IN ('therapist', 'client', 'interviewer', 'other'))"

_INITIAL = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE dyads (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE
    )""",
    f"""CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        dyad_id INTEGER NOT NULL REFERENCES dyads(id),
        session INTEGER NOT NULL,
        perspective TEXT NOT NULL {_PERSPECTIVE},
        text TEXT NOT NULL,
        chars INTEGER NOT NULL,
        format TEXT NOT NULL,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL
    )""",
    "CREATE INDEX documents_by_session ON documents(dyad_id, session, perspective)",
    f"""CREATE TABLE speakers (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        role TEXT {_ROLE},
        PRIMARY KEY (document_id, label)
    )""",
    f"""CREATE TABLE speaker_roles (
        label TEXT PRIMARY KEY COLLATE NOCASE,
        role TEXT NOT NULL {_ROLE}
    )""",
    f"""CREATE TABLE utterances (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker TEXT,
        role TEXT {_ROLE},
        start REAL,
        "end" REAL,
        session_time REAL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        UNIQUE (document_id, idx)
    )""",
    "CREATE INDEX utterances_by_end ON utterances(document_id, char_end)",
    """CREATE TABLE sentences (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        utterance_idx INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL
    )""",
    "CREATE INDEX sentences_by_document ON sentences(document_id, char_start)",
    """CREATE TABLE stops (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        time REAL NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        UNIQUE (document_id, idx)
    )""",
    """CREATE TABLE codes (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        parent_id INTEGER REFERENCES codes(id),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        definition TEXT NOT NULL DEFAULT '',
        inclusion TEXT NOT NULL DEFAULT '',
        exclusion TEXT NOT NULL DEFAULT '',
        example TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL DEFAULT '#888888',
        shortcut TEXT,
        codable INTEGER NOT NULL DEFAULT 1
    )""",
    "CREATE INDEX codes_by_parent ON codes(parent_id, position)",
    """CREATE TABLE coders (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('coder', 'supervisor')),
        consensus INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        coder_id INTEGER NOT NULL REFERENCES coders(id),
        code_id INTEGER NOT NULL REFERENCES codes(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        memo TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'approved', 'flagged')),
        reviewer_id INTEGER REFERENCES coders(id),
        review_comment TEXT NOT NULL DEFAULT '',
        reviewed_at TEXT,
        CHECK (start >= 0 AND start < "end")
    )""",
    "CREATE INDEX segments_by_document ON segments(document_id, coder_id, start)",
    "CREATE INDEX segments_by_code ON segments(code_id)",
    "CREATE INDEX segments_by_coder ON segments(coder_id)",
    """CREATE TABLE coded_documents (
        coder_id INTEGER NOT NULL REFERENCES coders(id),
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        done_at TEXT NOT NULL,
        PRIMARY KEY (coder_id, document_id)
    )""",
    """CREATE VIRTUAL TABLE utterance_search USING fts5(
        words, lemmas, tokenize='unicode61 remove_diacritics 2'
    )""",
]


@migrations()
def m001_initial(db: Database) -> None:
    """Dyads, documents with utterances/sentences/stops, codebook, coders, segments, search."""
    for statement in _INITIAL:
        db.execute(statement)


_COUNTS = {
    "utterance_count": "(SELECT COUNT(*) FROM utterances u WHERE u.document_id = documents.id)",
    "sentence_count": "(SELECT COUNT(*) FROM sentences s WHERE s.document_id = documents.id)",
    "stop_count": "(SELECT COUNT(*) FROM stops p WHERE p.document_id = documents.id)",
    "first_time": "(SELECT MIN(start) FROM utterances u WHERE u.document_id = documents.id)",
    "last_time": """(SELECT MAX(MAX(COALESCE("end", start), COALESCE(start, "end")))
                     FROM utterances u WHERE u.document_id = documents.id)""",
}


@migrations()
def m002_document_counts(db: Database) -> None:
    """Keep each document's counts and times with it (they never change after import),
    so listing documents is one cheap query instead of a scan of every utterance."""
    for column in _COUNTS:
        kind = "REAL" if column.endswith("time") else "INTEGER NOT NULL DEFAULT 0"
        db.execute(f"ALTER TABLE documents ADD COLUMN {column} {kind}")
    db.execute(
        "UPDATE documents SET " + ", ".join(f"{c} = {sql}" for c, sql in _COUNTS.items())
    )


SCHEMA_VERSION = len(migrations._migrations)


def known_migration_names() -> set[str]:
    return {m.name for m in migrations._migrations}
