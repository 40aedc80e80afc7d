"""SubRip and WebVTT files: cue merging, rendering, voices, stops and malformed cues."""

from __future__ import annotations

from pathlib import Path

import pytest
from transcript_helpers import check_invariants, parse, said

from transcripts.errors import TranscriptError
from transcripts.load import parse_file

SRT = """1
00:00:01,000 --> 00:00:03,500
T: Hello there,
how are you?

2
00:00:04,000 --> 00:00:05,000
<i>Take your time.</i>

3
00:00:06,200 --> 00:00:08,000
C: Fine.

4
00:00:08,500 --> 00:00:09,000
C: Really.


5
01:00:10,000 --> 01:00:12,000
T: An hour later.
"""


def test_srt_cues_by_one_speaker_merge_into_one_rendered_line(tmp_path: Path):
    path = tmp_path / "session.srt"
    path.write_text(SRT, encoding="utf-8")

    transcript = parse_file(path, "session")

    assert transcript.format == "srt"
    assert transcript.text == (
        "[00:00:01] T: Hello there, how are you? Take your time.\n"
        "[00:00:06] C: Fine. Really.\n"
        "[01:00:10] T: An hour later."
    )
    assert [(u.speaker, u.role, u.start, u.end, u.session_time) for u in transcript.utterances] == [
        ("T", "therapist", 1.0, 5.0, 1.0),
        ("C", "client", 6.2, 9.0, 6.2),
        ("T", "therapist", 3610.0, 3612.0, 3610.0),
    ]
    assert said(transcript)[0] == ("T", "Hello there, how are you? Take your time.")
    check_invariants(transcript)


def test_srt_without_labels_has_one_utterance_per_cue():
    srt = "1\n00:00:01,000 --> 00:00:02,000\nFirst.\n\n2\n00:00:03,000 --> 00:00:04,000\nSecond.\n"

    transcript = parse(srt, name="x.srt")

    assert transcript.text == "[00:00:01] First.\n[00:00:03] Second."
    assert said(transcript) == [(None, "First."), (None, "Second.")]


def test_srt_positioning_codes_are_markup_not_words():
    """Subtitle editors put ASS codes such as {\\an8} (top of screen) before a cue's text."""
    srt = ("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>T: Up here.</i>\n\n"
           "2\n00:00:03,000 --> 00:00:04,000\n{\\i1}C:{\\i0} Down {\\pos(10,20)}there.\n\n"
           "3\n00:00:05,000 --> 00:00:06,000\nT: Braces {like these} stay.\n")

    transcript = parse(srt, "session", name="x.srt")

    assert said(transcript) == [("T", "Up here."), ("C", "Down there."),
                                ("T", "Braces {like these} stay.")]
    check_invariants(transcript)


VTT = """WEBVTT - therapy session 4
Kind: captions

NOTE
This note spans
two lines.

STYLE
::cue { color: yellow }

intro-1
00:01.000 --> 00:04.000 align:start position:10%
<v Dr. Lind>Hello &amp; <b>welcome</b>,
Zoë.</v>

00:05.000 --> 00:06.000
<v.loud Client>Hi <00:05.500><c.yellow>there</c></v>

00:00:07.000 --> 00:00:08.000
<v Client>again &lt;3

00:09.000 --> 00:10.000
I: And now?
"""


def test_vtt_voices_tags_entities_and_skipped_blocks():
    transcript = parse(VTT, name="talk.vtt", perspective="session")

    assert transcript.format == "vtt"
    assert transcript.text == (
        "[00:00:01] Dr. Lind: Hello & welcome, Zoë.\n"
        "[00:00:05] Client: Hi there again <3\n"
        "[00:00:09] I: And now?"
    )
    assert transcript.speakers == {"Dr. Lind": "other", "Client": "client", "I": "interviewer"}
    assert [(u.start, u.end) for u in transcript.utterances] == [(1, 4), (5, 8), (9, 10)]
    check_invariants(transcript)


def test_vtt_voice_role_can_be_declared():
    transcript = parse(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>Hi.\n",
        name="a.vtt",
        speaker_roles={"ANNA": "client"},
    )

    assert [(u.speaker, u.role) for u in transcript.utterances] == [("Anna", "client")]


RECALL_SRT = """1
00:00:01,000 --> 00:00:02,000
I: What was happening here?

2
00:00:02,500 --> 00:00:03,000
[STOP 00:12:30]

3
00:00:04,000 --> 00:00:05,000
I was scared.

4
00:00:05,000 --> 00:00:06,000
Really scared.

5
00:00:07,000 --> 00:00:08,000
[STOP 00:13:00] C: Better now.
"""


def test_stop_cues_render_on_their_own_line_and_set_session_time():
    transcript = parse(RECALL_SRT, name="recall.srt")

    assert transcript.text == (
        "[00:00:01] I: What was happening here?\n"
        "[STOP 00:12:30]\n"
        "[00:00:04] I was scared. Really scared.\n"
        "[STOP 00:13:00]\n"
        "[00:00:07] C: Better now."
    )
    assert [(s.time, transcript.text[s.char_start : s.char_end]) for s in transcript.stops] == [
        (750.0, "[STOP 00:12:30]"),
        (780.0, "[STOP 00:13:00]"),
    ]
    assert [(u.speaker, u.session_time) for u in transcript.utterances] == [
        ("I", None),
        (None, 750.0),
        ("C", 780.0),
    ]
    check_invariants(transcript)


def test_stop_cue_in_a_session_subtitle_names_the_line():
    with pytest.raises(TranscriptError, match="session transcript") as caught:
        parse(RECALL_SRT, name="s.srt", perspective="session")

    assert caught.value.line == 7


@pytest.mark.parametrize(
    ("name", "text", "line", "reason"),
    [
        ("a.srt", "1\n00:00:01,000 00:00:02,000\nHi\n", 2, "missing '-->'"),
        ("a.srt", "1\n00:00:01 --> 00:00:02\nHi\n", 2, "malformed cue timing"),
        ("a.srt", "1\n00:00:05,000 --> 00:00:02,000\nHi\n", 2, "ends before it starts"),
        ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n\ngarbage\nhere\n", 5, "cue number"),
        ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n", 5, "no timing line"),
        ("a.srt", "1\n00:61:01,000 --> 01:00:02,000\nHi\n", 2, "impossible timestamp"),
        ("a.vtt", "00:01.000 --> 00:02.000\nHi\n", 1, "WEBVTT"),
        ("a.vtt", "WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n", 1, "WEBVTT"),
        ("a.vtt", "WEBVTT\n00:01.000 --> 00:02.000\nHi\n", 2, "blank line"),
        ("a.vtt", "WEBVTT\n\nid\n00:01.000 -> 00:02.000\nHi\n", 3, "expected a cue"),
        ("a.vtt", "WEBVTT\n\njust words\n", 3, "expected a cue"),
        (
            "a.vtt",
            "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n\n00:03.000 --> 00:0x.000\n",
            6,
            "malformed",
        ),
    ],
)
def test_malformed_cues_name_file_and_line(name, text, line, reason):
    with pytest.raises(TranscriptError, match=reason) as caught:
        parse(text, name=name)

    assert (caught.value.path, caught.value.line) == (name, line)


def test_subtitles_without_any_text_are_refused():
    with pytest.raises(TranscriptError, match="no cues with text"):
        parse("WEBVTT\n\nNOTE nothing here\n\n00:01.000 --> 00:02.000\n<i></i>\n", name="a.vtt")


def test_a_stop_on_a_later_line_of_a_cue_ends_the_turn_before_it():
    """SPEC §4: a stop on a line of its own or at a line's start, inside a cue too."""
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\nI: What was that?\n[STOP 00:12:30]\nI was scared.\n\n"
        "2\n00:00:05,000 --> 00:00:06,000\nI: And then?\n[stop 13:00] C: Calmer.\n"
    )

    transcript = parse(srt, name="recall.srt")

    assert transcript.text == (
        "[00:00:01] I: What was that?\n[STOP 00:12:30]\n[00:00:01] I was scared.\n"
        "[00:00:05] I: And then?\n[STOP 00:13:00]\n[00:00:05] C: Calmer."
    )
    assert [(u.speaker, u.session_time, u.start, u.end) for u in transcript.utterances] == [
        ("I", None, 1.0, 4.0),
        (None, 750.0, 1.0, 4.0),
        ("I", 750.0, 5.0, 6.0),
        ("C", 780.0, 5.0, 6.0),
    ]
    assert said(transcript)[1] == (None, "I was scared.")
    check_invariants(transcript)


def test_each_labelled_line_of_a_cue_is_its_own_turn():
    vtt = (
        "WEBVTT\n\n00:01.000 --> 00:03.000\nT: How was it?\nC: Hard.\n\n"
        "00:04.000 --> 00:05.000\n<v Anna>Yes,\nreally.\n<v Ben>I see.\n"
    )

    transcript = parse(vtt, name="a.vtt", perspective="session")

    assert said(transcript) == [
        ("T", "How was it?"), ("C", "Hard."), ("Anna", "Yes, really."), ("Ben", "I see."),
    ]
    check_invariants(transcript)


def test_an_impossible_stop_in_a_cue_names_the_stops_own_line():
    srt = "1\n00:00:01,000 --> 00:00:02,000\nI: So?\n[STOP 00:75:00]\n"

    with pytest.raises(TranscriptError, match="impossible timestamp") as caught:
        parse(srt, name="a.srt")

    assert caught.value.line == 4


def test_a_vtt_voice_names_the_lines_after_a_stop_in_its_cue():
    """A voice span runs to `</v>` or the cue's end; a stop inside it does not end it."""
    vtt = (
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Client>I froze.\n[STOP 00:12:30]\nThen calm.\n\n"
        "00:05.000 --> 00:06.000\n<v Anna>Closed.</v>\n[STOP 00:13:00]\nNobody's words.\n"
    )

    transcript = parse(vtt, name="recall.vtt")

    assert [(u.speaker, u.session_time) for u in transcript.utterances] == [
        ("Client", None), ("Client", 750.0), ("Anna", 750.0), (None, 780.0),
    ]
    assert said(transcript)[1] == ("Client", "Then calm.")
    check_invariants(transcript)
