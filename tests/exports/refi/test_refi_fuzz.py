"""Structured fuzzing: any well-formed but odd project imports, or is refused as a RefiError."""

from __future__ import annotations

import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coding.study import Study
from exports.refi import RefiError
from exports.refi.project_export import PERSPECTIVE_VARIABLE, SESSION_VARIABLE
from tests.exports.refi.refi_helpers import NS, make_qdpx

POOL = [
    "aaaaaaaa-0000-4000-8000-000000000001", "{AAAAAAAA-0000-4000-8000-000000000001}",
    "bbbbbbbb-0000-4000-8000-000000000002", "BBBBBBBB-0000-4000-8000-000000000002",
    "cccccccc-0000-4000-8000-000000000003", "dddddddd-0000-4000-8000-000000000004",
    "not-a-guid", "", "{aaaaaaaa-0000-4000-8000-000000000001",
]
_xml_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
_names = st.one_of(st.text(_xml_chars, max_size=12), st.sampled_from(["", "  ", "a/b", "x" * 300]))
_guids = st.sampled_from(POOL)
_text = st.lists(st.one_of(st.sampled_from(["\r\n", "\n", "\r", "T: ", "C: ", "[00:01] ",
                                            "[STOP 00:10]", "😊", " "]),
                           st.text(_xml_chars, min_size=1, max_size=8)), max_size=12).map("".join)


@st.composite
def code_tree(draw, depth=0):
    children = draw(st.lists(code_tree(depth + 1), max_size=2)) if depth < 2 else []
    color = draw(st.sampled_from(["", ' color="#abc"', ' color="red"', ' color="#A1B2C3"']))
    codable = draw(st.sampled_from(["true", "false", "1", "maybe"]))
    description = draw(st.one_of(st.just(""), _names.map(
        lambda t: f"<Description>{escape(t)}\n\nShortcut: {escape(t[:2])}</Description>")))
    return (f"<Code guid={quoteattr(draw(_guids))} name={quoteattr(draw(_names))} "
            f'isCodable="{codable}"{color}>{description}{"".join(children)}</Code>')


@st.composite
def projects(draw):
    users = "".join(f"<User guid={quoteattr(draw(_guids))} name={quoteattr(draw(_names))}/>"
                    for _ in range(draw(st.integers(0, 3))))
    codes = "".join(draw(st.lists(code_tree(), max_size=3)))
    members: dict[str, bytes] = {}
    sources = []
    for number in range(draw(st.integers(0, 2))):
        text = draw(_text)
        source_guid = draw(_guids)
        member = f"s{number}.txt"
        prefix = draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff"]))
        members[f"sources/{member}"] = prefix + text.encode("utf-8")
        selections = []
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(-2, len(text) + 2))
            end = draw(st.integers(-2, len(text) + 2))
            codings = "".join(
                f"<Coding guid={quoteattr(draw(_guids))} "
                f"creatingUser={quoteattr(draw(_guids))}>"
                f"<CodeRef targetGUID={quoteattr(draw(_guids))}/>"
                f"<NoteRef targetGUID={quoteattr(draw(_guids))}/></Coding>"
                for _ in range(draw(st.integers(0, 2)))
            )
            selections.append(
                f"<PlainTextSelection guid={quoteattr(draw(_guids))} startPosition=\"{start}\" "
                f'endPosition="{end}">{codings}</PlainTextSelection>')
        perspective = draw(st.sampled_from(["session", "other", "x", ""]))
        session = draw(st.sampled_from(["1", "0", "-3", "99999999999999999999", "x"]))
        path = draw(st.sampled_from([member, f"internal://{member}", "absolute:///etc/passwd",
                                     ""]))
        values = (f'<VariableValue><VariableRef targetGUID="{PERSPECTIVE_VARIABLE}"/><TextValue>'
                  f"{perspective}</TextValue></VariableValue><VariableValue>"
                  f'<VariableRef targetGUID="{SESSION_VARIABLE}"/>'
                  f"<IntegerValue>{session}</IntegerValue></VariableValue>")
        name = draw(st.one_of(st.none(), _names))
        name_attr = "" if name is None else f" name={quoteattr(name)}"
        sources.append(
            f"<TextSource guid={quoteattr(source_guid)}{name_attr} "
            f"plainTextPath={quoteattr(path)}>"
            f"<Description>Speakers: {escape(draw(_names))} = client</Description>"
            f"{''.join(selections)}{values}</TextSource>")
    cases = "".join(
        f"<Case guid={quoteattr(draw(_guids))} name={quoteattr(draw(_names))}>"
        f"<SourceRef targetGUID={quoteattr(draw(_guids))}/></Case>"
        for _ in range(draw(st.integers(0, 2)))
    )
    notes = "".join(
        f"<Note guid={quoteattr(draw(_guids))}><PlainTextContent>{escape(draw(_names))}"
        "</PlainTextContent></Note>" for _ in range(draw(st.integers(0, 2)))
    )
    xml = (f'<Project xmlns="{NS}" name={quoteattr(draw(_names))}>'
           + (f"<Users>{users}</Users>" if users else "")
           + (f"<CodeBook><Codes>{codes}</Codes></CodeBook>" if codes else "")
           + (f"<Cases>{cases}</Cases>" if cases else "")
           + (f"<Sources>{''.join(sources)}</Sources>" if sources else "")
           + (f"<Notes>{notes}</Notes>" if notes else "") + "</Project>")
    return xml, members


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(), st.booleans())
def test_odd_projects_import_or_are_refused_cleanly(project, into_existing):
    from exports.refi.project_import import import_qdpx

    xml, members = project
    with tempfile.TemporaryDirectory() as folder:
        qdpx = make_qdpx(Path(folder) / "f.qdpx", xml, members)
        study_path = Path(folder) / "s.iprw"
        if into_existing:
            Study.create(study_path).close()
        try:
            result = import_qdpx(study_path, qdpx)
        except RefiError:
            assert study_path.exists() == into_existing
            return
        assert isinstance(result.all_warnings(), list)
        with Study.open(study_path, writable=False) as study:
            for row in study.segments.rows():
                assert row.text.strip() and 0 <= row.start < row.end
