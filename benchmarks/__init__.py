"""Benchmarks of SPEC §10: run `python -m benchmarks` (or `python -m benchmarks import`)."""
