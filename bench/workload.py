"""What the benchmark sends: saved queries bound with their defaults, ad-hoc and repeated queries.

Every server gets the same query text (our prefixes and base declared in it) and the same dataset;
`result_set` reduces a SPARQL JSON answer to a comparable multiset, so answers can be checked.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from zhongyuan_kg.namespaces import DEFAULT_BASE, PREFIXES
from zhongyuan_kg.queries.catalog import load_catalog
from zhongyuan_kg.queries.local import LocalGraph
from zhongyuan_kg.queries.prepare import prepare
from zhongyuan_kg.server.store import open_store

PROLOGUE = f"BASE <{DEFAULT_BASE}>\n" + "".join(
    f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items()
)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_GROUP_SEPARATOR = "、"  # GROUP_CONCAT order is not defined: compare its parts as a set
ADHOC_SUBJECTS = 200  # distinct ad-hoc queries, so that no cache can answer them


@dataclass(frozen=True)
class Workload:
    """Named query texts and the result set each must give."""

    name: str
    queries: dict[str, str]
    expected: dict[str, Counter]
    method: str = "POST"  # how the load generator sends them (GET: as the query string)

    def bodies(self) -> list[str]:
        """The queries as form bodies (one line each) for the load generator."""
        return [urlencode({"query": text}) for text in self.queries.values()]


def local_graph(dataset: Path) -> LocalGraph:
    """The dataset in embedded Oxigraph, the reference for every expected answer."""
    return LocalGraph(open_store("oxigraph", dataset, base_iri=DEFAULT_BASE, prefixes=PREFIXES))


def result_set(body: bytes) -> Counter:
    """A SPARQL JSON answer as a multiset of rows (order, bnode labels, xsd:string ignored)."""
    document = json.loads(body)
    if "boolean" in document:
        return Counter([("boolean", document["boolean"])])
    rows: Counter = Counter()
    for binding in document["results"]["bindings"]:
        row = []
        for name in sorted(binding):
            term = binding[name]
            value = term["value"]
            if term["type"] == "bnode":
                value = "_"
            elif _GROUP_SEPARATOR in value:
                value = _GROUP_SEPARATOR.join(sorted(value.split(_GROUP_SEPARATOR)))
            datatype = term.get("datatype")
            datatype = None if datatype == _XSD_STRING else datatype
            kind = "literal" if term["type"] == "typed-literal" else term["type"]
            row.append((name, kind, value, datatype, term.get("xml:lang")))
        rows[tuple(row)] += 1
    return rows


def _expected(graph: LocalGraph, queries: dict[str, str]) -> dict[str, Counter]:
    return {name: result_set(graph.run(text, "json").body) for name, text in queries.items()}


def saved_queries(graph: LocalGraph) -> Workload:
    """Every SELECT/ASK saved query of the catalog, bound with its default parameters."""
    queries = {
        name: PROLOGUE + prepare(query, {}, graph.candidates).sparql
        for name, query in sorted(load_catalog().items())
    }
    return Workload("saved", queries, _expected(graph, queries))


def adhoc_queries(graph: LocalGraph) -> Workload:
    """Distinct small queries (labels and types of many subjects): never the same text twice."""
    subjects = [
        row["s"]
        for row in graph.select(
            "SELECT DISTINCT ?s WHERE { GRAPH <https://w3id.org/zhongyuan-kg/graph/facts> "
            "{ ?s rdfs:label ?l } FILTER(isIRI(?s)) } ORDER BY ?s LIMIT " + str(ADHOC_SUBJECTS)
        )
    ]
    queries = {
        f"adhoc-{index}": PROLOGUE
        + f"SELECT ?p ?o WHERE {{ <{subject}> ?p ?o FILTER(?p IN (rdfs:label, rdf:type)) }}"
        for index, subject in enumerate(subjects)
    }
    return Workload("adhoc", queries, _expected(graph, queries))


def adhoc_search(graph: LocalGraph) -> Workload:
    """Distinct label searches (the first two characters of Chinese labels): a scan each."""
    labels = graph.select(
        "SELECT DISTINCT ?l WHERE { GRAPH <https://w3id.org/zhongyuan-kg/graph/facts> "
        "{ ?s rdfs:label ?l } FILTER(LANG(?l) = 'zh' && STRLEN(?l) >= 2) } ORDER BY ?l"
    )
    # Terms that would need escaping in a SPARQL string are left out.
    terms = sorted({row["l"][:2] for row in labels if not {'"', "\\"} & set(row["l"][:2])})
    queries = {
        f"search-{index}": PROLOGUE
        + f'SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(CONTAINS(?l, "{term}")) }}'
        for index, term in enumerate(terms[:ADHOC_SUBJECTS])
    }
    return Workload("adhoc-search", queries, _expected(graph, queries))


def repeated_query(graph: LocalGraph) -> Workload:
    """One selective query sent again and again (what a response cache is for)."""
    queries = {"repeated": PROLOGUE + "SELECT ?l WHERE { <city/zhengzhou> rdfs:label ?l }"}
    return Workload("repeated", queries, _expected(graph, queries))


def repeated_get(graph: LocalGraph) -> Workload:
    """The repeated query sent by GET, as a link or a reloaded page sends it (no body to read)."""
    repeated = repeated_query(graph)
    return Workload("repeated-get", repeated.queries, repeated.expected, method="GET")
