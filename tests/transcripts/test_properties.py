"""Property tests: any input gives a Transcript or a TranscriptError, and every
Transcript keeps its offset invariants (SPEC §11: parsers never raise anything else)."""

from __future__ import annotations

import io
import zipfile

import docx
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from transcript_helpers import check_invariants

from transcripts.errors import TranscriptError
from transcripts.load import parse_bytes
from transcripts.model import PERSPECTIVES, Transcript, Utterance
from transcripts.nlp import analyse

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXTENSIONS = st.sampled_from([".txt", ".md", ".docx", ".srt", ".vtt"])


def parse_or_refuse(data: bytes, name: str, perspective: str) -> Transcript | None:
    """Parse; a TranscriptError is an accepted outcome, anything else fails the test."""
    try:
        transcript = parse_bytes(data, name, perspective)
    except TranscriptError as error:
        assert error.path == name
        return None
    check_invariants(transcript)
    return transcript


@FAST
@given(
    data=st.binary(max_size=400), extension=EXTENSIONS, perspective=st.sampled_from(PERSPECTIVES)
)
def test_arbitrary_bytes(data, extension, perspective):
    parse_or_refuse(data, "f" + extension, perspective)


@FAST
@given(text=st.text(max_size=400), extension=EXTENSIONS)
def test_arbitrary_text(text, extension):
    parse_or_refuse(text.encode("utf-8"), "f" + extension, "client-recall")


# A grammar of transcript lines: labels, timestamps (mostly possible), stops, words.
good_clock = st.builds(
    lambda h, m, s, frac: (f"{h:02d}:" if h is not None else "") + f"{m:02d}:{s:02d}" + frac,
    st.one_of(st.none(), st.integers(0, 30)),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(["", ".5", ",250", ".123"]),
)
bad_clock = st.sampled_from(["00:61:00", "10:60", "1:00:99", "99:99"])
# About one clock in forty is impossible, so most documents parse and some are refused.
clock = st.integers(0, 39).flatmap(lambda n: bad_clock if n == 23 else good_clock)
stamp = st.one_of(
    clock.map(lambda c: f"[{c}]"),
    clock.map(lambda c: f"({c})"),
    clock,
)
label = st.sampled_from(
    ["T", "C", "I", "Th", "client", "Dr. Lind", "P1", "Date", "Zoë", "12", "**T", "Note 3"]
)
word = st.one_of(
    st.sampled_from(
        ["I", "felt", "scared.", "Ça", "va?", "😀", "12:30", "[STOP", "]", ":", "—", "\t", "  "]
    ),
    st.sampled_from(["\u2028", "&amp;", "<i>", "</v>", "-->", "WEBVTT", "NOTE", "1"]),
    st.text(alphabet="ab :.[]()!?\x0c", max_size=6),
)
words = st.lists(word, max_size=8).map(" ".join)
line = st.builds(
    lambda indent, stop, before, who, colon, after, body: (
        indent + stop + before + (who + colon if who else "") + after + body
    ),
    st.sampled_from(["", " ", "\t"]),
    st.one_of(st.just(""), clock.map(lambda c: f"[STOP {c}] "), clock.map(lambda c: f"[stop {c}]")),
    st.one_of(st.just(""), stamp.map(lambda s: s + " ")),
    st.one_of(st.just(""), label),
    st.sampled_from([":", ": ", ":**", " :"]),
    st.one_of(st.just(""), stamp.map(lambda s: s + " ")),
    words,
)
document = st.builds(
    lambda lines, newline: newline.join(lines),
    st.lists(line, min_size=1, max_size=12),
    st.sampled_from(["\n", "\r\n", "\r"]),
)


@FAST
@given(
    text=document,
    perspective=st.sampled_from(PERSPECTIVES),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_grammar_documents(text, perspective, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    transcript = parse_or_refuse(data, "g.txt", perspective)
    if transcript is not None and perspective == "session":
        assert transcript.stops == []


def cue_time(seconds: float, separator: str) -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}{separator}{millis:03d}"


@st.composite
def subtitle_file(draw, vtt: bool) -> str:
    """Mostly well-formed cues with words, labels, voices and stops; now and then damaged."""
    blocks, clock_at = [], 0.0
    for number in range(1, draw(st.integers(1, 6)) + 1):
        start = clock_at + draw(st.floats(0, 5, allow_nan=False))
        end = start + draw(st.floats(0, 5, allow_nan=False))
        clock_at = end
        text = draw(
            st.one_of(
                line,
                st.sampled_from(
                    ["<v Anna>hi &amp; bye</v>", "<i>x</i>", "[STOP 00:10]", "T: a\nb"]
                ),
                st.builds("{}\n{}".format, line, line),
            )
        )
        timing = f"{cue_time(start, '.' if vtt else ',')} --> {cue_time(end, '.' if vtt else ',')}"
        head = draw(st.sampled_from(["", "cue-id\n"])) if vtt else f"{number}\n"
        blocks.append(f"{head}{timing}\n{text}")
    if vtt:
        blocks.insert(0, draw(st.sampled_from(["WEBVTT", "WEBVTT - x\nKind: captions"])))
        if draw(st.booleans()):
            blocks.insert(1, "NOTE a note\nover two lines")
    document = "\n\n".join(blocks) + "\n"
    if draw(st.integers(0, 4)) == 0:  # damage: drop or change one character
        at = draw(st.integers(0, len(document) - 1))
        document = (
            document[:at] + draw(st.sampled_from(["", "x", "\n", "-", ":"])) + document[at + 1 :]
        )
    return document


@FAST
@given(data=st.data(), vtt=st.booleans())
def test_grammar_subtitles(data, vtt):
    text = data.draw(subtitle_file(vtt))
    parse_or_refuse(text.encode("utf-8"), "g.vtt" if vtt else "g.srt", "therapist-recall")


@settings(max_examples=40, deadline=None)
@given(text=document)
def test_sentences_lie_inside_their_utterance(text):
    transcript = parse_or_refuse(text.encode("utf-8"), "g.txt", "other")
    if transcript is None:
        return
    analysis = analyse(transcript.text, transcript.utterances)
    assert len(analysis.lemmas) == len(transcript.utterances)
    for sentence in analysis.sentences:
        utterance = transcript.utterances[sentence.utterance]
        assert utterance.char_start <= sentence.char_start < sentence.char_end <= utterance.char_end
        content = transcript.text[sentence.char_start : sentence.char_end]
        assert content == content.strip() and content


ORACLE = spacy.blank("en")
ORACLE.add_pipe("sentencizer")


@settings(max_examples=60, deadline=None)
@given(text=st.lists(word, min_size=1, max_size=30).map(" ".join).filter(lambda t: t.strip()))
def test_sentences_are_spacys_sentences_trimmed(text):
    utterance = Utterance(0, None, None, None, None, None, 0, len(text))

    found = [(s.char_start, s.char_end) for s in analyse(text, [utterance]).sentences]

    expected = []
    for sent in ORACLE(text).sents:
        piece = sent.text
        if piece.strip():
            start = sent.start_char + len(piece) - len(piece.lstrip())
            expected.append((start, start + len(piece.strip())))
    assert found == expected


def _valid_docx_members() -> dict[str, bytes]:
    document = docx.Document()
    document.add_paragraph("T: Hello.")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "C: Hi."
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {member: archive.read(member) for member in archive.namelist()}


DOCX_MEMBERS = _valid_docx_members()
DOCUMENT_XML = DOCX_MEMBERS["word/document.xml"]


@FAST
@given(
    at=st.integers(0, len(DOCUMENT_XML)),
    cut=st.integers(0, 40),
    insert=st.text(alphabet='<>/="w:ptrblcvMerge &;#x1\x00', max_size=16),
    drop=st.sampled_from([None, "_rels/.rels", "word/document.xml", "[Content_Types].xml"]),
)
def test_damaged_docx(at, cut, insert, drop):
    xml = DOCUMENT_XML[:at] + insert.encode() + DOCUMENT_XML[at + cut :]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in DOCX_MEMBERS.items():
            if member != drop:
                archive.writestr(member, xml if member == "word/document.xml" else data)
    parse_or_refuse(buffer.getvalue(), "c.docx", "session")
