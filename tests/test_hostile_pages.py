"""XSS through the data: a label holding markup is shown escaped on every HTML page showing it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from server_fixtures import LiveServer, write_test_dataset

pytest_plugins = ["server_fixtures"]

SCRIPT = "<script>alert('label')</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
EVIL = "https://w3id.org/zhongyuan-kg/id/city/evil"
FACTS = "https://w3id.org/zhongyuan-kg/graph/facts"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def tainted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The test dataset plus a city whose labels are markup."""
    dataset = write_test_dataset(tmp_path_factory.mktemp("tainted"))
    quads = [
        f"<{EVIL}> <{TYPE}> <https://w3id.org/zhongyuan-kg/ontology#City> <{FACTS}> .",
        f'<{EVIL}> <{LABEL}> "{SCRIPT}"@zh <{FACTS}> .',
        f'<{EVIL}> <{LABEL}> "{IMAGE.replace(chr(34), chr(92) + chr(34))}"@en <{FACTS}> .',
        f"<{EVIL}> <https://w3id.org/zhongyuan-kg/ontology#memberOf> "
        f"<https://w3id.org/zhongyuan-kg/id/area/core> <{FACTS}> .",
    ]
    with dataset.open("a", encoding="utf-8") as file:
        file.write("\n".join(quads) + "\n")
    live = LiveServer(dataset, timeout=3, evaluators=1)
    yield live
    live.stop()


def test_the_markup_is_really_in_the_graph(tainted):
    query = f"SELECT ?l WHERE {{ <{EVIL}> rdfs:label ?l }} ORDER BY ?l"
    rows = requests.get(tainted.url, params={"query": query}, timeout=10).json()
    assert sorted(row["l"]["value"] for row in rows["results"]["bindings"]) == sorted(
        [SCRIPT, IMAGE]
    )


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/id/city/evil", {}),
        ("/id/city/evil", {"lang": "en"}),
        ("/id/area/core", {}),
        ("/search", {"q": "script"}),
        ("/search", {"q": "img"}),
        ("/", {}),
    ],
)
def test_labels_with_markup_are_escaped(tainted, path, params):
    response = requests.get(
        tainted.root + path, params=params, headers={"Accept": "text/html"}, timeout=10
    )
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/html")
    assert SCRIPT not in response.text and "<img src=x" not in response.text
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("path", "params"), [("/id/city/evil", {}), ("/search", {"q": "script"})])
def test_the_label_is_shown_as_text(tainted, path, params):
    page = requests.get(
        tainted.root + path, params=params, headers={"Accept": "text/html"}, timeout=10
    )
    assert "&lt;script&gt;alert(" in page.text
