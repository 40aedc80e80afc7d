"""What a merge takes and gives: another study's content by UUID, and the report.

`coding.merge` brings an `Incoming` into a master study and says what it did in a
`MergeReport`; a copy of the study (`merge.read_study`) and a REFI-QDA project
(`exports.refi`) are both first read into an `Incoming`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coding.codebook import CodeSpec
from transcripts.model import Transcript

# -- what comes in -------------------------------------------------------------


@dataclass(frozen=True)
class IncomingCoder:
    uuid: str
    name: str
    role: str = "coder"
    consensus: bool = False


@dataclass(frozen=True)
class IncomingDocument:
    """A document to bring in; `transcript` builds it (parsed) only when it is added."""

    uuid: str
    name: str
    dyad: str
    session: int
    perspective: str
    text: str
    transcript: Callable[[], Transcript]
    dyad_uuid: str | None = None


@dataclass(frozen=True)
class IncomingSegment:
    uuid: str
    document_uuid: str
    coder_uuid: str
    code_uuid: str
    start: int
    end: int
    memo: str = ""
    created_at: str | None = None
    status: str = "pending"
    reviewer_uuid: str | None = None
    review_comment: str = ""
    reviewed_at: str | None = None
    where: str = ""  # how to name it in a message ("selection … in source …")


@dataclass(frozen=True)
class IncomingDone:
    coder_uuid: str
    document_uuid: str
    done_at: str


@dataclass
class Incoming:
    """Another study's content, by UUID: what `merge_incoming` brings into the master."""

    label: str
    coders: list[IncomingCoder] = field(default_factory=list)
    codes: list[CodeSpec] = field(default_factory=list)
    documents: list[IncomingDocument] = field(default_factory=list)
    segments: list[IncomingSegment] = field(default_factory=list)
    done: list[IncomingDone] = field(default_factory=list)


# -- what happened ---------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """The same UUID with different content (or a name clash); the master's version kept."""

    kind: str  # coder, code, document, dyad, segment
    uuid: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class MergeReport:
    source: str
    coders_added: int = 0
    codes_added: int = 0
    documents_added: int = 0
    segments_added: int = 0
    done_added: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def added(self) -> int:
        return (self.coders_added + self.codes_added + self.documents_added
                + self.segments_added + self.done_added)

    def summary(self) -> str:
        counts = [
            plural(self.coders_added, "coder"),
            plural(self.codes_added, "code"),
            plural(self.documents_added, "document"),
            plural(self.segments_added, "segment"),
            plural(self.done_added, "done mark"),
        ]
        return (
            f"{', '.join(counts)} added from {self.source}; "
            f"{plural(len(self.conflicts), 'conflict')}, {len(self.skipped)} skipped"
        )

    def warnings(self) -> list[str]:
        """What was skipped or is in conflict, one line each, as the CLI and app list them."""
        return [
            *(f"skipped {line}" for line in self.skipped),
            *(f"conflict: {conflict}" for conflict in self.conflicts),
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "added": {
                "coders": self.coders_added,
                "codes": self.codes_added,
                "documents": self.documents_added,
                "segments": self.segments_added,
                "done": self.done_added,
            },
            "conflicts": [
                {"kind": c.kind, "id": c.uuid, "message": c.message} for c in self.conflicts
            ],
            "skipped": list(self.skipped),
        }


def plural(count: int, noun: str) -> str:
    """`1 segment`, `2 segments`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
