"""`ipr-workbench report`: write the Word theme report of a study."""

from __future__ import annotations

import argparse
from pathlib import Path

from coding.study import Study
from coding.study_agreement import UNITS
from workbench.commands.common import add_study_argument, open_study


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("report", help="write the Word theme report (.docx)")
    add_study_argument(parser)
    parser.add_argument("--docx", required=True, type=Path, metavar="FILE",
                        help="the report file to write")
    layer = parser.add_mutually_exclusive_group()
    layer.add_argument("--coder", metavar="NAME", help="report this coder's segments only")
    layer.add_argument("--consensus", action="store_true",
                       help="report the consensus layer (the default when it has segments)")
    layer.add_argument("--all-coders", action="store_true",
                       help="report every coder's segments, even where a consensus layer exists")
    parser.add_argument(
        "--theme", action="append", dest="themes", metavar="NAME",
        help="report this theme (name or path); repeat for more (default: all themes)",
    )
    parser.add_argument("--unit", choices=UNITS, default="sentence",
                        help="agreement unit (default: sentence)")
    parser.add_argument(
        "--agreement-coders", metavar="A,B[,C...]", type=_names,
        help="coders of the agreement table (default: every coder with segments)",
    )
    parser.set_defaults(run=run)


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def run(args: argparse.Namespace) -> int:
    from coding.report_data import choose_layer
    from exports.word_report import write_report

    with open_study(args.study) as study:
        layer = choose_layer(study, coder=args.coder, consensus=args.consensus,
                             all_coders=args.all_coders)
        write_report(
            study, args.docx, coder=args.coder, consensus=args.consensus,
            all_coders=args.all_coders, themes=args.themes, unit=args.unit,
            agreement_coders=args.agreement_coders,
        )
        chosen_by_default = layer.kind == "consensus" and args.coder is None and not args.consensus
        counts = _segment_counts(study, layer.coder_ids) if chosen_by_default else (0, 0)
    print(f"wrote {args.docx}: segments of {layer.description}")
    if chosen_by_default:  # a layer of a few settled places can hide the coders' work
        settled, coded = counts
        print(f"the consensus layer holds {settled:,} segment{'s' * (settled != 1)}; "
              f"--all-coders reports the coders' {coded:,} instead")
    return 0


def _segment_counts(study: Study, layer_ids: tuple[int, ...]) -> tuple[int, int]:
    """Segments in the layer, and of every other coder."""
    counts = study.segments.counts()  # (code id, coder id) → segments
    settled = sum(n for (_, coder_id), n in counts.items() if coder_id in layer_ids)
    return settled, sum(counts.values()) - settled
