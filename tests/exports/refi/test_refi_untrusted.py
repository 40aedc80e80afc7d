"""Untrusted .qdpx input (SPEC §11): each hostile file is refused whole, nothing changes."""

from __future__ import annotations

import contextlib
import struct
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coding.errors import StudyError
from exports.refi import RefiError, archive
from exports.refi.project_import import import_qdpx, read_qdpx
from tests.conftest import digest
from tests.exports.refi.refi_helpers import (
    SOURCE,
    make_qdpx,
    project_xml,
    selection,
    simple_qdpx,
    text_source,
)
from transcripts.errors import WorkbenchError

TEXT = "T: I was scared.\nC: I know.\n"
GOOD_SOURCE = {f"sources/{SOURCE}.txt": TEXT}
GOOD_PROJECT = project_xml(text_source(selection(3, 15)))


def _zip_with(tmp: Path, infos: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    path = tmp / "hostile.qdpx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in infos:
                out.writestr(info, data)
    return path


def _patch(path: Path, member: str, local_at: int, central_at: int, fmt: str, value: int
           ) -> Path:
    """Rewrite one field of a member's local and central zip headers."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, field_at, name_at, length_at in (
        (b"PK\x03\x04", local_at, 30, 26), (b"PK\x01\x02", central_at, 46, 28)
    ):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", data, start + length_at)[0]
            if data[start + name_at:start + name_at + length] == name:
                struct.pack_into(fmt, data, start + field_at, value)
            start += 4
    path.write_bytes(bytes(data))
    return path


def _patch_size(path: Path, member: str, size: int) -> Path:
    """Rewrite a member's declared uncompressed size."""
    return _patch(path, member, 22, 24, "<I", size)


def dtd_entities(tmp: Path) -> Path:
    bomb = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>'
            '<Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>')
    return make_qdpx(tmp / "bomb.qdpx", bomb)


def external_entity(tmp: Path) -> Path:
    xxe = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
    return make_qdpx(tmp / "xxe.qdpx", xxe)


def bare_dtd(tmp: Path) -> Path:
    return make_qdpx(tmp / "dtd.qdpx", '<!DOCTYPE Project SYSTEM "http://example.org/p.dtd">'
                     + GOOD_PROJECT.split("?>", 1)[1], GOOD_SOURCE)


def parent_member(tmp: Path) -> Path:
    return make_qdpx(tmp / "up.qdpx", GOOD_PROJECT, {**GOOD_SOURCE, "../evil.txt": "x"})


def nested_parent_member(tmp: Path) -> Path:
    return make_qdpx(tmp / "up2.qdpx", GOOD_PROJECT, {**GOOD_SOURCE, "sources/../../x": "x"})


def backslash_parent_member(tmp: Path) -> Path:
    return _zip_with(tmp, [("project.qde", GOOD_PROJECT.encode()), ("..\\evil.txt", b"x")])


def absolute_member(tmp: Path) -> Path:
    return make_qdpx(tmp / "abs.qdpx", GOOD_PROJECT, {**GOOD_SOURCE, "/tmp/evil.txt": "x"})


def drive_member(tmp: Path) -> Path:
    return _zip_with(tmp, [("project.qde", GOOD_PROJECT.encode()), ("C:/evil.txt", b"x")])


def symlink_member(tmp: Path) -> Path:
    link = zipfile.ZipInfo(f"sources/{SOURCE}.txt")
    link.external_attr = 0o120777 << 16
    return _zip_with(tmp, [("project.qde", GOOD_PROJECT.encode()), (link, b"/etc/passwd")])


def duplicate_member(tmp: Path) -> Path:
    return _zip_with(tmp, [("project.qde", GOOD_PROJECT.encode()),
                           ("project.qde", project_xml().encode())])


def encrypted_member(tmp: Path) -> Path:
    path = make_qdpx(tmp / "locked.qdpx", GOOD_PROJECT, GOOD_SOURCE)
    return _patch(path, f"sources/{SOURCE}.txt", 6, 8, "<H", 0x1)


def declared_huge_total(tmp: Path) -> Path:
    path = make_qdpx(tmp / "huge.qdpx", GOOD_PROJECT,
                     {**GOOD_SOURCE, "sources/a.bin": "a", "sources/b.bin": "b"})
    _patch_size(path, "sources/a.bin", 0xF0000000)
    return _patch_size(path, "sources/b.bin", 0xF0000000)


def declared_huge_source(tmp: Path) -> Path:
    path = make_qdpx(tmp / "big.qdpx", GOOD_PROJECT, GOOD_SOURCE)
    return _patch_size(path, f"sources/{SOURCE}.txt", 1024**3)


def lying_small_size(tmp: Path) -> Path:
    """A member that declares 10 bytes but inflates to a megabyte."""
    path = make_qdpx(tmp / "liar.qdpx", GOOD_PROJECT,
                     {f"sources/{SOURCE}.txt": "T: " + "x" * 1024 * 1024})
    return _patch_size(path, f"sources/{SOURCE}.txt", 10)


def not_a_zip(tmp: Path) -> Path:
    path = tmp / "notes.qdpx"
    path.write_text("This is a plain text file with a .qdpx name.\n")
    return path


def empty_file(tmp: Path) -> Path:
    path = tmp / "empty.qdpx"
    path.write_bytes(b"")
    return path


def truncated_zip(tmp: Path) -> Path:
    good = make_qdpx(tmp / "whole.qdpx", GOOD_PROJECT, GOOD_SOURCE).read_bytes()
    path = tmp / "truncated.qdpx"
    path.write_bytes(good[: len(good) // 2])
    return path


def missing_project(tmp: Path) -> Path:
    return make_qdpx(tmp / "noproject.qdpx", None, GOOD_SOURCE)


def malformed_xml(tmp: Path) -> Path:
    return make_qdpx(tmp / "broken.qdpx", GOOD_PROJECT[:-40], GOOD_SOURCE)


def wrong_root(tmp: Path) -> Path:
    return make_qdpx(tmp / "root.qdpx", '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')


def duplicate_code_guids(tmp: Path) -> Path:
    codes = ('<CodeBook><Codes><Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="A" '
             'isCodable="true"/><Code guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="B" '
             'isCodable="true"/></Codes></CodeBook>')
    return make_qdpx(tmp / "dupcodes.qdpx", project_xml(codes=codes))


def deep_codebook(tmp: Path) -> Path:
    depth = 200
    opening = "".join(
        f'<Code guid="{n:08x}-0000-4000-8000-000000000000" name="c{n}" isCodable="true">'
        for n in range(depth)
    )
    codes = f"<CodeBook><Codes>{opening}{'</Code>' * depth}</Codes></CodeBook>"
    return make_qdpx(tmp / "deep.qdpx", project_xml(codes=codes))


HOSTILE = [
    dtd_entities, external_entity, bare_dtd, parent_member, nested_parent_member,
    backslash_parent_member, absolute_member, drive_member, symlink_member, duplicate_member,
    encrypted_member, declared_huge_total, declared_huge_source, lying_small_size, not_a_zip,
    empty_file, truncated_zip, missing_project, malformed_xml, wrong_root,
    duplicate_code_guids, deep_codebook,
]


@pytest.mark.parametrize("build", HOSTILE, ids=[b.__name__ for b in HOSTILE])
def test_hostile_file_leaves_existing_study_byte_identical(build, study_path, tmp_path):
    hostile = build(tmp_path)
    before = digest(study_path)
    with pytest.raises(RefiError) as refused:
        import_qdpx(study_path, hostile)
    assert hostile.name in str(refused.value)
    assert digest(study_path) == before


@pytest.mark.parametrize("build", HOSTILE, ids=[b.__name__ for b in HOSTILE])
def test_hostile_file_creates_no_study_and_writes_nothing(build, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    hostile = build(folder)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(RefiError):
        import_qdpx(folder / "new.iprw", hostile)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_refusals_name_what_is_wrong(tmp_path):
    cases = {
        dtd_entities: "DTD", parent_member: "outside the archive", not_a_zip: "zip",
        missing_project: "project.qde", malformed_xml: "malformed XML",
        declared_huge_total: "zip bomb", declared_huge_source: "zip bomb",
        deep_codebook: "levels deep", duplicate_code_guids: "share the GUID",
        encrypted_member: "encrypted", symlink_member: "symbolic link",
        duplicate_member: "appears twice", lying_small_size: "cannot be read",
        external_entity: "DTD", bare_dtd: "DTD", wrong_root: "not a REFI-QDA project",
        absolute_member: "outside", drive_member: "outside", backslash_parent_member: "outside",
    }
    for build, words in cases.items():
        with pytest.raises(RefiError, match=words):
            read_qdpx(build(tmp_path))


def test_cancelling_during_the_import_removes_a_study_made_for_it(tmp_path):
    from transcripts.progress import Cancelled

    def cancel(fraction, message):
        if fraction > 0.5:
            raise Cancelled()

    qdpx = make_qdpx(tmp_path / "ok.qdpx", GOOD_PROJECT, GOOD_SOURCE)
    with pytest.raises(Cancelled):
        import_qdpx(tmp_path / "new.iprw", qdpx, progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.qdpx"]


def test_a_study_made_meanwhile_at_the_import_target_is_left_alone(tmp_path):
    target = tmp_path / "new.iprw"

    def someone_else_creates_it(fraction, message):
        if fraction > 0.5 and not target.exists():
            target.write_bytes(b"theirs")

    qdpx = make_qdpx(tmp_path / "ok.qdpx", GOOD_PROJECT, GOOD_SOURCE)
    with pytest.raises(StudyError, match="appeared while the project was imported"):
        import_qdpx(target, qdpx, progress=someone_else_creates_it)
    assert target.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.iprw", "ok.qdpx"]


def test_cancelling_during_the_import_leaves_an_existing_study_as_it_was(tmp_path, study_path):
    from transcripts.progress import Cancelled

    def cancel(fraction, message):
        if fraction > 0.5:
            raise Cancelled()

    before = digest(study_path)
    qdpx = make_qdpx(tmp_path / "ok.qdpx", GOOD_PROJECT, GOOD_SOURCE)
    with pytest.raises(Cancelled):
        import_qdpx(study_path, qdpx, progress=cancel)
    assert digest(study_path) == before


def test_refi_error_is_a_workbench_error():
    assert issubclass(RefiError, WorkbenchError)


def test_a_member_bigger_than_the_bound_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_SOURCE_BYTES", 50_000)
    path = simple_qdpx(tmp_path / "big.qdpx", "C: " + "word " * 20_000, selection(3, 8))
    with pytest.raises(RefiError, match="allowed"):
        read_qdpx(path)


def test_a_real_zip_bomb_is_stopped_by_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_SOURCE_BYTES", 1024 * 1024)
    monkeypatch.setattr(archive, "MAX_RATIO", 10**6)  # the size bound alone stops it
    path = make_qdpx(tmp_path / "bomb.qdpx", GOOD_PROJECT,
                     {f"sources/{SOURCE}.txt": b"\0" * (20 * 1024 * 1024)})
    assert path.stat().st_size < 100_000
    with pytest.raises(RefiError, match="allowed"):
        read_qdpx(path)


def test_a_small_file_that_inflates_a_thousandfold_is_refused_before_it_is_read(tmp_path):
    """Within every size bound, but 250 KB that would become 240 MB of text to analyse."""
    path = make_qdpx(tmp_path / "bomb.qdpx", GOOD_PROJECT,
                     {f"sources/{SOURCE}.txt": b"a " * (60 * 1024 * 1024)})
    assert path.stat().st_size < 200_000
    with pytest.raises(RefiError, match="zip bomb"):
        read_qdpx(path)


def test_real_text_of_some_megabytes_is_not_taken_for_a_bomb(tmp_path):
    import random

    vocabulary = ["I", "was", "scared", "that", "she", "would", "judge", "me", "but", "then",
                  "felt", "safe", "and", "we", "laughed"]
    words = random.Random(7).choices(vocabulary, k=600_000)
    text = "\n".join(f"{'TC'[n % 2]}: " + " ".join(words[n * 12:(n + 1) * 12])
                     for n in range(50_000))
    assert len(text) > 2_500_000
    path = simple_qdpx(tmp_path / "long.qdpx", text, selection(3, 8))
    assert read_qdpx(path).sources[0].text.text == text

def test_total_decompressed_reads_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_READ_TOTAL", 30_000)
    second = "5a5a5a5a-0000-4000-8000-000000000002"
    sources = text_source(name="one") + text_source(name="two", guid_=second)
    path = make_qdpx(tmp_path / "many.qdpx", project_xml(sources),
                     {f"sources/{SOURCE}.txt": "a " * 10_000,
                      f"sources/{second}.txt": "b " * 10_000})
    with pytest.raises(RefiError, match="more than"):
        read_qdpx(path)


def test_too_many_members_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_MEMBERS", 5)
    path = make_qdpx(tmp_path / "crowd.qdpx", GOOD_PROJECT,
                     {f"sources/{n}.txt": "x" for n in range(5)})
    with pytest.raises(RefiError, match="members"):
        read_qdpx(path)


def test_an_oversized_project_qde_is_refused(tmp_path, monkeypatch):
    from exports.refi import project_read

    monkeypatch.setattr(project_read, "MAX_XML_BYTES", 200)
    with pytest.raises(RefiError, match="allowed"):
        read_qdpx(make_qdpx(tmp_path / "x.qdpx", GOOD_PROJECT, GOOD_SOURCE))


def test_paths_outside_the_archive_are_never_read(tmp_path, study_path):
    """`absolute://` and `relative://` sources stay unread; the file next door is not opened."""
    secret = tmp_path / "secret.txt"
    secret.write_text("T: secret words\n")
    sources = (text_source(name="abs", path=f"absolute://{secret}")
               + text_source(name="rel", guid_="5a5a5a5a-0000-4000-8000-000000000002",
                             path="relative://../secret.txt"))
    result = import_qdpx(study_path, make_qdpx(tmp_path / "p.qdpx", project_xml(sources)))
    from coding.study import Study

    with Study.open(study_path, writable=False) as study:
        assert {d.name: d.chars for d in study.documents.list()} == {"abs": 0, "rel": 0}
    assert sum("not in the archive" in w for w in result.warnings) == 2


def test_a_good_import_writes_nothing_but_the_study(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    qdpx = make_qdpx(folder / "ok.qdpx", GOOD_PROJECT, GOOD_SOURCE)
    import_qdpx(folder / "new.iprw", qdpx)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["new.iprw", "ok.qdpx", "work"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_any_bytes_give_a_project_or_a_refi_error(data):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.qdpx"
        path.write_bytes(data)
        with contextlib.suppress(RefiError):
            read_qdpx(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1,
                max_size=8))
def test_corrupted_archives_give_a_project_or_a_refi_error(flips):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = make_qdpx(Path(folder) / "v.qdpx", GOOD_PROJECT, GOOD_SOURCE)
        data = bytearray(path.read_bytes())
        for where, value in flips:
            data[where % len(data)] = value
        path.write_bytes(bytes(data))
        with contextlib.suppress(RefiError):
            read_qdpx(path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_project_xml_gives_a_project_or_a_refi_error(xml):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = make_qdpx(Path(folder) / "x.qdpx", xml.encode("utf-8", "surrogatepass"))
        with contextlib.suppress(RefiError):
            read_qdpx(path)
