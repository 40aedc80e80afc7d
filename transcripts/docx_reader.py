"""The text of a Word (.docx) file: body paragraphs in order, table cells included, one per line.

A .docx is an untrusted zip of XML, so this reads it with `zipfile` and a streaming
`defusedxml` parser (no DTDs or entities, a size cap on the decompressed XML, no
recursion however deep the nesting) instead of python-docx, which loads the whole
tree and repeats merged table cells once per grid column.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO

from defusedxml import ElementTree as SafeET

from transcripts.errors import TranscriptError

MAX_XML_BYTES = 512 * 1024 * 1024  # decompressed document.xml; a zip bomb stops here
MAX_RELS_BYTES = 1024 * 1024
_W_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # "Strict Open XML"
)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# Subtrees whose text is not body text: deletions, the old place of moved text, text
# boxes (Word writes each twice, in mc:Choice and mc:Fallback), and the previous cell
# properties of a tracked change (their vMerge is not the cell's).
_SKIPPED = frozenset(("del", "moveFrom", "txbxContent", "tcPrChange"))


def docx_text(data: bytes, name: str) -> str:
    """The paragraphs of a .docx, one per line, joined with `\\n`."""
    if not data:
        raise TranscriptError("the file is empty", name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _main_part(archive, name)
            with archive.open(part) as stream:
                return "\n".join(_paragraphs(stream, name))
    except TranscriptError:
        raise
    except Exception as exc:  # zipfile, zlib, lzma, expat and defusedxml each raise their own
        raise TranscriptError(
            f"not a readable Word (.docx) document ({type(exc).__name__}: {exc})", name
        ) from exc


def _main_part(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """The main document part: as the package relationships name it, else word/document.xml."""
    target = _office_document_target(archive) or "word/document.xml"
    try:
        part = archive.getinfo(target)
    except KeyError:
        raise TranscriptError("not a Word document (no main document part)", name) from None
    if part.file_size > MAX_XML_BYTES:
        raise TranscriptError("the Word document is too large to import", name)
    return part


def _office_document_target(archive: zipfile.ZipFile) -> str | None:
    try:
        rels = archive.getinfo("_rels/.rels")
    except KeyError:
        return None
    if rels.file_size > MAX_RELS_BYTES:
        return None
    root = SafeET.fromstring(archive.read(rels), forbid_dtd=True)
    for rel in root.iter(_RELS):
        if rel.get("Type", "").endswith("/officeDocument"):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return None


def _local(tag: str) -> str | None:
    """The local name of a WordprocessingML tag, or None for any other namespace."""
    namespace, _, local = tag[1:].partition("}")
    return local if namespace in _W_NAMESPACES else None


def _paragraphs(stream: IO[bytes], name: str) -> Iterator[str]:
    """Stream the body's paragraphs in order, nested tables in reading order too.

    Event-driven with counters rather than a tree walk, so any nesting depth is safe.
    """
    events = SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True)
    _, root = next(events)
    if _local(root.tag) != "document":
        raise TranscriptError("not a Word document (the main part is not a document)", name)
    skipping = 0  # depth inside subtrees whose text is not body text
    paragraph = 0  # depth of open paragraphs (a stray nested one joins its parent)
    cells: list[bool] = []  # open table cells: does each continue a merged cell?
    parts: list[str] = []
    for event, element in events:
        local = _local(element.tag)
        if local in _SKIPPED:
            skipping += 1 if event == "start" else -1
        elif skipping:
            continue
        elif local == "p":
            paragraph += 1 if event == "start" else -1
            if event == "end" and not paragraph:
                if not any(cells):
                    yield "".join(parts)
                parts.clear()
                element.clear()
        elif local == "tc":
            if event == "start":
                cells.append(False)
            else:
                cells.pop()
        elif local in ("vMerge", "hMerge") and event == "start" and cells:
            # Only the first cell of a merge holds its text; the others repeat it empty.
            cells[-1] = element.get(element.tag[: -len(local)] + "val") != "restart"
        elif event == "end" and paragraph:
            if local == "t":
                parts.append(element.text or "")
            elif local == "tab":
                parts.append("\t")
            elif local in ("br", "cr"):
                parts.append("\n")
            elif local == "noBreakHyphen":
                parts.append("-")
