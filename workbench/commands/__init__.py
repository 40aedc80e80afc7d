"""One module per subcommand; each has `register(subparsers)` and sets `run`."""

from workbench.commands import (
    agreement,
    code,
    codebook,
    demo,
    documents,
    done,
    export_qdpx,
    gui,
    import_files,
    import_qdpx,
    merge,
    new,
    report,
    segments,
    utterances,
)

COMMANDS = [
    new, import_files, documents, utterances, codebook, code, done, segments, agreement, report,
    export_qdpx, import_qdpx, merge, gui, demo,
]
