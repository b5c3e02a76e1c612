"""A store that takes longer to load than a connection may stay silent still starts."""

from __future__ import annotations

import time

from zhongyuan_kg.graph.build import BuildReport
from zhongyuan_kg.queries.local import DATASET_FILE
from zhongyuan_kg.server import create_app, pool
from zhongyuan_kg.server.app import EXTENSION


def test_a_load_longer_than_the_greeting_wait_starts(built: BuildReport, monkeypatch):
    # The pool drops a connection that has not said who it is within _HELLO_WAIT; the zygote
    # connects only once its store is loaded, so a slow load cannot run into that wait.
    monkeypatch.setattr(pool, "_HELLO_WAIT", 0.01)
    app = create_app({"dataset": built.dist / DATASET_FILE, "evaluators": 1})
    found = app.extensions[EXTENSION]
    started = time.monotonic()
    try:
        info = found.pool.start()
        assert time.monotonic() - started > 0.01  # loading the real graph takes longer
        assert info.triples == sum(built.triples.values())
        # The plan's 30 cities: the members of the core development and linked radiation areas.
        answer = app.test_client().get(
            "/sparql",
            query_string={
                "query": "SELECT (COUNT(DISTINCT ?city) AS ?n) { "
                "{ ?area a zy:CoreDevelopmentArea } UNION { ?area a zy:LinkedRadiationArea } "
                "?area zy:hasMember ?city }",
                "format": "json",
            },
        )
        assert answer.get_json()["results"]["bindings"][0]["n"]["value"] == "30"
    finally:
        found.pool.close()
