"""Federation: another SPARQL server (`oxigraph serve`) reaches our endpoint with SERVICE."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

pytest_plugins = ["server_fixtures"]

ID = "https://w3id.org/zhongyuan-kg/id/"


@pytest.fixture
def oxigraph_server(unused_port: int) -> Iterator[str]:
    """An in-memory `oxigraph serve` on a loopback port, with one triple of its own."""
    # Beside this Python first: a virtual environment's bin/ need not be on PATH.
    executable = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    assert executable, "the oxigraph command (PyPI package oxigraph, a test dependency) is missing"
    port = unused_port
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [executable, "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "oxigraph serve did not start"
                time.sleep(0.1)
        update = (
            f'INSERT DATA {{ <{ID}city/zhengzhou> <http://example.org/population> "12600000" }}'
        )
        requests.post(
            url + "/update",
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
            timeout=5,
        ).raise_for_status()
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_service_from_oxigraph_gets_our_answer(server, oxigraph_server):
    query = f"""
        SELECT ?city ?label ?population WHERE {{
          ?city <http://example.org/population> ?population .
          SERVICE <{server.url}> {{
            ?city <http://www.w3.org/2000/01/rdf-schema#label> ?label .
            FILTER(LANG(?label) = "zh")
          }}
        }}"""
    response = requests.get(
        oxigraph_server + "/query",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=20,
    )
    assert response.status_code == 200, response.text
    rows = [
        {name: value["value"] for name, value in row.items()}
        for row in response.json()["results"]["bindings"]
    ]
    assert rows == [{"city": ID + "city/zhengzhou", "label": "郑州", "population": "12600000"}]


def test_service_from_oxigraph_sees_every_core_city(server, oxigraph_server):
    query = f"""
        SELECT ?city WHERE {{
          SERVICE <{server.url}> {{
            ?city <https://w3id.org/zhongyuan-kg/ontology#memberOf> <{ID}area/core>
          }}
        }} ORDER BY ?city"""
    response = requests.post(
        oxigraph_server + "/query",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        timeout=20,
    )
    assert response.status_code == 200, response.text
    cities = response.text.split("\r\n")[1:-1]
    assert cities == [
        ID + f"city/{slug}" for slug in ("kaifeng", "luoyang", "xinxiang", "zhengzhou")
    ]
