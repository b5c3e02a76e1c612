"""Time the build phase by phase: `python bench/build_bench.py [--runs N] [--no-reason]`.

Prints the median seconds of each phase over N full builds into a temporary dist/ and writes
them as JSON to bench/results/build.json (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from zhongyuan_kg.graph.build import build

RESULTS = Path(__file__).resolve().parent / "results" / "build.json"


def measure(runs: int, reason: bool) -> dict[str, float]:
    """Median seconds per phase (and in total) over `runs` builds."""
    samples: dict[str, list[float]] = {}
    engine = "none"
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(runs):
            started = time.perf_counter()
            report = build(Path(scratch) / "dist", reason=reason, log=lambda _: None)
            total = time.perf_counter() - started
            engine = report.engine
            for phase, seconds in {**report.seconds, "total": total}.items():
                samples.setdefault(phase, []).append(seconds)
            print(f"run {run + 1}/{runs}: {total:.2f} s")
    medians = {phase: round(statistics.median(values), 3) for phase, values in samples.items()}
    return {**medians, "runs": runs, "engine": engine}  # type: ignore[dict-item]


def main() -> None:
    """Run the benchmark and print and save its medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-reason", action="store_true")
    args = parser.parse_args()
    result = measure(args.runs, reason=not args.no_reason)
    for phase, value in result.items():
        print(f"{phase:<10} {value}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
