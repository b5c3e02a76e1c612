"""write_ontology publishes the merged ontology, its modules, catalogs and bilingual HTML docs."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import owlready2
import pytest
from rdflib import OWL, RDF, BNode, Graph, URIRef
from rdflib.compare import isomorphic

from zhongyuan_kg.namespaces import ONTOLOGY_IRI, ZY
from zhongyuan_kg.ontology import load, publish
from zhongyuan_kg.ontology.errors import OntologyError

CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    publish.write_ontology(folder)
    return folder


def _catalog(path: Path) -> dict[str, str]:
    root = ET.parse(path).getroot()
    return {uri.get("name"): uri.get("uri") for uri in root.iter(f"{CATALOG_NS}uri")}


def test_files_written_merged_rdf_xml_first(tmp_path):
    written = publish.write_ontology(tmp_path)
    names = [str(p.relative_to(tmp_path)) for p in written]
    modules = sorted(f"ontology/{p.name}" for p in load.module_files())
    assert names == [
        "ontology.owl",
        "ontology.ttl",
        "ontology.html",
        "ontology/catalog-v001.xml",
        *modules,
        "catalog-v001.xml",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "catalog-v001.xml",
        "ontology",
        "ontology.html",
        "ontology.owl",
        "ontology.ttl",
    ]


def test_merged_turtle_and_rdf_xml_hold_the_same_single_ontology(dist):
    turtle = Graph().parse(dist / "ontology.ttl", format="turtle")
    rdfxml = Graph().parse(dist / "ontology.owl", format="xml")
    assert isomorphic(turtle, rdfxml)
    assert list(turtle.subjects(RDF.type, OWL.Ontology)) == [URIRef(ONTOLOGY_IRI)]
    assert list(turtle.objects(None, OWL.imports)) == []
    # Everything of the sources but the module headers and the imports.
    source = load.ontology_graph()
    headers = set(source.subjects(RDF.type, OWL.Ontology)) - {URIRef(ONTOLOGY_IRI)}
    assert len(headers) == 11
    kept = {t for t in source if t[0] not in headers and t[1] != OWL.imports}
    assert {t for t in kept if not any(isinstance(n, BNode) for n in t)} <= set(turtle)
    assert len(turtle) == len(kept)


def test_owlready2_reads_the_rdf_xml(dist):
    world = owlready2.World()
    ontology = world.get_ontology((dist / "ontology.owl").as_uri()).load()
    assert ontology.base_iri == ONTOLOGY_IRI + "#"
    names = {c.name for c in ontology.classes()}
    assert {"City", "RegionalHubCity", "SmartCityPilotCity", "Project"} <= names
    assert world["https://w3id.org/zhongyuan-kg/ontology#nodeCityOf"].inverse_property.name == (
        "hasNodeCity"
    )
    world.close()


def test_catalogs_resolve_every_module_offline(dist):
    modules = _catalog(dist / "ontology" / "catalog-v001.xml")
    for iri, file in modules.items():
        assert (dist / "ontology" / file).is_file(), iri
    umbrella_imports = Graph().parse(dist / "ontology" / "zhongyuan.ttl").objects(None, OWL.imports)
    assert {str(i) for i in umbrella_imports} <= modules.keys()
    modules_and_versions = {
        ONTOLOGY_IRI + suffix + "/" + p.stem
        for p in load.module_files()
        if p.name != "zhongyuan.ttl"
        for suffix in ("", "/0.1.0")
    }
    assert set(modules) == modules_and_versions | {ONTOLOGY_IRI, ONTOLOGY_IRI + "/0.1.0"}
    top = _catalog(dist / "catalog-v001.xml")
    assert top[ONTOLOGY_IRI] == "ontology.owl"
    assert top[ONTOLOGY_IRI + "/place"] == "ontology/place.ttl"


def test_html_has_an_anchor_for_every_term_and_both_languages(dist):
    html = (dist / "ontology.html").read_text(encoding="utf-8")
    ids = re.findall(r'<section class="term" id="([^"]+)">', html)
    assert len(ids) == len(set(ids))
    declared = load.declared_terms(load.ontology_graph())
    ours = {str(t).split("#")[1] for t in declared if str(t).startswith(str(ZY))}
    assert ours - set(ids) == set()
    assert {"jianshe", "hub-regional", "Concept", "wasDerivedFrom"} <= set(ids)
    section = html[html.index('id="RegionalHubCity"') :]
    section = section[: section.index("</section>")]
    assert "Regional hub city" in section and "区域性枢纽城市" in section
    assert '<a href="#RegionalHubLevel"' in section
    assert "中原城市群发展规划本体" in html and "0.1.0" in html


def test_a_broken_module_leaves_dist_untouched(tmp_path):
    dist = tmp_path / "dist"
    publish.write_ontology(dist)
    before = {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    source = tmp_path / "src"
    source.mkdir()
    for path in load.module_files():
        (source / path.name).write_bytes(path.read_bytes())
    with (source / "place.ttl").open("a", encoding="utf-8") as module:
        module.write("\nzy:Broken a owl:Class .\n")
    with pytest.raises(OntologyError):
        publish.write_ontology(dist, source)
    after = {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in dist.iterdir() if p.name.startswith(".")] == []
