"""The bundled sample study: what `ipr-workbench demo` builds, checked against its files."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from coding.errors import StudyError
from coding.study import Study
from transcripts.progress import Cancelled
from workbench import demo
from workbench.demo import SAMPLE_FILE, build_sample_study, sample_folder, summary

DYADS = ("D01", "D02", "D03")
PERSPECTIVES = ("session", "client-recall", "therapist-recall")
RECALLS = ("client-recall", "therapist-recall")
CODERS = ("Alex", "Sam")
WINDOW = 30.0  # seconds within which two stops are the same session moment


def bundled_csv(name: str) -> list[dict[str, str]]:
    text = (sample_folder() / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_sample_study(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def study(built):
    with Study.open(built, writable=False) as opened:
        yield opened


@pytest.fixture(scope="module")
def codings() -> list[dict[str, str]]:
    return bundled_csv("codings.csv")


def docs_by_name(study: Study) -> dict:
    return {doc.name: doc for doc in study.documents.list()}


# -- documents -------------------------------------------------------------------


def test_builds_three_dyads_with_three_perspectives_each(built, study):
    assert built.name == SAMPLE_FILE
    expected = {f"{d}-S1-{p}" for d in DYADS for p in PERSPECTIVES}
    docs = docs_by_name(study)
    assert set(docs) == expected
    assert {(doc.dyad, doc.session, doc.perspective) for doc in docs.values()} == {
        (d, 1, p) for d in DYADS for p in PERSPECTIVES
    }
    assert "sample" in study.title.lower()


def test_every_transcript_format_is_present(study):
    formats = Counter(doc.format for doc in study.documents.list())
    assert set(formats) == {"txt", "docx", "srt", "vtt"}
    manifest = {row["file"].rsplit(".", 1)[1] for row in bundled_csv("manifest.csv")}
    assert manifest == {"txt", "docx", "srt", "vtt"}


def test_every_utterance_has_a_known_speaker_role(study):
    for doc in study.documents.list():
        roles = {u.role for u in study.documents.utterances(doc.id)}
        wanted = {"therapist", "client"} if doc.perspective == "session" else {
            "interviewer", doc.perspective.split("-")[0]
        }
        assert roles == wanted, doc.name


def test_preamble_headers_are_not_speakers(study):
    # "Date: …" and "Note: …" label a single line each: text, not a speaker (SPEC §4).
    for doc in study.documents.list():
        assert not {"Date", "Note"} & set(doc.speakers), doc.name
    text = study.documents.text(docs_by_name(study)["D01-S1-session"].id)
    assert text.startswith("Dyad D01, session 1 — transcript")
    assert "Date: 14 March 2024" in text


def test_session_transcripts_are_timed_and_long_enough(study):
    for doc in study.documents.list():
        if doc.perspective != "session":
            continue
        utterances = study.documents.utterances(doc.id)
        assert 25 <= len(utterances) <= 45, doc.name
        starts = [u.start for u in utterances]
        assert None not in starts, doc.name
        assert starts == sorted(starts), doc.name
        assert all(u.session_time == u.start for u in utterances), doc.name
        assert 10 * 60 <= doc.end <= 20 * 60, doc.name
        assert study.documents.stops(doc.id) == [], doc.name


def test_recalls_have_stops_and_utterances_after_a_stop_carry_its_session_time(study):
    for doc in study.documents.list():
        if doc.perspective not in RECALLS:
            continue
        stops = study.documents.stops(doc.id)
        utterances = study.documents.utterances(doc.id)
        assert len(stops) >= 4, doc.name
        assert 15 <= len(utterances) <= 30, doc.name
        stop_starts = [stop.char_start for stop in stops]
        for utterance in utterances:
            before = [
                s for s, at in zip(stops, stop_starts, strict=True) if at < utterance.char_start
            ]
            expected = before[-1].time if before else None
            assert utterance.session_time == expected, (doc.name, utterance.index)
        assert any(u.session_time is None for u in utterances), doc.name  # the briefing
        assert sum(u.session_time is not None for u in utterances) >= 10, doc.name


def test_recall_stops_fall_inside_the_recorded_session(study):
    docs = docs_by_name(study)
    for dyad in DYADS:
        session = docs[f"{dyad}-S1-session"]
        for perspective in RECALLS:
            for stop in study.documents.stops(docs[f"{dyad}-S1-{perspective}"].id):
                assert session.start <= stop.time <= session.end, (dyad, perspective, stop)


def test_each_dyad_has_convergent_and_divergent_moments(study):
    docs = docs_by_name(study)
    for dyad in DYADS:
        client = [s.time for s in study.documents.stops(docs[f"{dyad}-S1-client-recall"].id)]
        therapist = [s.time for s in study.documents.stops(docs[f"{dyad}-S1-therapist-recall"].id)]
        shared = [c for c in client if any(abs(c - t) <= WINDOW for t in therapist)]
        client_only = [c for c in client if all(abs(c - t) > WINDOW for t in therapist)]
        therapist_only = [t for t in therapist if all(abs(c - t) > WINDOW for c in client)]
        assert len(shared) >= 2, dyad
        assert client_only and therapist_only, dyad


def test_a_client_recall_holds_an_emoji_and_the_study_other_non_ascii(study):
    texts = {doc.name: study.documents.text(doc.id) for doc in study.documents.list()}
    emoji = [name for name, text in texts.items() if any(ord(ch) > 0xFFFF for ch in text)]
    assert emoji and all(name.endswith("client-recall") for name in emoji)
    joined = "".join(texts.values())
    assert "—" in joined and "é" in joined


# -- codings ---------------------------------------------------------------------


def test_every_codings_row_became_one_segment(study, codings):
    rows = study.segments.rows()
    assert len(rows) == len(codings)
    assert Counter((r.coder, r.document, r.code, r.text, r.memo) for r in rows) == Counter(
        (c["coder"], c["document"], c["code"], c["quote"], c["memo"]) for c in codings
    )


def test_every_segment_holds_exactly_its_quote(study):
    for row in study.segments.rows():
        text = study.documents.text(docs_by_name(study)[row.document].id)
        assert text[row.start:row.end] == row.text
        assert row.text == row.text.strip() and row.text


def test_both_coders_coded_every_document_and_marked_it_done(study):
    docs = docs_by_name(study)
    coders = {coder.name: coder for coder in study.coders.list()}
    assert set(coders) == set(CODERS)
    done = {
        (row[0], row[1])
        for row in study.query("SELECT coder_id, document_id FROM coded_documents")
    }
    for name in CODERS:
        per_document = Counter(row.document for row in study.segments.rows(coder=name))
        assert set(per_document) == set(docs), name
        assert all(8 <= n <= 20 for n in per_document.values()), (name, per_document)
        assert {(coders[name].id, doc.id) for doc in docs.values()} <= done, name


def test_coders_agree_often_but_not_always(study):
    pairs = {name: {(r.document, r.code, r.start, r.end) for r in study.segments.rows(coder=name)}
             for name in CODERS}
    same = pairs["Alex"] & pairs["Sam"]
    either = pairs["Alex"] | pairs["Sam"]
    assert 0.3 < len(same) / len(either) < 0.8
    # Same quote, different code: a real disagreement to browse.
    spans = {name: {(d, s, e): c for d, c, s, e in pairs[name]} for name in CODERS}
    assert any(spans["Sam"].get(k) not in (None, c) for k, c in spans["Alex"].items())


def test_a_segment_after_an_emoji_is_located_in_code_points(study):
    rows = [row for row in study.segments.rows() if "🙂" in row.text]
    assert rows, "the sample study should code a passage with an emoji"
    for row in rows:
        text = study.documents.text(docs_by_name(study)[row.document].id)
        assert row.end - row.start == len(row.text)
        assert len(row.text.encode("utf-16-le")) // 2 == len(row.text) + 1  # one surrogate pair
        emoji_at = text.index("🙂")
        after = [r for r in study.segments.rows(document=row.document) if r.start > emoji_at]
        assert after, "a later segment must not be shifted by the emoji"
        for later in after:
            assert text[later.start:later.end] == later.text


def test_sample_moments_hold_codes_from_all_three_documents(study):
    from coding.moments import session_moments

    for dyad in DYADS:
        view = session_moments(study, dyad, 1)
        shared = [moment for moment in view.moments if moment.shared]
        assert len(shared) >= 2, dyad
        assert any(m.code_ids("client-recall") and m.code_ids("therapist-recall") for m in shared)


# -- building --------------------------------------------------------------------


def test_a_second_build_reuses_the_study_unchanged(built, monkeypatch):
    before = hashlib.sha256(built.read_bytes()).hexdigest()
    listing = sorted(p.name for p in built.parent.iterdir())

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the second build created a study again")

    monkeypatch.setattr(demo.Study, "create", no_rebuild)
    assert build_sample_study(built.parent) == built
    assert hashlib.sha256(built.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in built.parent.iterdir()) == listing


def test_the_build_leaves_only_the_study_behind(tmp_path):
    fractions = []
    path = build_sample_study(tmp_path, progress=lambda f, m: fractions.append(f))
    assert [p.name for p in tmp_path.iterdir()] == [SAMPLE_FILE]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    with Study.open(path) as reopened:  # writable: not locked by a leftover
        assert len(reopened.documents.list()) == 9


def test_a_cancelled_build_leaves_nothing(tmp_path):
    def cancel_late(fraction: float, message: str) -> None:
        if fraction >= 0.8:
            raise Cancelled()

    with pytest.raises(Cancelled):
        build_sample_study(tmp_path, progress=cancel_late)
    assert list(tmp_path.iterdir()) == []


def copy_of_sample(tmp_path: Path) -> Path:
    copy = tmp_path / "sample_copy"
    copy.mkdir()
    for entry in sample_folder().iterdir():
        if entry.is_file():
            (copy / entry.name).write_bytes(entry.read_bytes())
    return copy


def test_a_quote_missing_from_its_document_is_a_packaging_error(tmp_path, monkeypatch):
    copy = copy_of_sample(tmp_path)
    rows = bundled_csv("codings.csv")
    rows[4]["quote"] = "Words nobody ever said"  # the fifth row is on line 6
    with open(copy / "codings.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(demo, "sample_folder", lambda: copy)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(StudyError, match=r"codings\.csv, line 6: the quote 'Words nobody"):
        build_sample_study(out)
    assert list(out.iterdir()) == []


def test_a_missing_sample_file_is_a_packaging_error(tmp_path, monkeypatch):
    copy = copy_of_sample(tmp_path)
    (copy / "D02-S1-session.srt").unlink()
    monkeypatch.setattr(demo, "sample_folder", lambda: copy)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(StudyError, match=r"manifest\.csv, line 5: .*D02-S1-session\.srt"):
        build_sample_study(out)
    assert list(out.iterdir()) == []


def test_summary_names_the_dyads_documents_and_coders(study, codings):
    text = summary(study)
    assert study.title in text.splitlines()[0]
    assert "3 dyads (D01, D02, D03), 9 documents, 2 coders" in text
    for doc in study.documents.list():
        assert doc.name in text
    counts = Counter(row["coder"] for row in codings)
    for name in CODERS:
        assert f"{name} (coder): {counts[name]} segments in 9 documents, 9 marked done" in text
    assert "5 recall stops" in text


def test_the_demo_module_does_not_import_qt():
    code = (
        "import sys, workbench.demo; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
