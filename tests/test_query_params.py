"""Saved-query metadata is parsed strictly and parameters are bound as RDF terms, never as text."""

from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import XSD, Graph, Literal

from zhongyuan_kg.queries.catalog import CatalogError, parse
from zhongyuan_kg.queries.params import ParamError, SparqlCandidates, bind, resolve

BASE = "https://w3id.org/zhongyuan-kg/id/"
DATA = """
@prefix zy: <https://w3id.org/zhongyuan-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <https://w3id.org/zhongyuan-kg/id/> .
zy:MainDevelopmentAxis rdfs:subClassOf zy:DevelopmentAxis .
<axis/longhai> a zy:MainDevelopmentAxis ; rdfs:label "沿陇海发展主轴"@zh, "Longhai Main Axis"@en .
<axis/taiyuan-zhengzhou-hefei> a zy:DevelopmentAxis ;
    rdfs:label "太原—郑州—合肥发展轴"@zh, "Taiyuan–Zhengzhou–Hefei Axis"@en .
<city/zhengzhou> a zy:City ; rdfs:label "郑州"@zh, "Zhengzhou"@en .
<axis/twin-a> a zy:DevelopmentAxis ; rdfs:label "同名轴"@zh .
<axis/twin-b> a zy:DevelopmentAxis ; rdfs:label "同名轴"@zh .
"""

QUERY = """#+ name: axis-nodes
#+ title: {zh: 发展轴节点, en: Axis nodes}
#+ description: {zh: 某发展轴的节点城市, en: The node cities of an axis}
#+ covers: [plan/ch03/s01]
#+ params:
#+   - name: axis
#+     type: iri
#+     class: zy:DevelopmentAxis
#+     list: true
#+     default: [axis/longhai]
#+     examples: [太原—郑州—合肥发展轴]
#+   - name: limit
#+     type: integer
#+   - name: word
#+     type: string
#+   - name: size
#+     type: decimal
PREFIX zy: <https://w3id.org/zhongyuan-kg/ontology#>
SELECT ?axis ?word ?limit WHERE {
  VALUES ?axis { <https://w3id.org/zhongyuan-kg/id/axis/longhai> }
  VALUES ?limit { UNDEF }
  VALUES ?word { UNDEF }
  VALUES ?size { UNDEF }
}
"""


@pytest.fixture
def saved(tmp_path: Path):
    path = tmp_path / "axis-nodes.rq"
    path.write_text(QUERY, encoding="utf-8")
    return parse(path)


@pytest.fixture
def source():
    graph = Graph().parse(data=DATA, format="turtle")
    return SparqlCandidates(lambda text: [row.asdict() for row in graph.query(text)])


def run(saved, given, source):
    # The default store (Oxigraph) runs the bound query; rdflib would decode \u escapes first.
    store = pyoxigraph.Store()
    store.load(DATA.encode(), pyoxigraph.RdfFormat.TURTLE)
    rows = store.query(bind(saved, resolve(saved, given, source, BASE)))
    return sorted(tuple(None if row[i] is None else row[i].value for i in range(3)) for row in rows)


def test_default_binds_the_declared_default(saved, source):
    assert run(saved, {}, source) == [(BASE + "axis/longhai", None, None)]


def test_value_by_zh_label_en_label_id_and_iri(saved, source):
    for value in (
        "太原—郑州—合肥发展轴",
        "taiyuan–zhengzhou–hefei axis",
        "axis/taiyuan-zhengzhou-hefei",
    ):
        assert run(saved, {"axis": [value]}, source)[0][0] == BASE + "axis/taiyuan-zhengzhou-hefei"


def test_list_parameter_takes_several_values(saved, source):
    rows = run(saved, {"axis": ["沿陇海发展主轴", "太原—郑州—合肥发展轴"]}, source)
    assert [row[0] for row in rows] == [
        BASE + "axis/longhai",
        BASE + "axis/taiyuan-zhengzhou-hefei",
    ]


def test_iri_of_the_wrong_class_is_refused_with_the_allowed_values(saved, source):
    with pytest.raises(ParamError) as error:
        resolve(saved, {"axis": ["city/zhengzhou"]}, source, BASE)
    assert "not an allowed value" in str(error.value)
    assert any("沿陇海发展主轴" in allowed for allowed in error.value.allowed)


def test_ambiguous_label_lists_the_matches(saved, source):
    with pytest.raises(ParamError, match="matches several values") as error:
        resolve(saved, {"axis": ["同名轴"]}, source, BASE)
    assert len(error.value.allowed) == 2


def test_unknown_parameter_and_bad_integer(saved, source):
    with pytest.raises(ParamError, match="unknown parameter"):
        resolve(saved, {"city": ["郑州"]}, source, BASE)
    for bad in ("1; DROP ALL", "+-5", "¹", "٣"):  # int() fails on the first three
        with pytest.raises(ParamError, match="not an integer"):
            resolve(saved, {"limit": [bad]}, source, BASE)
    # int() raises past 4,300 digits: a value that long is refused before (at most 500 chars).
    with pytest.raises(ParamError, match="value too long"):
        resolve(saved, {"limit": ["7" * 5000]}, source, BASE)
    assert [
        term.toPython() for term in resolve(saved, {"limit": ["+7"]}, source, BASE)["limit"]
    ] == [7]


def test_a_decimal_is_read_only_as_xsd_decimal_writes_it(saved, source):
    def size(text: str) -> Literal:
        return resolve(saved, {"size": [text]}, source, BASE)["size"][0]

    for text, value in (("12", "12"), ("+0.5", "0.5"), ("-.25", "-0.25"), (" 7. ", "7")):
        assert (size(text).datatype, size(text).toPython()) == (XSD.decimal, Decimal(value))
    # An exponent would be written out digit by digit: 1e99…9 was a MemoryError (500), and
    # 1e999999999 a billion characters in the HTTP process.
    for bad in ("1e999999999999999999", "1e3", "NaN", "-Infinity", "١٢", "1.2.3", "0x10", "5 5"):
        with pytest.raises(ParamError, match="not a number written as a decimal"):
            size(bad)


@pytest.mark.parametrize(
    "attack", ['郑州" } ; DROP ALL #', "> . ?s ?p ?o . <", "../../etc/passwd", "x\\u0022 }"]
)
def test_injection_attempts_stay_literal_or_are_refused(saved, source, attack):
    # As an IRI parameter the attack matches no allowed value.
    with pytest.raises(ParamError):
        resolve(saved, {"axis": [attack]}, source, BASE)
    # As a string parameter it is bound as one escaped literal and comes back unchanged.
    assert run(saved, {"word": [attack]}, source)[0][1] == attack


def test_catalog_rejects_a_parameter_without_its_values_block(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text(QUERY.replace("axis-nodes", "broken").replace("VALUES ?word { UNDEF }", ""))
    with pytest.raises(CatalogError, match="word"):
        parse(path)


def test_catalog_requires_name_to_match_file(tmp_path):
    path = tmp_path / "other.rq"
    path.write_text(QUERY)
    with pytest.raises(CatalogError, match="must equal the file name"):
        parse(path)
