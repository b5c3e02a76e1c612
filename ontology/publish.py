"""Publish the ontology into dist/: merged Turtle and RDF/XML, the modules, catalogs and HTML."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from rdflib import OWL, RDF, Graph, URIRef

from zhongyuan_kg.namespaces import ONTOLOGY_IRI
from zhongyuan_kg.ontology.docs import render_html
from zhongyuan_kg.ontology.load import bind_prefixes, check, module_files, module_graphs

CATALOG = "catalog-v001.xml"
MODULES_DIR = "ontology"


def merged_ontology(directory: Path | None = None) -> Graph:
    """All modules as one ontology: the umbrella's header, no imports, no module headers."""
    umbrella = URIRef(ONTOLOGY_IRI)
    merged = bind_prefixes(Graph())
    for graph in module_graphs(directory).values():
        headers = set(graph.subjects(RDF.type, OWL.Ontology)) - {umbrella}
        for s, p, o in graph:
            if s in headers or p == OWL.imports:
                continue
            merged.add((s, p, o))
    return merged


def module_iris(directory: Path | None = None) -> dict[str, str]:
    """Each module's ontology IRI (and version IRI) mapped to its file name."""
    found: dict[str, str] = {}
    for path, graph in module_graphs(directory).items():
        for ontology in graph.subjects(RDF.type, OWL.Ontology):
            found[str(ontology)] = path.name
            for version in graph.objects(ontology, OWL.versionIRI):
                found[str(version)] = path.name
    return found


def catalog_xml(entries: dict[str, str]) -> str:
    """An OASIS XML catalog, as Protégé reads it, mapping ontology IRIs to local files."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">',
    ]
    lines += [
        f"    <uri name={quoteattr(iri)} uri={quoteattr(file)}/>"
        for iri, file in sorted(entries.items())
    ]
    lines.append("</catalog>")
    return "\n".join(lines) + "\n"


def _write_all(staging: Path, source: Path | None) -> list[Path]:
    merged = merged_ontology(source)
    modules = staging / MODULES_DIR
    modules.mkdir()
    for path in module_files(source):
        shutil.copyfile(path, modules / path.name)
    iris = module_iris(source)
    (modules / CATALOG).write_text(catalog_xml(iris), encoding="utf-8")
    # At the top level the umbrella IRI resolves to the merged file, which imports nothing;
    # the module IRIs still resolve, for a document that imports a single module.
    top = {iri: f"{MODULES_DIR}/{name}" for iri, name in iris.items()}
    top[ONTOLOGY_IRI] = "ontology.owl"
    merged.serialize(staging / "ontology.owl", format="xml", encoding="utf-8")
    merged.serialize(staging / "ontology.ttl", format="turtle", encoding="utf-8")
    (staging / "ontology.html").write_text(render_html(merged), encoding="utf-8")
    (staging / CATALOG).write_text(catalog_xml(top), encoding="utf-8")
    written = [staging / name for name in ("ontology.owl", "ontology.ttl", "ontology.html")]
    written += sorted(modules.iterdir())
    written.append(staging / CATALOG)  # last: a caller keying files by name keeps this catalog
    return written


def write_ontology(dist: Path, source: Path | None = None) -> list[Path]:
    """Write the checked ontology into `dist` and return the files, the merged RDF/XML first.

    `source` is the folder of Turtle modules (ontology/src by default). Everything is written
    into a temporary folder inside `dist` and renamed into place only when all of it
    succeeded, so a failure leaves dist/ as it was.
    """
    check(source)
    dist.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ontology-", dir=dist))
    try:
        written = _write_all(staging, source)
        target_modules = dist / MODULES_DIR
        if target_modules.exists():
            shutil.rmtree(target_modules)
        (staging / MODULES_DIR).rename(target_modules)
        final = []
        for path in written:
            relative = path.relative_to(staging)
            if relative.parts[0] != MODULES_DIR:
                path.replace(dist / relative)
            final.append(dist / relative)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
