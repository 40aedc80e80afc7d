"""Choosing the report's themes by name or path (`report --theme`, SPEC §9)."""

from __future__ import annotations

import pytest

from coding.errors import StudyError
from coding.report_data import select_themes


def test_a_theme_by_path_or_by_name_in_any_case(study):
    book = study.codebook.load()
    assert [c.path for c in select_themes(book, ["safety"])] == ["Safety"]
    # A code is named by its own name, as `--theme NAME (name or path)` promises.
    chosen = select_themes(book, ["Fear and anxiety", "Initial fear and shame/Fear and anxiety"])
    assert [c.path for c in chosen] == ["Initial fear and shame/Fear and anxiety"]


def test_an_unknown_theme_is_refused_naming_the_themes(study):
    book = study.codebook.load()
    with pytest.raises(StudyError) as error:
        select_themes(book, ["Saftey"])
    message = str(error.value)
    assert message.startswith("no theme 'Saftey' in the codebook")
    assert "did you mean 'Safety'?" in message
    assert "Initial fear and shame, Safety, Going all in" in message


def test_a_name_two_codes_share_asks_for_the_path(study):
    parent = study.codebook.find("Safety")
    study.codebook.add("Fear and anxiety", parent)
    book = study.codebook.load()
    with pytest.raises(StudyError, match=r"2 codes are named 'Fear and anxiety'.*"
                                         r"Initial fear and shame/Fear and anxiety.*"
                                         r"Safety/Fear and anxiety"):
        select_themes(book, ["Fear and anxiety"])
