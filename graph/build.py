"""`zhongyuan-kg build`: check, load, reason, validate and publish the graph into dist/."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, URIRef

from zhongyuan_kg import __version__
from zhongyuan_kg.graph import manifest, owl, publish, rdf, records, text, void
from zhongyuan_kg.graph import reasoning as reasoning_step
from zhongyuan_kg.graph.terms import load_terms
from zhongyuan_kg.namespaces import (
    DEFAULT_BASE,
    GRAPH_FACTS,
    GRAPH_INFERENCES,
    GRAPH_ONTOLOGY,
    GRAPH_PROVENANCE,
)
from zhongyuan_kg.paths import PLAN_TEXT, RECORDS_DIR, dist_dir


class BuildError(RuntimeError):
    """The build stopped; the message says which phase and why. dist/ was left as it was."""


@dataclass
class BuildReport:
    """What a build did: where it wrote, how long each phase took, which engine reasoned."""

    dist: Path
    base: str
    digest: str
    engine: str
    triples: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


@contextmanager
def _phase(report: BuildReport, name: str, log: Callable[[str], None]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    report.seconds[name] = round(time.perf_counter() - started, 3)
    log(f"  {name:<10} {report.seconds[name]:6.2f} s")


def is_stale(dist: Path | None = None, base: str | None = None) -> bool:
    """True if dist/ is missing or was built from other inputs than the current ones."""
    return manifest.is_stale(dist or dist_dir(), base=base)


def build(
    dist: Path | None = None,
    base: str = DEFAULT_BASE,
    *,
    records_dir: Path = RECORDS_DIR,
    plan: Path = PLAN_TEXT,
    reason: bool = True,
    log: Callable[[str], None] = print,
) -> BuildReport:
    """Build everything into dist/ (written beside it, swapped in at the end); raises BuildError."""
    dist = (dist or dist_dir()).resolve()
    report = BuildReport(dist, base, manifest.input_digest(records_dir, plan), engine="none")
    log(f"building {dist} (base {base})")
    try:
        graphs = _graphs(report, records_dir, plan, reason, log)
    except reasoning_step.ShapesViolated as error:
        raise BuildError(_shape_errors(error, base, records_dir)) from error
    except (records.InvalidRecords, reasoning_step.StepFailed) as error:
        raise BuildError(str(error)) from error
    _publish(graphs, report, log)
    log(f"built {sum(report.triples[str(g)] for g in graphs)} quads into {report.dist}")
    return report


def _graphs(
    report: BuildReport, records_dir: Path, plan: Path, reason: bool, log: Callable[[str], None]
) -> dict[URIRef, Graph]:
    """The four named graphs, checked: ontology, facts, provenance, inferences."""
    base = report.base
    with _phase(report, "ontology", log):
        tbox = reasoning_step.check_ontology()
        terms = load_terms(tbox)
    with _phase(report, "records", log):
        document = text.load(plan)
        entities = records.load_and_validate(records_dir, terms, document)
    with _phase(report, "rdf", log):
        facts = rdf.facts_graph(entities, base)
        structure = rdf.document_graph(document, base)
        provenance = structure + rdf.citations_graph(entities, base)
    inferences = rdf.new_graph()
    if reason:
        with _phase(report, "reason", log):
            # Citations stay out: they entail nothing the builder does not assert already
            # (prov:wasDerivedFrom), and they would add a third to HermiT's input.
            inferences, report.engine = reasoning_step.materialise(tbox, facts, structure)
        log(f"  reasoner: {report.engine}")
    with _phase(report, "shacl", log):
        summary = reasoning_step.validate_shapes(tbox, facts, provenance, inferences)
        log(f"  SHACL: {summary}")
    return {
        GRAPH_ONTOLOGY: tbox,
        GRAPH_FACTS: facts,
        GRAPH_PROVENANCE: provenance,
        GRAPH_INFERENCES: inferences,
    }


def _shape_errors(error: reasoning_step.ShapesViolated, base: str, records_dir: Path) -> str:
    """The SHACL violations as `file: record id: SHACL: message`, like the record errors."""
    files = records.defining_files(records.load(records_dir)[0])
    lines = []
    for focus, message in error.violations:
        entity = str(focus).removeprefix(base)
        lines.append(f"{files.get(entity, '-')}: {entity}: SHACL: {message}")
    return f"{len(lines)} SHACL violation(s) in the records:\n" + "\n".join(
        f"  {line}" for line in sorted(set(lines))
    )


def _publish(graphs: dict[URIRef, Graph], report: BuildReport, log: Callable[[str], None]) -> None:
    """Write every output into a fresh folder beside dist/, then swap it in."""
    started = time.perf_counter()
    dist = report.dist
    dist.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dist.name}.building-", dir=dist.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; dist/ is meant to be read and served
    try:
        dumps = publish.write_dumps(graphs, staging)
        written = {**dumps, **reasoning_step.write_ontology(staging)}
        individuals = owl.write_individuals(graphs, staging, reasoning_step.reasonable)
        written.update(individuals)
        description = void.describe(graphs, [*dumps, *individuals], report.base)
        written["void.ttl"] = publish.write_graph(description, staging / "void.ttl")
        report.triples = {str(name): len(graph) for name, graph in graphs.items()}
        report.files = sorted([*written, manifest.MANIFEST])
        report.seconds["publish"] = round(time.perf_counter() - started, 3)
        log(f"  {'publish':<10} {report.seconds['publish']:6.2f} s")
        manifest.write(staging, _manifest(report))
        _swap(staging, dist)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _manifest(report: BuildReport) -> dict[str, object]:
    return {
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "version": __version__,
        "base": report.base,
        "digest": report.digest,
        "engine": report.engine,
        "triples": report.triples,
        "seconds": report.seconds,
        "files": report.files,
    }


def _swap(staging: Path, dist: Path) -> None:
    """Replace dist/ by the staging folder with two renames (old dist/ removed afterwards)."""
    retired = None
    if dist.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{dist.name}.old-", dir=dist.parent))
        retired.rmdir()
        dist.rename(retired)
    staging.rename(dist)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """The options of `zhongyuan-kg build`."""
    parser.add_argument("--dist", type=Path, default=None, help="output folder (default: dist/)")
    parser.add_argument("--base", default=DEFAULT_BASE, help="instance base IRI")
    parser.add_argument("--records", type=Path, default=RECORDS_DIR, help="records folder")
    parser.add_argument(
        "--no-reason", action="store_true", help="skip the reasoner (empty inferences graph)"
    )
    parser.add_argument("--if-stale", action="store_true", help="do nothing if dist/ is up to date")


def run(args: argparse.Namespace) -> int:
    """Run the build from parsed arguments; 0 on success, 1 with the reasons on failure."""
    dist = args.dist or dist_dir()
    if args.if_stale and not manifest.is_stale(dist, args.records, base=args.base):
        print(f"{dist} is up to date")
        return 0
    try:
        build(dist, args.base, records_dir=args.records, reason=not args.no_reason)
    except BuildError as error:
        print(f"build failed: {error}")
        return 1
    return 0
