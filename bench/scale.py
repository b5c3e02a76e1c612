"""Grow the graph for scale tests: N distinct plans over one shared gazetteer.

    python -m bench.scale --factor 100 --out /tmp/zhongyuan-x100

Copy 0 is the plan as built (so saved queries with their default parameters still find it). Copy k
is another plan about the same region: every plan-specific IRI under the instance base (projects,
designations, axes, areas, the plan's chapters, passages and citations …) moves to
`…/id/copy{k}/…`, and the labels of those things get the suffix ` #k`, so each plan's own things
stay selective by name. The gazetteer — provinces, cities, counties, rivers, mountains, other
real places, government bodies and industries (`GAZETTEER`) — is shared, as in a graph of many
real plans: copy k's statements point at the same 郑州. A quad that copying leaves unchanged
(the ontology, the gazetteer's own facts) is written once. A factor whose graph would not fit in
memory is refused before anything is written (quads × bytes per quad against MemAvailable).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from zhongyuan_kg.namespaces import DEFAULT_BASE, GRAPH_ONTOLOGY, PREFIXES

# Resident bytes per quad once served: a high bound over bench/README.md's scale runs (the
# zygote's embedded Oxigraph; evaluators share its pages copy-on-write).
BYTES_PER_QUAD = 1024
# Id paths of things that exist outside the plan, shared by every copy.
GAZETTEER = (
    "province",
    "city",
    "county",
    "town",
    "place",
    "foreign",
    "country",
    "region",
    "river",
    "mountain",
    "lake",
    "basin",
    "mining-area",
    "org",
    "industry",
)
LABELS = tuple(
    f"<{PREFIXES[prefix]}{local}>"
    for prefix, local in (("rdfs", "label"), ("skos", "altLabel"), ("skos", "prefLabel"))
)
_PLAN_IRI = re.compile("<" + re.escape(DEFAULT_BASE) + "(?!(?:" + "|".join(GAZETTEER) + ")/)")
_ONTOLOGY = f"<{GRAPH_ONTOLOGY}> ."
_LABEL_LITERAL = re.compile(r'^(<[^>]+>) (<[^>]+>) "((?:[^"\\]|\\.)*)"')


class TooLarge(ValueError):
    """The grown graph would not fit in the memory available."""


def available_memory() -> int:
    """Bytes the kernel says are available (MemAvailable)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise OSError("no MemAvailable in /proc/meminfo")


def copy_quad(line: str, copy: int) -> str | None:
    """One N-Quads line as plan `copy` states it, or None when it is shared (left unchanged)."""
    if line.rstrip().endswith(_ONTOLOGY):
        return None  # the vocabulary is every plan's
    moved = _PLAN_IRI.sub(f"<{DEFAULT_BASE}copy{copy}/", line)
    if moved == line:
        return None
    labelled = _LABEL_LITERAL.match(moved)
    # Only a plan-specific subject's label is made distinct: a gazetteer place keeps its name.
    if labelled and labelled[2] in LABELS and labelled[1] != line.split(" ", 1)[0]:
        moved = f"{moved[: labelled.end(3)]} #{copy}{moved[labelled.end(3) :]}"
    return moved


def _copies(lines: Sequence[str], copy: int) -> Iterator[str]:
    for line in lines:
        moved = copy_quad(line, copy)
        if moved is not None:
            yield moved


def estimate(source: Path, factor: int) -> tuple[int, int]:
    """Quads of the grown graph and the bytes it would take in memory."""
    shared = copied = 0
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            if copy_quad(line, 1) is not None:
                copied += 1
            elif line.strip():
                shared += 1
    quads = shared + copied * factor
    return quads, quads * BYTES_PER_QUAD


def grow(source: Path, out: Path, factor: int, memory: int | None = None) -> int:
    """Write the grown dataset (graph.nq and build.json) into out; return its quads."""
    if factor < 1:
        raise ValueError("the factor must be at least 1")
    quads, needed = estimate(source, factor)
    memory = available_memory() if memory is None else memory
    if needed > memory:
        raise TooLarge(
            f"×{factor} makes {quads:,} quads, about {needed / 2**30:.1f} GiB in memory "
            f"({BYTES_PER_QUAD} bytes a quad), but only {memory / 2**30:.1f} GiB is available"
        )
    out.mkdir(parents=True, exist_ok=True)
    lines = [line for line in source.read_text(encoding="utf-8").splitlines(True) if line.strip()]
    with (out / "graph.nq").open("w", encoding="utf-8") as target:
        target.writelines(lines)
        for copy in range(1, factor):
            target.writelines(_copies(lines, copy))
    build = source.parent / "build.json"
    record = json.loads(build.read_text(encoding="utf-8")) if build.exists() else {}
    record["scale_factor"] = factor  # another build id, so no cache or ETag is shared
    (out / "build.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    if (source.parent / "void.ttl").exists():
        shutil.copy(source.parent / "void.ttl", out / "void.ttl")
    return quads


def main(argv: Sequence[str] | None = None) -> int:
    """The command: grow dist/graph.nq by --factor into --out."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--factor", type=int, required=True, help="copies of the plan (10, 100 …)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write graph.nq into")
    parser.add_argument("--dataset", type=Path, default=Path("dist/graph.nq"))
    args = parser.parse_args(argv)
    try:
        quads = grow(args.dataset, args.out, args.factor)
    except (TooLarge, ValueError, OSError) as error:
        print(f"bench.scale: {error}", file=sys.stderr)
        return 2
    print(f"{quads:,} quads written to {args.out / 'graph.nq'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
