"""Code points ↔ UTF-16, text blocks and the per-block segment index (no widgets)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coding.segments import Segment
from workbench.offsets import OffsetMap, utf16_length
from workbench.segment_index import Blocks, SegmentIndex

# Mostly ordinary text, with emoji, other astral characters and line breaks mixed in.
texts = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab \nçé😊👍🏽𝄞\u2029"),
        st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF),
        st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",)),
    ),
    max_size=60,
)


def utf16_index(text: str, position: int) -> int:
    """The reference: encode the prefix and count units."""
    return len(text[:position].encode("utf-16-le")) // 2


@given(texts, st.data())
def test_code_points_to_utf16_and_back(text, data):
    offsets = OffsetMap(text)
    position = data.draw(st.integers(0, len(text)))
    position16 = offsets.to_utf16(position)
    assert position16 == utf16_index(text, position)
    assert offsets.to_code_points(position16) == position
    assert offsets.length16 == utf16_length(text) == len(text.encode("utf-16-le")) // 2


@given(texts, st.data())
def test_every_utf16_position_maps_to_a_character_boundary(text, data):
    offsets = OffsetMap(text)
    position16 = data.draw(st.integers(0, offsets.length16))
    down = offsets.to_code_points(position16)
    up = offsets.to_code_points(position16, round_up=True)
    assert utf16_index(text, down) <= position16 <= utf16_index(text, up)
    assert up - down in (0, 1)


def test_an_emoji_shifts_later_positions_by_one_unit_only():
    text = "I felt safer. 😊 Then"
    offsets = OffsetMap(text)
    then = text.index("Then")
    assert offsets.to_utf16(then) == then + 1
    assert offsets.to_code_points(then + 1) == then
    # Inside the surrogate pair: down to the emoji, or past it.
    emoji16 = offsets.to_utf16(text.index("😊"))
    assert offsets.to_code_points(emoji16 + 1) == text.index("😊")
    assert offsets.to_code_points(emoji16 + 1, round_up=True) == text.index("😊") + 1


def test_blocks_match_qt_for_every_separator_qt_knows(qapp):
    from PySide6.QtGui import QTextDocument

    text = "a\rb\u2029c\u2028d😊\ne\ufdd0f\ufdd1g\n\nh"
    document = QTextDocument()
    document.setPlainText(text)
    blocks = Blocks(text, OffsetMap(text))
    qt_starts = [document.findBlockByNumber(n).position() for n in range(document.blockCount())]
    assert blocks.starts16 == qt_starts


def segment(n: int, start: int, end: int, coder: int = 1) -> Segment:
    return Segment(n, f"uuid-{n}", 1, coder, 10, start, end)


def test_index_files_segments_under_every_block_they_span():
    text = "line one 😊\nline two\nline three\n"
    index = SegmentIndex(Blocks(text, OffsetMap(text)))
    index.reset([segment(1, 5, 15), segment(2, 0, 4)])
    assert sorted(m.segment.id for m in index.in_block(0)) == [1, 2]
    assert [m.segment.id for m in index.in_block(1)] == [1]
    assert index.in_block(2) == ()
    mark = index.get("uuid-1")
    assert (mark.start16, mark.end16) == (5, 16)  # the emoji before the end counts twice
    assert [m.segment.id for m in index.at(16)] == []
    assert [m.segment.id for m in index.at(15)] == [1]


def test_overlapping_segments_get_different_lanes_and_lanes_are_reused():
    text = "x" * 100
    index = SegmentIndex(Blocks(text, OffsetMap(text)))
    index.reset([segment(1, 0, 50), segment(2, 10, 20), segment(3, 30, 40), segment(4, 60, 70)])
    lanes = {m.segment.id: m.lane for m in index}
    assert lanes[1] != lanes[2] and lanes[1] != lanes[3]
    assert lanes[2] == lanes[3]  # they do not overlap each other
    assert lanes[4] == 0 and index.lanes == 2
    assert index.add(segment(5, 15, 35)) == range(0, 1)
    assert index.get("uuid-5").lane == 2 and index.lanes == 3
    assert index.remove("uuid-5") == range(0, 1)
    assert index.lanes == 2 and len(index) == 4
    assert index.remove("unknown") == range(0)


def test_at_lists_the_innermost_segment_first():
    text = "x" * 100
    index = SegmentIndex(Blocks(text, OffsetMap(text)))
    index.reset([segment(1, 0, 90), segment(2, 10, 20)])
    assert [m.segment.id for m in index.at(15)] == [2, 1]
    assert {m.segment.id for m in index.overlapping(19, 25)} == {1, 2}
    assert {m.segment.id for m in index.overlapping(20, 25)} == {1}


def test_next_and_previous_segment_skip_over_lines():
    text = "one\ntwo\nthree\nfour\n"
    index = SegmentIndex(Blocks(text, OffsetMap(text)))
    index.reset([segment(1, 0, 3), segment(2, 8, 13), segment(3, 9, 12)])
    assert index.next_after(0).segment.id == 2
    assert index.next_after(8).segment.id == 3
    assert index.next_after(9) is None
    assert index.next_after(14, backwards=True).segment.id == 3
    assert index.next_after(8, backwards=True).segment.id == 1
    assert index.next_after(0, backwards=True) is None
