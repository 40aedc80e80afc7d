"""CRLF/CR/BOM normalisation of source text, and REFI-QDA positions remapped onto it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coding.study import Study
from exports.refi.project_import import import_qdpx
from exports.refi.source_text import normalise
from tests.exports.refi.refi_helpers import selection, simple_qdpx

_letters = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\ufeff")
_pieces = st.lists(
    st.one_of(st.sampled_from(["\r\n", "\r", "\n", " ", "😊", "é", "T: "]),
              st.text(_letters, min_size=1, max_size=6)),
    max_size=30,
)


def _inside_crlf(text: str, position: int) -> bool:
    """Between the CR and LF of a CRLF, where no normalised position corresponds."""
    return 0 < position < len(text) and text[position - 1] == "\r" and text[position] == "\n"


@given(_pieces, st.booleans())
def test_normalised_text_has_no_cr_and_no_bom(pieces, bom):
    original = ("\ufeff" if bom else "") + "".join(pieces)
    result = normalise(original)
    assert "\r" not in result.text and "\ufeff" not in result.text
    body = original[1:] if bom else original
    assert result.text == body.replace("\r\n", "\n").replace("\r", "\n")
    assert result.original_length == len(body)


@given(_pieces, st.data())
def test_every_span_maps_to_the_same_characters(pieces, data):
    original = "".join(pieces)
    result = normalise(original)
    start = data.draw(st.integers(0, len(original)))
    end = data.draw(st.integers(0, len(original)))
    mapped = result.span(start, end)
    if not 0 <= start < end <= len(original):
        assert mapped is None
        return
    if _inside_crlf(original, start) or _inside_crlf(original, end):
        return
    expected = original[start:end].replace("\r\n", "\n").replace("\r", "\n")
    if mapped is None:
        assert expected == ""
    else:
        assert result.text[mapped[0]:mapped[1]] == expected


@given(_pieces)
def test_positions_never_go_backwards_or_past_the_end(pieces):
    original = "".join(pieces)
    result = normalise(original)
    positions = [result.position(p) for p in range(len(original) + 1)]
    assert positions == sorted(positions)
    assert positions[-1] == len(result.text) and positions[0] == 0


_words = st.lists(st.sampled_from(["scared", "safe", "😊", "Ängste", "ok"]), min_size=1,
                  max_size=6)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_words, st.sampled_from(["\r\n", "\n", "\r"]), st.booleans(), st.data())
def test_imported_segments_cover_the_selected_words(words, newline, bom, data):
    lines = [f"C: {word} here" for word in words]
    text = newline.join(lines) + newline
    pick = data.draw(st.integers(0, len(words) - 1))
    start = sum(len(line) + len(newline) for line in lines[:pick]) + 3
    end = start + len(words[pick])
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        qdpx = simple_qdpx(Path(folder) / "p.qdpx", text, selection(start, end), raw=raw)
        result = import_qdpx(Path(folder) / "s.iprw", qdpx)
        with Study.open(Path(folder) / "s.iprw", writable=False) as study:
            [row] = study.segments.rows()
            assert row.text == words[pick]
            stored = study.documents.text(study.documents.list()[0].id)
            assert stored == text.replace("\r\n", "\n").replace("\r", "\n")
    assert result.warnings == []
