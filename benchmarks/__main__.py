"""Run the benchmarks and print one table: `python -m benchmarks [NAME ...]`."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["import", "search", "agreement", "report", "review", "gui"]


def main(names: list[str]) -> int:
    chosen = names or BENCHMARKS
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        sys.stderr.write(f"error: unknown benchmark(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(BENCHMARKS)}\n")
        return 2
    rows = []
    for name in chosen:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        rows.extend(module.run())
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    return 0


raise SystemExit(main(sys.argv[1:]))
