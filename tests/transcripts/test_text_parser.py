"""Speaker labels, timestamps, recall stops and utterance spans in text transcripts."""

from __future__ import annotations

import pytest
from transcript_helpers import check_invariants, parse, said

from transcripts.errors import TranscriptError

# --- speaker labels ------------------------------------------------------------------


def test_role_words_map_to_roles_case_insensitively():
    transcript = parse(
        "THERAPIST: one\nclient: two\nInt: three\nCounselor: four\nPatient: five\nr: six\n"
    )

    assert [(u.speaker, u.role) for u in transcript.utterances] == [
        ("THERAPIST", "therapist"),
        ("client", "client"),
        ("Int", "interviewer"),
        ("Counselor", "therapist"),
        ("Patient", "client"),
        ("r", "interviewer"),
    ]


def test_speakers_keep_the_label_as_first_written():
    transcript = parse("T: one\nC: two\nt: three\n")

    assert transcript.speakers == {"T": "therapist", "C": "client"}
    assert [u.speaker for u in transcript.utterances] == ["T", "C", "T"]


def test_header_line_used_once_is_not_a_speaker():
    transcript = parse("Date: 12 March\nT: Hello.\nC: Hi.\n")

    assert "Date" not in transcript.speakers
    assert said(transcript) == [("T", "Hello."), ("C", "Hi.")]
    assert transcript.text.startswith("Date: 12 March\n")  # preamble stays in the text


def test_label_used_on_two_lines_is_a_speaker_with_role_other():
    transcript = parse("Dr. Lind: How are you?\nP1: Fine.\nDr. Lind: Good.\nP1: Yes.\n")

    assert transcript.speakers == {"Dr. Lind": "other", "P1": "other"}
    assert said(transcript) == [
        ("Dr. Lind", "How are you?"),
        ("P1", "Fine."),
        ("Dr. Lind", "Good."),
        ("P1", "Yes."),
    ]


def test_declared_speaker_counts_once_and_its_role_overrides_role_words():
    transcript = parse(
        "Anna: I was scared.\nT: Go on.\n",
        speaker_roles={"anna": "client", "t": "interviewer"},
    )

    assert transcript.speakers == {"Anna": "client", "T": "interviewer"}
    assert [(u.speaker, u.role) for u in transcript.utterances] == [
        ("Anna", "client"),
        ("T", "interviewer"),
    ]


def test_declared_speaker_with_unknown_role_is_refused():
    with pytest.raises(TranscriptError, match="unknown role 'boss'"):
        parse("A: hi\n", speaker_roles={"A": "boss"})


@pytest.mark.parametrize(
    "line",
    [
        "12:30 we met",  # a clock, not a label
        "Note: 12:30",  # used once, not a role word
        "_T: underscores are not label characters",
        "This line is far too long to be a speaker label at all, really: yes",
        "- T: a bullet before the label",
    ],
)
def test_lines_that_are_not_labels_continue_the_turn(line):
    transcript = parse(f"T: start\n{line}\nC: end\n")

    assert said(transcript) == [("T", f"start\n{line}"), ("C", "end")]


def test_a_colon_before_a_digit_is_a_clock_not_a_label_end():
    transcript = parse("T: We met\n10:30 in the morning\n10:45 we left\n")

    assert transcript.speakers == {"T": "therapist"}
    assert said(transcript) == [("T", "We met\n10:30 in the morning\n10:45 we left")]


def test_unicode_letters_digits_and_punctuation_in_labels():
    transcript = parse(
        "Zoë O'Neil-Ng: one\nΘεραπευτής 2: two\nZoë O'Neil-Ng: three\nΘεραπευτής 2: four\n"
    )

    assert list(transcript.speakers) == ["Zoë O'Neil-Ng", "Θεραπευτής 2"]


@pytest.mark.parametrize(
    "label", ["Thérapeute", "The\u0301rapeute", "परामर्शदाता", "ผู้ให้คำปรึกษา", "Ана Ли"]
)
def test_letters_with_combining_marks_make_labels(label):
    """Vowel signs (Hindi, Thai) and decomposed accents are parts of letters."""
    transcript = parse(f"{label}: one\nAnna: two\n{label}: three\nAnna: four\n")

    assert list(transcript.speakers) == [label, "Anna"]
    assert said(transcript)[0] == (label, "one")


def test_a_typographic_apostrophe_in_a_label_is_an_apostrophe():
    """Word's autocorrect turns `O'Neil` into `O’Neil`; the label must survive it."""
    transcript = parse("Dr. O’Neil: Welcome.\nAnna: Thanks.\nDr. O’Neil: So.\nAnna: Yes.\n")

    assert said(transcript) == [
        ("Dr. O’Neil", "Welcome."), ("Anna", "Thanks."), ("Dr. O’Neil", "So."), ("Anna", "Yes."),
    ]


def test_markdown_bold_labels_are_labels():
    transcript = parse("# Session\n**T:** Hello.\n**C**: Hi.\n", name="notes.md")

    assert said(transcript) == [("T", "Hello."), ("C", "Hi.")]
    assert transcript.format == "txt"


def test_indented_label_and_space_before_colon():
    transcript = parse("   T : Hello.\n\tC:Hi.\n")

    assert said(transcript) == [("T", "Hello."), ("C", "Hi.")]


def test_a_time_between_label_and_colon_times_the_turn():
    """Transcription services (Rev, Temi) write `Speaker 1 (00:03):` over the words."""
    transcript = parse(
        "Interview 4\nInterviewer (00:00:03):\nSo tell me about that moment.\n\n"
        "Speaker 1 [01:10.5]: I froze.\nSpeaker 1 (12:00): Then I spoke.\n"
    )

    assert said(transcript) == [("Interviewer", "So tell me about that moment."),
                                ("Speaker 1", "I froze."), ("Speaker 1", "Then I spoke.")]
    assert [u.start for u in transcript.utterances] == [3.0, 70.5, 720.0]
    check_invariants(transcript)
    with pytest.raises(TranscriptError, match="line 2.*00:61:00"):
        parse("T (00:00:01): Hi.\nC (00:61:00): Hello.\n")


# --- utterance spans -----------------------------------------------------------------


def test_unlabelled_lines_continue_the_turn_across_blank_lines():
    transcript = parse("T: First line\n  and a second.\n\n   and a third.   \nC: Reply\n")

    assert said(transcript) == [
        ("T", "First line\n  and a second.\n\n   and a third."),
        ("C", "Reply"),
    ]


def test_label_alone_on_its_line_takes_the_words_below():
    transcript = parse("T:\n  I think so.\nC:\nC: Yes.\n")

    assert said(transcript) == [("T", "I think so."), ("C", "Yes.")]
    assert [u.index for u in transcript.utterances] == [0, 1]


def test_preamble_belongs_to_no_utterance():
    text = "IPR recall, dyad 7\nRecorded by A.\n\nI: Shall we start?\n"
    transcript = parse(text)

    assert said(transcript) == [("I", "Shall we start?")]
    assert transcript.utterances[0].char_start == text.index("Shall")


def test_document_without_labels_has_one_utterance_per_non_empty_line():
    transcript = parse("First thought.\n\n  Second thought.  \nDate: 12 March\n")

    assert said(transcript) == [
        (None, "First thought."),
        (None, "Second thought."),
        (None, "Date: 12 March"),
    ]
    assert all(u.role is None for u in transcript.utterances)
    assert transcript.speakers == {}


# --- timestamps ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("[01:02:03] T: words", 3723.0),
        ("[02:03] T: words", 123.0),
        ("[75:03] T: words", 4503.0),  # minutes past 59 in mm:ss
        ("(01:02:03) T: words", 3723.0),
        ("(02:03) T: words", 123.0),
        ("01:02:03 T: words", 3723.0),
        ("[01:02:03.250] T: words", 3723.25),
        ("[01:02:03,5] T: words", 3723.5),
        ("01:02:03.125 T: words", 3723.125),
        ("T: [01:02:03] words", 3723.0),
        ("T: (02:03,750) words", 123.75),
        ("T: 01:02:03 words", 3723.0),
        ("T:[01:02:03]words", 3723.0),
    ],
)
def test_timestamp_forms_give_the_start(line, start):
    transcript = parse(f"{line}\nC: reply\n")

    first = transcript.utterances[0]
    assert (first.speaker, first.start, first.end) == ("T", start, None)
    assert said(transcript)[0] == ("T", "words")


def test_a_timestamp_on_its_own_line_times_the_next_turn():
    """Between turns it is neither turn's content (SPEC §3: the words, not the timestamp)
    and its time is not lost; inside one turn's lines it stays in that turn's span."""
    transcript = parse(
        "[00:01:00]\nT: Hello.\n[00:01:30]\nC: Hi.\n00:02:00.5\n(00:02:10) T: Well.\n"
        "C: Later.\n[03:00]\nmore from C\n"
    )

    assert [(u.speaker, u.start) for u in transcript.utterances] == [
        ("T", 60.0), ("C", 90.0), ("T", 130.0), ("C", None),
    ]
    assert said(transcript) == [
        ("T", "Hello."), ("C", "Hi."), ("T", "Well."), ("C", "Later.\n[03:00]\nmore from C"),
    ]


def test_timestamp_lines_time_the_lines_of_an_unlabelled_document():
    transcript = parse("[00:00:05]\nHello there.\n\n[00:00:09]\nAnd again.\n", "session")

    assert [(u.start, u.session_time) for u in transcript.utterances] == [(5.0, 5.0), (9.0, 9.0)]
    assert said(transcript) == [(None, "Hello there."), (None, "And again.")]


def test_bare_mm_ss_is_not_a_timestamp():
    transcript = parse("T: 12:30 we met\n")

    assert said(transcript) == [("T", "12:30 we met")]
    assert transcript.utterances[0].start is None


def test_leading_timestamp_sets_the_start_in_an_unlabelled_document():
    transcript = parse("[00:00:05] Hello there.\n(00:10) And again.\nNo clock here.\n")

    assert [
        (u.start, w) for u, (_, w) in zip(transcript.utterances, said(transcript), strict=True)
    ] == [
        (5.0, "Hello there."),
        (10.0, "And again."),
        (None, "No clock here."),
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("T: fine\nC: [00:61:00] words\n", 2),
        ("T: fine\n\n[00:00:60] C: words\n", 3),
        ("00:75:00 T: words\n", 1),
        ("T: ok\n[10:60] C: words\n", 2),  # mm:ss seconds
        ("Just text\n(1:00:99) more text\n", 2),
        ("T: fine\n[STOP 00:99]\n", 2),
    ],
)
def test_impossible_timestamps_name_file_and_line(text, line):
    with pytest.raises(TranscriptError, match="impossible timestamp") as caught:
        parse(text, name="dyad7.txt")

    assert (caught.value.path, caught.value.line) == ("dyad7.txt", line)
    assert str(caught.value).startswith(f"dyad7.txt, line {line}: ")


# --- recall stops --------------------------------------------------------------------


RECALL = """Client recall
I: Stop whenever you like.
[STOP 00:12]
C: Here I was terrified.
I: What was that like?
[stop 01:10.5] C: This is where I started to trust you.
and it stayed.
[STOP 00:01:50]
Then nothing for a while.
still nothing
I: And here?
"""


def test_stops_split_turns_and_set_session_time():
    transcript = parse(RECALL)

    assert [(s.index, s.time) for s in transcript.stops] == [(0, 12.0), (1, 70.5), (2, 110.0)]
    assert [transcript.text[s.char_start : s.char_end] for s in transcript.stops] == [
        "[STOP 00:12]",
        "[stop 01:10.5]",
        "[STOP 00:01:50]",
    ]
    assert [(u.speaker, u.session_time) for u in transcript.utterances] == [
        ("I", None),
        ("C", 12.0),
        ("I", 12.0),
        ("C", 70.5),
        (None, 110.0),
        ("I", 110.0),
    ]
    assert said(transcript)[3:5] == [
        ("C", "This is where I started to trust you.\nand it stayed."),
        (None, "Then nothing for a while.\nstill nothing"),
    ]
    check_invariants(transcript)


def test_stop_ends_the_turn_before_it():
    transcript = parse("C: I felt\n[STOP 02:00]\nsafe after all\n")

    assert said(transcript) == [("C", "I felt"), (None, "safe after all")]


def test_stops_in_other_documents_work_like_recalls():
    transcript = parse("[STOP 00:30] T: Here.\n", perspective="other")

    assert [(u.speaker, u.session_time) for u in transcript.utterances] == [("T", 30.0)]


def test_stop_in_a_session_transcript_names_the_line():
    with pytest.raises(TranscriptError, match="session transcript") as caught:
        parse("T: hello\nC: hi\n  [STOP 00:10] T: oops\n", perspective="session", name="s.txt")

    assert (caught.value.path, caught.value.line) == ("s.txt", 3)


def test_session_time_of_a_session_utterance_is_its_start():
    transcript = parse("[00:00:05] T: Hi.\nC: (no clock)\n", perspective="session")

    assert [(u.start, u.session_time) for u in transcript.utterances] == [(5.0, 5.0), (None, None)]


def test_stop_mid_line_is_ordinary_text():
    transcript = parse("C: I said [STOP 00:10] out loud\n")

    assert transcript.stops == []
    assert said(transcript) == [("C", "I said [STOP 00:10] out loud")]


def test_a_stop_after_the_lines_own_timestamp_is_a_stop():
    """Recall transcripts that time every line put the interview clock before the stop."""
    transcript = parse(
        "[00:05:00] I: What was going on?\n[00:05:10] [STOP 00:12:30]\n"
        "[00:05:12] C: I was scared.\n00:06:00 [stop 13:00] C: Calmer.\n"
    )

    assert [s.time for s in transcript.stops] == [750.0, 780.0]
    assert [(u.speaker, u.start, u.session_time) for u in transcript.utterances] == [
        ("I", 300.0, None), ("C", 312.0, 750.0), ("C", 360.0, 780.0),
    ]
    assert said(transcript)[0] == ("I", "What was going on?")


def test_an_impossible_timestamp_before_a_stop_is_refused():
    with pytest.raises(TranscriptError, match="impossible") as caught:
        parse("I: So?\n[00:75:00] [STOP 00:12:30]\nC: Yes.\n")

    assert caught.value.line == 2


def test_unlabelled_recall_with_stops():
    transcript = parse("[STOP 00:05]\nfirst comment\n[STOP 00:09] second comment\n")

    assert [(u.speaker, u.session_time) for u in transcript.utterances] == [
        (None, 5.0),
        (None, 9.0),
    ]
    assert said(transcript) == [(None, "first comment"), (None, "second comment")]
