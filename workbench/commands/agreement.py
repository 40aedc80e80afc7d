"""`ipr-workbench agreement`: inter-coder agreement per code, pooled, and per coder pair."""

from __future__ import annotations

import argparse

from coding.study_agreement import UNITS, AgreementResult, study_agreement
from workbench.commands.common import add_study_argument, open_study, print_json, print_table

_UNDEFINED = "—"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("agreement", help="inter-coder agreement per code and pooled")
    add_study_argument(parser)
    parser.add_argument(
        "--coders", required=True, metavar="A,B[,C...]", type=_coder_names,
        help="two or more coders, separated by commas",
    )
    parser.add_argument("--unit", choices=UNITS, default="sentence", help="default: sentence")
    parser.add_argument(
        "--code", action="append", dest="codes", metavar="PATH",
        help="a row of the table (a theme pools its codes); repeat for more (default: all codes)",
    )
    parser.add_argument(
        "--document", action="append", dest="documents", metavar="NAME",
        help="only this document; repeat for more (default: all)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def _coder_names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def run(args: argparse.Namespace) -> int:
    with open_study(args.study) as study:
        result = study_agreement(
            study, args.coders, unit=args.unit, codes=args.codes, documents=args.documents
        )
    if args.json:
        print_json(result.to_json())
    else:
        _print_result(result)
    return 0


def _print_result(result: AgreementResult) -> None:
    print(
        f"Agreement of {', '.join(result.coders)} on {result.units} {result.unit} units "
        f"in {len(result.documents)} documents"
    )
    print()
    two = len(result.coders) == 2
    rows = [*result.codes, result.pooled]
    if two:
        headers = ["code", "a", "b", "c", "d", "agreement", "Cohen κ", "positive",
                   "Fleiss κ", "Krippendorff α"]
        cells = [
            (r.code, r.a, r.b, r.c, r.d, *_figures(r.percent_agreement, r.cohen_kappa,
             r.positive_agreement, r.fleiss_kappa, r.krippendorff_alpha))
            for r in rows
        ]
    else:
        headers = ["code", "agreement", "positive", "Fleiss κ", "Krippendorff α"]
        cells = [
            (r.code, *_figures(r.percent_agreement, r.positive_agreement, r.fleiss_kappa,
                               r.krippendorff_alpha))
            for r in rows
        ]
    print_table(cells, headers)
    if not two:
        print()
        print("Pairwise Cohen's κ over the pooled decisions:")
        kappa = {pair.coders: pair.cohen_kappa for pair in result.pairwise}
        kappa.update({(b, a): value for (a, b), value in kappa.items()})
        print_table(
            [
                (coder, *(_figure(kappa[coder, other]) if coder != other else ""
                          for other in result.coders))
                for coder in result.coders
            ],
            ["", *result.coders],
        )
    notes = [] if two else ["agreement and positive are means over coder pairs."]
    if _UNDEFINED in repr(cells) or any(p.cohen_kappa is None for p in result.pairwise):
        notes.append(f"{_UNDEFINED} = undefined (a zero denominator, e.g. a code nobody applied).")
    if result.skipped:
        notes.append(f"Skipped, not coded by every coder: {', '.join(result.skipped)}")
    if notes:
        print()
        print("\n".join(notes))


def _figures(*values: float | None) -> list[str]:
    return [_figure(value) for value in values]


def _figure(value: float | None) -> str:
    return _UNDEFINED if value is None else f"{value:.3f}"
