"""The IRIs every part of the project agrees on: ontology, vocabularies, instances, named graphs."""

from rdflib import Namespace

SITE = "https://w3id.org/zhongyuan-kg/"
DEFAULT_BASE = SITE + "id/"  # instance IRIs; the build can take another base

ZY = Namespace(SITE + "ontology#")
STAGE = Namespace(SITE + "vocab/stage/")
KIND = Namespace(SITE + "vocab/kind/")
GRAPH = Namespace(SITE + "graph/")

ONTOLOGY_IRI = SITE + "ontology"
GRAPH_ONTOLOGY = GRAPH["ontology"]
GRAPH_FACTS = GRAPH["facts"]
GRAPH_PROVENANCE = GRAPH["provenance"]
GRAPH_INFERENCES = GRAPH["inferences"]
NAMED_GRAPHS = (GRAPH_ONTOLOGY, GRAPH_FACTS, GRAPH_PROVENANCE, GRAPH_INFERENCES)

GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# Prefixes bound in every serialisation and offered ready-made in the query UI.
PREFIXES = {
    "zy": str(ZY),
    "stage": str(STAGE),
    "kind": str(KIND),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": str(PROV),
    "geo": str(GEO),
    "wgs": str(WGS),
    "org": str(ORG),
    "void": str(VOID),
}
