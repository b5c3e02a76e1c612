"""Bilingual HTML documentation of the ontology, generated from the same graph it publishes."""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment
from markupsafe import Markup
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from zhongyuan_kg.namespaces import ONTOLOGY_IRI, PREFIXES, ZY
from zhongyuan_kg.ontology.docs_template import TEMPLATE
from zhongyuan_kg.ontology.load import declared_terms, short_name

_CHARACTERISTICS = (OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.FunctionalProperty)
# External vocabularies: their terms are listed after ours.
_EXTERNAL = (
    *(PREFIXES[p] for p in ("skos", "prov", "dcterms", "geo", "wgs", "org")),
    "http://purl.org/vocab/vann/",
)
KIND_TITLES = {
    "class": ("Classes", "类"),
    "object": ("Object properties", "对象属性"),
    "datatype": ("Data properties", "数据属性"),
    "annotation": ("Annotation properties", "注释属性"),
    "concept": ("SKOS concepts", "SKOS 概念"),
    "individual": ("Concept schemes", "概念体系"),
}


@dataclass
class Term:
    """One term as the page shows it."""

    iri: URIRef
    anchor: str
    name: str
    kind: str
    zh: str
    en: str
    definition_en: str
    definition_zh: str
    facts: list[tuple[str, Markup]] = field(default_factory=list)
    ours: bool = True
    defined: bool = False


def _text(graph: Graph, node: Node, prop: URIRef, lang: str) -> str:
    for value in graph.objects(node, prop):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def anchors(graph: Graph) -> dict[URIRef, str]:
    """Each term's HTML id: its local name, prefixed only where two namespaces share one."""
    terms = sorted(declared_terms(graph).keys() & set(graph.subjects()), key=str)
    local = {t: str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in terms}
    taken: dict[str, URIRef] = {}
    # Our own (zy:) terms claim their local names first: /ontology#City must land on zy:City.
    for term in sorted(terms, key=lambda t: (not str(t).startswith(str(ZY)), str(t))):
        name = local[term]
        if name in taken:
            name = short_name(term).replace(":", "-")
        taken[name] = term
    return {term: name for name, term in taken.items()}


class _Renderer:
    """Turns class expressions and links into HTML snippets for one graph."""

    def __init__(self, graph: Graph, ids: dict[URIRef, str]) -> None:
        self.graph, self.ids = graph, ids

    def link(self, node: Node) -> str:
        if isinstance(node, URIRef) and node in self.ids:
            label = _text(self.graph, node, RDFS.label, "zh")
            title = Markup(' title="{}"').format(label) if label else ""
            return Markup('<a href="#{}"{}><code>{}</code></a>').format(
                self.ids[node], title, short_name(node)
            )
        if isinstance(node, URIRef):
            return Markup("<code>{}</code>").format(short_name(node))
        return self.expression(node)

    def expression(self, node: Node) -> str:
        """A class expression in Manchester-like syntax."""
        g = self.graph
        for prop, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
            head = g.value(node, prop)
            if head is not None:
                return Markup("({})").format(
                    Markup(word).join(self.link(m) for m in Collection(g, head))
                )
        on = g.value(node, OWL.onProperty)
        if on is not None:
            for prop, word in (
                (OWL.someValuesFrom, "some"),
                (OWL.allValuesFrom, "only"),
                (OWL.hasValue, "value"),
            ):
                filler = g.value(node, prop)
                if filler is not None:
                    return Markup("({} {} {})").format(self.link(on), word, self.link(filler))
        return Markup("<em>anonymous</em>")

    def facts(self, term: URIRef, kind: str) -> list[tuple[str, Markup]]:
        g = self.graph
        rows: list[tuple[str, Markup]] = []

        def add(title: str, nodes: list[Node]) -> None:
            if nodes:
                rows.append(
                    (title, Markup(", ").join(self.link(n) for n in sorted(nodes, key=str)))
                )

        add("Superclasses · 上位类", list(g.objects(term, RDFS.subClassOf)))
        add(
            "Subclasses · 下位类",
            [s for s in g.subjects(RDFS.subClassOf, term) if isinstance(s, URIRef)],
        )
        add("Equivalent to · 等价于", list(g.objects(term, OWL.equivalentClass)))
        add("Super-properties · 上位属性", list(g.objects(term, RDFS.subPropertyOf)))
        add("Sub-properties · 下位属性", list(g.subjects(RDFS.subPropertyOf, term)))
        add(
            "Inverse of · 逆属性",
            list(g.objects(term, OWL.inverseOf)) + list(g.subjects(OWL.inverseOf, term)),
        )
        add("Domain · 定义域", list(g.objects(term, RDFS.domain)))
        add("Range · 值域", list(g.objects(term, RDFS.range)))
        chains = [
            Markup(" ∘ ").join(self.link(m) for m in Collection(g, head))
            for head in g.objects(term, OWL.propertyChainAxiom)
        ]
        if chains:
            rows.append(("Property chain · 属性链", Markup("; ").join(chains)))
        characteristics = [t for t in g.objects(term, RDF.type) if t in _CHARACTERISTICS]
        add("Characteristics · 特征", characteristics)
        add("Broader · 上位概念", list(g.objects(term, SKOS.broader)))
        add("Narrower · 下位概念", list(g.subjects(SKOS.broader, term)))
        add(
            "In scheme · 所属体系",
            list(g.objects(term, SKOS.inScheme)) if kind == "concept" else [],
        )
        add("Members · 成员", [i for i in g.subjects(RDF.type, term) if isinstance(i, URIRef)])
        add("Defined by · 定义于", list(g.objects(term, RDFS.isDefinedBy)))
        return rows


def collect_terms(graph: Graph) -> dict[str, list[Term]]:
    """The documented terms grouped by kind, ours first, then by local name."""
    ids = anchors(graph)
    renderer = _Renderer(graph, ids)
    kinds = declared_terms(graph)
    groups: dict[str, list[Term]] = {kind: [] for kind in KIND_TITLES}
    for iri, anchor in ids.items():
        kind = kinds[iri]
        comment = graph.value(iri, RDFS.comment)
        definition_en = _text(graph, iri, SKOS.definition, "en") or str(comment or "")
        groups[kind].append(
            Term(
                iri=iri,
                anchor=anchor,
                name=short_name(iri),
                kind=kind,
                zh=_text(graph, iri, RDFS.label, "zh"),
                en=_text(graph, iri, RDFS.label, "en"),
                definition_en=definition_en,
                definition_zh=_text(graph, iri, SKOS.definition, "zh"),
                facts=renderer.facts(iri, kind),
                ours=not str(iri).startswith(_EXTERNAL),
                defined=(iri, OWL.equivalentClass, None) in graph,
            )
        )
    for terms in groups.values():
        terms.sort(key=lambda t: (not t.ours, t.anchor.lower()))
    return groups


def render_html(graph: Graph) -> str:
    """The whole documentation page, zh and en side by side."""
    umbrella = URIRef(ONTOLOGY_IRI)
    header = {
        "iri": ONTOLOGY_IRI,
        "title_zh": _text(graph, umbrella, DCTERMS.title, "zh"),
        "title_en": _text(graph, umbrella, DCTERMS.title, "en"),
        "description_zh": _text(graph, umbrella, DCTERMS.description, "zh"),
        "description_en": _text(graph, umbrella, DCTERMS.description, "en"),
        "version": str(graph.value(umbrella, OWL.versionInfo) or ""),
        "version_iri": str(graph.value(umbrella, OWL.versionIRI) or ""),
        "license": str(graph.value(umbrella, DCTERMS.license) or ""),
        "creator": str(graph.value(umbrella, DCTERMS.creator) or ""),
        "created": str(graph.value(umbrella, DCTERMS.created) or ""),
        "modified": str(graph.value(umbrella, DCTERMS.modified) or ""),
    }
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return environment.from_string(TEMPLATE).render(
        header=header,
        groups=collect_terms(graph),
        titles=KIND_TITLES,
        prefixes=sorted(PREFIXES.items()),
    )
