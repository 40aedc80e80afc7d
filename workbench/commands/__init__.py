"""One module per subcommand; each has `register(subparsers)` and sets `run`."""

from workbench.commands import (
    agreement,
    code,
    codebook,
    demo,
    documents,
    done,
    gui,
    import_files,
    new,
    segments,
    utterances,
)

COMMANDS = [
    new, import_files, documents, utterances, codebook, code, done, segments, agreement, gui, demo,
]
