"""REFI-QDA exchange: `.qdpx` projects and `.qdc` codebooks, in and out.

The standard (QDA-XML 1.0) is what NVivo, ATLAS.ti, MAXQDA and QualCoder read and
write. Files that come in are untrusted: `archive` reads them in memory with
bounded sizes and a DTD-free XML parser, and every refusal is a `RefiError`
naming the file. Submodules are imported on use (`exports.refi.qdc`,
`exports.refi.project_export`, `exports.refi.project_import`).
"""

from __future__ import annotations

from transcripts.errors import WorkbenchError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


class RefiError(WorkbenchError):
    """A REFI-QDA file refused as a whole (unsafe, not a .qdpx/.qdc, malformed), or unwritable."""

    def __init__(self, message: str, path: object | None = None) -> None:
        self.path = str(path) if path is not None else None
        super().__init__(f"{path}: {message}" if path is not None else message)
