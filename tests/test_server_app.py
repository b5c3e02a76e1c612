"""The application factory, settings, `sparql_response` for other blueprints, and clean shutdown."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import Blueprint
from rdflib import BNode, URIRef

from zhongyuan_kg.server.app import BLUEPRINTS, EXTENSION
from zhongyuan_kg.server.protocol import sparql_response
from zhongyuan_kg.server.settings import SETTINGS, resolve

pytest_plugins = ["server_fixtures"]

README = Path(__file__).parent.parent / "server" / "README.md"
LUOYANG = URIRef("https://w3id.org/zhongyuan-kg/id/city/luoyang")


def test_every_listed_blueprint_is_registered(app):
    assert BLUEPRINTS[:2] == ["zhongyuan_kg.server.protocol", "zhongyuan_kg.server.description"]
    assert set(app.blueprints) >= {"sparql", "description"}
    assert len(app.blueprints) == len(BLUEPRINTS)
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/sparql", "/.well-known/void", "/static/<path:filename>"} <= routes


def test_settings_come_from_defaults_environment_and_overrides():
    values = resolve({"max_rows": "50"}, environ={"ZHONGYUAN_KG_TIMEOUT": "2.5"})
    assert (values["timeout"], values["max_rows"], values["store"]) == (2.5, 50, "oxigraph")
    assert values["dataset"].name == "graph.nq"
    with pytest.raises(KeyError):
        resolve({"no_such_setting": 1})
    with pytest.raises(ValueError, match="store must be one of oxigraph, rdflib"):
        resolve({"store": "virtuoso"})
    with pytest.raises(ValueError, match="timeout must be positive"):
        resolve({"timeout": 0})


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"timeout": "nan"}, "timeout must be a finite number, not nan"),
        ({"startup_timeout": "inf"}, "startup_timeout must be a finite number, not inf"),
        ({"rate_limit": "nan"}, "rate_limit must be a finite number, not nan"),
        ({"cache_mb": "-5"}, "cache_mb must not be negative"),
        ({"max_depth": "0"}, "max_depth must be positive"),
        ({"max_body": "abc"}, "max_body: 'abc' is not an integer"),
        ({"timeout": "soon"}, "timeout: 'soon' is not a number"),
        ({"inference": "maybe"}, "inference: 'maybe' is not true or false"),
        ({"store": "http://"}, "store must be one of"),
        ({"store": "https:///sparql"}, "store must be one of"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_naming_it(overrides, says):
    # NaN compares false with everything: `timeout nan` passed the positive check and served.
    with pytest.raises(ValueError, match=re.escape(says)):
        resolve(overrides)


def test_every_number_setting_declares_its_lower_bound():
    numbers = [setting for setting in SETTINGS if setting.parse in (int, float)]
    assert len(numbers) == 15
    assert {setting.least for setting in numbers} == {"positive", "zero"}


def test_zero_means_off_where_it_can():
    values = resolve({"cache_mb": "0", "rate_limit": "0", "evaluator_memory_mb": "0"})
    assert (values["cache_mb"], values["rate_limit"], values["evaluator_memory_mb"]) == (0, 0, 0)


def test_every_setting_is_documented():
    text = README.read_text(encoding="utf-8")
    missing = [setting.flag for setting in SETTINGS if f"`{setting.flag}`" not in text]
    assert missing == []
    assert all(f"`{setting.env}`" in text for setting in SETTINGS)


def _city_labels():
    # What a saved-query blueprint does: a query text and typed parameters.
    query = "SELECT ?label WHERE { ?city rdfs:label ?label } ORDER BY ?label"
    return sparql_response(query, {"city": LUOYANG})


def test_sparql_response_answers_like_the_endpoint(test_dataset):
    from zhongyuan_kg.server import create_app

    app = create_app({"dataset": test_dataset, "evaluators": 1})
    extra = Blueprint("extra", __name__)
    extra.add_url_rule("/labels", view_func=_city_labels)
    extra.add_url_rule("/broken", "broken", view_func=lambda: sparql_response("SELECT * WHERE {"))
    extra.add_url_rule(
        "/bnode", "bnode", view_func=lambda: sparql_response("ASK {}", {"x": BNode()})
    )
    app.register_blueprint(extra)
    try:
        client = app.test_client()
        csv = client.get("/labels?format=csv")
        assert csv.status_code == 200
        assert csv.get_data(as_text=True) == "label\r\nLuoyang\r\n洛阳\r\n"
        assert csv.headers["Access-Control-Allow-Origin"] == "*"
        as_json = client.get("/labels", headers={"Accept": "application/sparql-results+json"})
        labels = [b["label"]["value"] for b in as_json.get_json()["results"]["bindings"]]
        assert labels == ["Luoyang", "洛阳"]
        assert client.get("/labels", headers={"Accept": "image/png"}).status_code == 406
        without_inferences = client.get("/labels?inference=false&format=tsv")
        assert without_inferences.get_data(as_text=True) == '?label\n"Luoyang"@en\n"洛阳"@zh\n'
        broken = client.get("/broken", headers={"Accept": "application/json"})
        assert (broken.status_code, broken.get_json()["error"]["code"]) == (400, "syntax-error")
        bnode = client.get("/bnode")
        assert (bnode.status_code, bnode.get_data(as_text=True)) == (
            400,
            "400 bad-binding: cannot bind a blank node in VALUES\n",
        )
    finally:
        app.extensions[EXTENSION].close()


def test_errors_have_one_shape(client):
    missing = client.get("/nowhere", headers={"Accept": "application/json"})
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not-found"
    text = client.get("/nowhere")
    assert text.mimetype == "text/plain" and text.get_data(as_text=True).startswith(
        "404 not-found: "
    )


def test_head_and_options(client):
    head = client.head("/sparql?query=ASK%7B%7D")
    assert (head.status_code, head.get_data()) == (200, b"")
    options = client.options("/sparql")
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_closing_the_app_ends_zygote_and_evaluators(test_dataset):
    from zhongyuan_kg.server import create_app

    app = create_app({"dataset": test_dataset, "evaluators": 2})
    endpoint = app.extensions[EXTENSION]
    info = endpoint.pool.start()
    assert (
        info.kind == "oxigraph" and info.graphs["https://w3id.org/zhongyuan-kg/graph/facts"] == 26
    )
    assert isinstance(endpoint.pool.isolated, bool)
    assert app.test_client().get("/sparql?query=ASK%7B%7D").get_json()["boolean"] is True
    zygote = endpoint.pool._zygote.pid
    children = Path(f"/proc/{zygote}/task/{zygote}/children").read_text().split()
    assert len(children) == 2  # forked before the zygote waits for anything
    # Forking is safe because the zygote has one thread, even with the store loaded.
    status = Path(f"/proc/{zygote}/status").read_text()
    assert "\nThreads:\t1\n" in status
    endpoint.close()
    for pid in [zygote, *map(int, children)]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_dead_zygote_is_replaced(app, caplog):
    client = app.test_client()
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    pool = app.extensions[EXTENSION].pool
    first = pool._zygote.pid
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while pool._zygote.pid == first and time.monotonic() < deadline:
        time.sleep(0.05)
    again = client.get("/sparql?query=ASK%7B%7D")
    assert again.get_json() == {"head": {}, "boolean": True}, again.get_data(as_text=True)
    assert pool._zygote.pid != first
    assert "the zygote died; starting a new one" in caplog.text


@pytest.mark.parametrize(
    ("option", "says"),
    [
        (["--port", "99999"], "argument --port: a port is 0 to 65535, not 99999"),
        (["--port", "x"], "argument --port: not an integer: 'x'"),
        (["--workers", "0"], "argument --workers: at least 1, not 0"),
        (["--threads", "-2"], "argument --threads: at least 1, not -2"),
        (["--timeout", "nan"], "timeout must be a finite number, not nan"),
    ],
)
def test_serve_refuses_options_that_cannot_work(tmp_path, option, says):
    # --port 99999 was a traceback from granian; --workers 0 and --timeout nan served.
    command = [sys.executable, "-m", "zhongyuan_kg.cli", "serve"]
    done = subprocess.run(
        [*command, "--dataset", str(tmp_path / "x.nq"), *option],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_a_missing_dataset(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "zhongyuan_kg.cli", "serve", "--dataset", str(tmp_path / "no.nq")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"no such dataset file: {tmp_path / 'no.nq'}" in done.stderr
