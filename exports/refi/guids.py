"""GUIDs as REFI-QDA writes them, and as the study stores them.

Files from other tools carry GUIDs in any 8-4-4-4-12 hex form, upper or lower
case, sometimes in braces, and not necessarily RFC-4122 version 4 (NVivo's are
not). The study stores them lower case without braces, so one GUID always
matches itself however a tool spelled it.
"""

from __future__ import annotations

import re
import uuid

_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)
# Derived GUIDs (a segment's selection and memo note, our Variables) are name-based, so
# exporting the same study twice writes the same file, and importing it back is idempotent.
_NAMESPACE = uuid.UUID("6f1d2c1e-8f7a-4c55-9a36-2a9f0e4b7c11")


def normalise_guid(value: str | None) -> str | None:
    """The GUID in canonical form (lower case, no braces), or None if it is not one."""
    if value is None:
        return None
    match = _GUID.match(value.strip())
    if match is None:
        return None
    if value.strip().startswith("{") != value.strip().endswith("}"):
        return None
    return match.group(1).lower()


def derived_guid(*parts: str) -> str:
    """A stable GUID for something that has no id of its own in the study."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(parts)))
