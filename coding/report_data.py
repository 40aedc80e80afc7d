"""What a theme report says, computed from the study: plain data, no Word in it.

- **Layer** (SPEC §9): the consensus coder's segments when a consensus layer
  exists and has segments, otherwise every (non-consensus) coder's segments;
  `coder=NAME` or `consensus=True` choose explicitly.
- **Counts** per theme and code, by perspective: coded segments and distinct dyads.
  A theme counts the segments of every code under it.
- **Shared moments**: session moments (`coding.moments`: recall stops of both
  participants within `window` seconds) where the code was applied in the client's
  and in the therapist's recall comments; for a theme, where some code of the theme
  was applied on each side (not necessarily the same one).
- **Exemplar quotes** per code: approved segments before pending ones (flagged ones
  never), then spread across dyads and perspectives, then complete sentences of
  moderate length; overlapping spans (two coders on one passage) are quoted once.

Everything is fetched once (segment rows, then per recall document its stops and
utterances), never per segment, so a large study is summarised in seconds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import get_close_matches

from coding.codebook import Code, Codebook
from coding.errors import StudyError
from coding.moments import DEFAULT_WINDOW, RECALLS, cluster, recall_comments
from coding.segments import SegmentRow
from coding.study import Study
from transcripts.model import PERSPECTIVES
from transcripts.progress import Progress, report, scaled

QUOTES_PER_CODE = 3
_STATUS_RANK = {"approved": 0, "pending": 1}
_IDEAL_WORDS = (10, 45)
_SENTENCE_START = re.compile(r"^[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]?$")


@dataclass(frozen=True)
class Layer:
    """Whose segments the report shows."""

    kind: str  # "consensus", "coder" or "all"
    coders: tuple[str, ...]
    coder_ids: tuple[int, ...]

    @property
    def description(self) -> str:
        if self.kind == "consensus":
            return f"the consensus layer ({self.coders[0]})"
        if self.kind == "coder":
            return f"coder {self.coders[0]} only"
        if not self.coders:
            return "all coders (none has coded yet)"
        return "all coders (" + ", ".join(self.coders) + ")"


@dataclass(frozen=True)
class CoderFacts:
    name: str
    role: str
    consensus: bool
    segments: int
    documents: int


@dataclass(frozen=True)
class StudyFacts:
    title: str
    file: str
    created: str | None
    generated: str
    dyads: tuple[str, ...]
    sessions: int
    documents: dict[str, int]  # perspective → documents
    coders: tuple[CoderFacts, ...]


@dataclass(frozen=True)
class Count:
    segments: int = 0
    dyads: int = 0


@dataclass(frozen=True)
class Quote:
    """A coded passage with where it was said."""

    text: str
    code: str
    dyad: str
    session: int
    perspective: str
    speaker: str | None
    role: str | None
    session_time: float | None
    coder: str
    status: str
    document: str
    start: int
    end: int

    @classmethod
    def of(cls, row: SegmentRow) -> Quote:
        return cls(
            text=row.text, code=row.code, dyad=row.dyad, session=row.session,
            perspective=row.perspective, speaker=row.speaker, role=row.role,
            session_time=row.session_time, coder=row.coder, status=row.status,
            document=row.document, start=row.start, end=row.end,
        )


@dataclass(frozen=True)
class SharedMoment:
    """A session moment coded from both recalls, with what each participant said."""

    dyad: str
    session: int
    start: float
    end: float
    client: tuple[Quote, ...]
    therapist: tuple[Quote, ...]


@dataclass
class CodeReport:
    code: Code
    label: str  # the name, with intermediate parents for codes deeper than one level
    counts: dict[str, Count]
    total: Count
    shared: list[SharedMoment] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class ThemeReport:
    theme: Code
    counts: dict[str, Count]
    total: Count
    codes: list[CodeReport]
    shared: list[SharedMoment] = field(default_factory=list)


@dataclass
class ReportData:
    facts: StudyFacts
    layer: Layer
    perspectives: tuple[str, ...]  # the perspectives the study has documents of
    themes: list[ThemeReport]
    segments: int  # segments of the layer in the chosen themes
    window: float
    selected_themes: bool = False  # True when a subset of themes was asked for


# -- choosing the layer --------------------------------------------------------------


def choose_layer(study: Study, *, coder: str | None = None, consensus: bool = False,
                 all_coders: bool = False) -> Layer:
    """The consensus layer if it has segments, else all coders; or what was asked for.

    `all_coders` asks for every (non-consensus) coder even where a consensus layer
    exists, e.g. to report the raw coding beside the settled one.
    """
    if (coder is not None) + consensus + all_coders > 1:
        raise StudyError("choose one layer: a coder, the consensus layer or all coders")
    counts = _segments_per_coder(study)
    coders = study.coders.list()
    if coder is not None:
        chosen = study.coders.find(coder)
        kind = "consensus" if chosen.consensus else "coder"
        return Layer(kind, (chosen.name,), (chosen.id,))
    layer = next((c for c in coders if c.consensus), None)
    if consensus and (layer is None or not counts.get(layer.id)):
        raise StudyError(
            "this study has no consensus layer with segments yet; build it in review "
            "mode, or report one coder (--coder) or all coders"
        )
    if layer is not None and counts.get(layer.id) and not all_coders:
        return Layer("consensus", (layer.name,), (layer.id,))
    everyone = [c for c in coders if not c.consensus and counts.get(c.id)]
    return Layer("all", tuple(c.name for c in everyone), tuple(c.id for c in everyone))


def _segments_per_coder(study: Study) -> dict[int, int]:
    return {
        row[0]: row[1]
        for row in study.db.execute("SELECT coder_id, COUNT(*) FROM segments GROUP BY coder_id")
    }


def select_themes(book: Codebook, themes: Sequence[str] | None) -> list[Code]:
    """The codebook's top-level themes, or the named ones (by name or path) in that order."""
    if not themes:
        return list(book.roots)
    chosen: list[Code] = []
    for name in themes:
        code = _theme(book, name)
        if code not in chosen:
            chosen.append(code)
    return chosen


def _theme(book: Codebook, name: str) -> Code:
    """A code by path, else by its own name (any case) when only one code bears it."""
    wanted = name.strip().strip("/")
    if wanted.casefold() in {path.casefold() for path in book.by_path}:
        return book.find(wanted)
    named = [code for code in book.by_path.values() if code.name.casefold() == wanted.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        paths = ", ".join(repr(code.path) for code in named)
        raise StudyError(f"{len(named)} codes are named {wanted!r}: {paths}; give the path")
    roots = [root.name for root in book.roots]
    hint = get_close_matches(wanted, roots, n=1)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    listed = f" (themes: {', '.join(roots)})" if roots else " (the codebook has no themes)"
    raise StudyError(f"no theme {wanted!r} in the codebook{suggestion}{listed}")


# -- the report's data -------------------------------------------------------------------


def report_data(
    study: Study,
    *,
    coder: str | None = None,
    consensus: bool = False,
    all_coders: bool = False,
    themes: Sequence[str] | None = None,
    window: float = DEFAULT_WINDOW,
    quotes_per_code: int = QUOTES_PER_CODE,
    progress: Progress | None = None,
) -> ReportData:
    """Everything the theme report shows, for the chosen layer and themes."""
    book = study.codebook.load()
    layer = choose_layer(study, coder=coder, consensus=consensus, all_coders=all_coders)
    roots = select_themes(book, themes)
    report(progress, 0.0, "reading the study")
    documents = study.documents.list()
    facts = _facts(study, documents)
    perspectives = tuple(p for p in PERSPECTIVES if facts.documents.get(p))

    report(progress, 0.05, "reading coded segments")
    members = {root.id: _members(book, root) for root in roots}
    wanted = {code.id for codes in members.values() for code in codes}
    rows = [
        row
        for row in _layer_rows(study, layer)
        if book.by_path[row.code].id in wanted
    ]
    report(progress, 0.35, "counting")
    by_code: dict[int, list[SegmentRow]] = defaultdict(list)
    for row in rows:
        by_code[book.by_path[row.code].id].append(row)

    themes_out: list[ThemeReport] = []
    for root in roots:
        code_reports = []
        for code in members[root.id]:
            if not code.codable and not by_code.get(code.id):
                continue
            counts, total = _count(by_code.get(code.id, []), perspectives)
            code_reports.append(
                CodeReport(code, _label(book, root, code), counts, total)
            )
        theme_rows = [row for code in members[root.id] for row in by_code.get(code.id, [])]
        counts, total = _count(theme_rows, perspectives)
        themes_out.append(ThemeReport(root, counts, total, code_reports))

    _add_shared_moments(
        study, documents, layer, themes_out, members, rows, window,
        scaled(progress, 0.4, 0.9),
    )
    report(progress, 0.9, "choosing exemplar quotes")
    for theme in themes_out:
        for code_report in theme.codes:
            code_report.quotes = choose_quotes(
                by_code.get(code_report.code.id, []), quotes_per_code
            )
    return ReportData(
        facts=facts, layer=layer, perspectives=perspectives, themes=themes_out,
        segments=len(rows), window=window, selected_themes=bool(themes),
    )


def _members(book: Codebook, root: Code) -> list[Code]:
    """A theme and every code under it, in codebook order (sections list the codable ones
    and any code that still holds segments)."""
    return list(book.descendants(root))


def _label(book: Codebook, root: Code, code: Code) -> str:
    chain = [c for c in book.ancestors(code) if c.depth > root.depth]
    return " › ".join([*(c.name for c in chain), code.name])


def _layer_rows(study: Study, layer: Layer) -> list[SegmentRow]:
    if layer.kind in ("consensus", "coder"):
        return study.segments.rows(coder=layer.coders[0])
    if not layer.coders:
        return []
    names = set(layer.coders)
    return [row for row in study.segments.rows() if row.coder in names]


def _count(rows: Iterable[SegmentRow], perspectives: Sequence[str]) -> tuple[dict, Count]:
    segments: dict[str, int] = defaultdict(int)
    dyads: dict[str, set[str]] = defaultdict(set)
    everywhere: set[str] = set()
    total = 0
    for row in rows:
        segments[row.perspective] += 1
        dyads[row.perspective].add(row.dyad)
        everywhere.add(row.dyad)
        total += 1
    counts = {p: Count(segments[p], len(dyads[p])) for p in perspectives}
    return counts, Count(total, len(everywhere))


def _facts(study: Study, documents) -> StudyFacts:
    per_perspective: dict[str, int] = defaultdict(int)
    for doc in documents:
        per_perspective[doc.perspective] += 1
    stats = {
        row[0]: (row[1], row[2])
        for row in study.db.execute(
            "SELECT coder_id, COUNT(*), COUNT(DISTINCT document_id) FROM segments "
            "GROUP BY coder_id"
        )
    }
    coders = tuple(
        CoderFacts(c.name, c.role, c.consensus, *stats.get(c.id, (0, 0)))
        for c in study.coders.list()
    )
    meta = study.meta()
    return StudyFacts(
        title=study.title,
        file=study.path.name,
        created=(meta.get("created_at") or "")[:10] or None,
        generated=date.today().isoformat(),
        dyads=tuple(sorted({doc.dyad for doc in documents})),
        sessions=len({(doc.dyad, doc.session) for doc in documents}),
        documents=dict(per_perspective),
        coders=coders,
    )


# -- shared moments --------------------------------------------------------------------


def _add_shared_moments(
    study: Study,
    documents,
    layer: Layer,
    themes: list[ThemeReport],
    members: dict[int, list[Code]],
    rows: Sequence[SegmentRow],
    window: float,
    progress: Progress | None,
) -> None:
    """Fill in `shared` of every code and theme, one session at a time."""
    if not layer.coder_ids:
        return
    book = study.codebook.load()
    by_uuid = {row.id: row for row in rows}
    recalls: dict[tuple[str, int], list] = defaultdict(list)
    for doc in documents:
        if doc.perspective in RECALLS:
            recalls[(doc.dyad, doc.session)].append(doc)
    sessions = sorted(
        key for key, docs in recalls.items() if {d.perspective for d in docs} == set(RECALLS)
    )
    code_reports = {c.code.path: c for theme in themes for c in theme.codes}
    theme_paths = {
        theme.theme.id: {c.path for c in members[theme.theme.id]} for theme in themes
    }
    for number, (dyad, session) in enumerate(sessions):
        report(progress, number / len(sessions), f"aligning the recalls of {dyad} S{session}")
        comments = [
            comment
            for doc in recalls[(dyad, session)]
            for comment in recall_comments(study, doc, layer.coder_ids)
        ]
        for moment in cluster(comments, window):
            if not moment.shared:
                continue
            sides = {
                perspective: [
                    by_uuid[s.uuid]
                    for comment in moment.by(perspective)
                    for s in comment.segments
                    if s.uuid in by_uuid
                ]
                for perspective in RECALLS
            }
            client = {row.code for row in sides["client-recall"]}
            therapist = {row.code for row in sides["therapist-recall"]}
            for path in sorted(client & therapist, key=lambda p: book.by_path[p].id):
                if path in code_reports:
                    code_reports[path].shared.append(
                        _shared(dyad, session, moment, sides, {path})
                    )
            for theme in themes:
                paths = theme_paths[theme.theme.id]
                if paths & client and paths & therapist:
                    theme.shared.append(_shared(dyad, session, moment, sides, paths))


def _shared(dyad, session, moment, sides, paths: set[str]) -> SharedMoment:
    def said(rows: Sequence[SegmentRow]) -> tuple[Quote, ...]:
        chosen = _distinct([row for row in rows if row.code in paths])
        return tuple(Quote.of(row) for row in sorted(chosen, key=lambda r: (r.document, r.start)))

    return SharedMoment(
        dyad=dyad, session=session, start=moment.start, end=moment.end,
        client=said(sides["client-recall"]), therapist=said(sides["therapist-recall"]),
    )


def _distinct(rows: Sequence[SegmentRow]) -> list[SegmentRow]:
    """Rows whose spans do not overlap (the longer of two overlapping ones is kept)."""
    kept: list[SegmentRow] = []
    for row in sorted(rows, key=lambda r: (-(r.end - r.start), r.document, r.start, r.id)):
        if not any(_overlap(row, other) for other in kept):
            kept.append(row)
    return kept


def _overlap(a: SegmentRow, b: SegmentRow) -> bool:
    return a.document == b.document and a.start < b.end and b.start < a.end


# -- exemplar quotes -------------------------------------------------------------------


def choose_quotes(rows: Sequence[SegmentRow], count: int = QUOTES_PER_CODE) -> list[Quote]:
    """A few exemplar quotes: approved first, spread over dyads and perspectives, readable.

    Flagged segments are never exemplars. Among segments of the same review status,
    each pick minimises a penalty: +2 for a dyad already quoted, +1 for a
    perspective already quoted, plus how far the text is from a complete sentence
    of moderate length. Ties go to the earliest passage, so the choice is stable.
    """
    candidates = [row for row in rows if row.status in _STATUS_RANK and row.text.strip()]
    quality = {row.id: _quality(row.text) for row in candidates}
    order = {row.id: n for n, row in enumerate(
        sorted(candidates, key=lambda r: (r.dyad, r.session, r.document, r.start, r.id))
    )}
    chosen: list[SegmentRow] = []
    dyads: set[str] = set()
    perspectives: set[str] = set()
    texts: set[str] = set()
    while len(chosen) < count:
        best, best_key = None, None
        for row in candidates:
            if row.text.strip() in texts or any(_overlap(row, c) for c in chosen):
                continue
            spread = 2.0 * (row.dyad in dyads) + 1.0 * (row.perspective in perspectives)
            key = (_STATUS_RANK[row.status], spread + quality[row.id], order[row.id])
            if best_key is None or key < best_key:
                best, best_key = row, key
        if best is None:
            break
        chosen.append(best)
        dyads.add(best.dyad)
        perspectives.add(best.perspective)
        texts.add(best.text.strip())
    return [Quote.of(row) for row in chosen]


def _quality(text: str) -> float:
    """0 for a complete sentence of 10–45 words; more the further from that."""
    text = text.strip()
    penalty = 0.0
    if not _SENTENCE_START.match(text):
        penalty += 0.75
    if not _SENTENCE_END.search(text):
        penalty += 0.75
    words = len(text.split())
    low, high = _IDEAL_WORDS
    if words < low:
        penalty += (low - words) / low * 1.5
    elif words > high:
        penalty += min((words - high) / high, 2.0)
    return penalty
