"""Every setting of the endpoint, declared once (name, default, help) for CLI, app and docs."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..namespaces import DEFAULT_BASE, GRAPH
from ..paths import dist_dir
from .store import DISK_PREFIX

ENV_PREFIX = "ZHONGYUAN_KG_"
STORE_PREFIXES = ("http://", "https://")  # remote SPARQL endpoints (server/remote.py)


@dataclass(frozen=True)
class Setting:
    """One setting: its default, what it means, and how to read it from text."""

    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    choices: tuple[str, ...] | None = None
    least: str | None = None  # a number's lower bound: "positive" or "zero" (0 means none, off)

    @property
    def env(self) -> str:
        """The environment variable that overrides the default."""
        return ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        """The command-line option of `zhongyuan-kg serve`."""
        return "--" + self.name.replace("_", "-")


def _bool(text: str) -> bool:
    if text.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if text.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "dataset",
        None,
        "dataset file to serve (.nq, .trig, .ttl, .nt); default: dist/graph.nq",
        Path,
    ),
    Setting(
        "store",
        "oxigraph",
        "store engine: oxigraph (default, in memory), rdflib (the reference), "
        "oxigraph-disk:DIR (an on-disk database made by zhongyuan-kg load, see "
        "server/store_disk.py) or http://host:port/path (a remote SPARQL endpoint, see "
        "server/remote.py)",
    ),
    Setting(
        "timeout",
        10.0,
        "time limit of one query in seconds; the evaluator is killed after it",
        float,
        least="positive",
    ),
    Setting(
        "max_rows",
        10_000,
        "rows (or triples) a result may have; longer results are cut to it",
        int,
        least="positive",
    ),
    Setting(
        "max_body",
        256 * 1024,
        "largest request body in bytes (413 above it, chunked or not)",
        int,
        least="positive",
    ),
    Setting(
        "max_query_length", 64 * 1024, "longest query text in characters", int, least="positive"
    ),
    Setting("max_depth", 48, "deepest nesting of { ( [ in a query", int, least="positive"),
    Setting("max_binds", 256, "most BIND clauses in a query", int, least="zero"),
    Setting("max_unions", 1024, "most UNION keywords in a query", int, least="zero"),
    Setting("max_values", 64, "most VALUES blocks in a query", int, least="zero"),
    Setting(
        "max_concurrent",
        8,
        "queries in progress at once per server process (503 above it)",
        int,
        least="positive",
    ),
    Setting(
        "evaluators", 2, "evaluator processes forked from the loaded store", int, least="positive"
    ),
    Setting(
        "evaluator_memory_mb",
        2048,
        "extra address space an evaluator may use, in MiB (0: no limit)",
        int,
        least="zero",
    ),
    Setting(
        "isolate_network",
        True,
        "put evaluators in an empty network namespace when the kernel allows",
        _bool,
    ),
    Setting(
        "startup_timeout", 600.0, "seconds allowed for loading the dataset", float, least="positive"
    ),
    Setting("base_iri", DEFAULT_BASE, "base IRI for relative IRIs in queries (`<city/zhengzhou>`)"),
    Setting(
        "graph_namespace",
        str(GRAPH),
        "IRIs of graphs that FROM and the dataset parameters may name",
    ),
    Setting("inference", True, "whether the default graph includes the inferences graph", _bool),
    Setting(
        "cache_mb",
        64.0,
        "response cache per worker in MiB (0: off); see server/cache.py",
        float,
        least="zero",
    ),
    Setting(
        "rate_limit",
        0.0,
        "requests a second per client address (token bucket; 0: no limit)",
        float,
        least="zero",
    ),
    Setting(
        "rate_burst",
        20,
        "requests a client may send at once before the rate limit applies",
        int,
        least="positive",
    ),
)
BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def resolve(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Defaults, then ZHONGYUAN_KG_* environment variables, then explicit overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value = setting.default
        if setting.env in environ:
            value = _parsed(setting, environ[setting.env])
        values[setting.name] = value
    for name, value in (overrides or {}).items():
        if name not in BY_NAME:
            raise KeyError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = _parsed(BY_NAME[name], value) if isinstance(value, str) else value
    if values["dataset"] is None:
        values["dataset"] = dist_dir() / "graph.nq"
    values["dataset"] = Path(values["dataset"])
    _validate(values)
    return values


_KINDS = {int: "an integer", float: "a number", _bool: "true or false"}


def _parsed(setting: Setting, text: str) -> Any:
    """A setting's value read from text, or a ValueError naming the setting."""
    try:
        return setting.parse(text)
    except ValueError:
        kind = _KINDS.get(setting.parse, "a valid value")
        raise ValueError(f"{setting.name}: {text!r} is not {kind}") from None


def _validate(values: dict[str, Any]) -> None:
    for setting in SETTINGS:
        if setting.choices and values[setting.name] not in setting.choices:
            raise ValueError(f"{setting.name} must be one of {', '.join(setting.choices)}")
    store = values["store"]
    if store.startswith(DISK_PREFIX):
        _check_disk_store(values)
    elif store not in ("oxigraph", "rdflib") and not (
        store.startswith(STORE_PREFIXES) and urlsplit(store).hostname
    ):
        raise ValueError(
            "store must be one of oxigraph, rdflib, oxigraph-disk:DIR or an http(s):// SPARQL URL"
        )
    for setting in SETTINGS:
        if setting.least is None:
            continue
        name, value = setting.name, values[setting.name]
        if not math.isfinite(value):  # float("nan") and "inf" parse, and compare false
            raise ValueError(f"{name} must be a finite number, not {value}")
        if setting.least == "positive" and value <= 0:
            raise ValueError(f"{name} must be positive")
        if value < 0:
            raise ValueError(f"{name} must not be negative")


def _check_disk_store(values: dict[str, Any]) -> None:
    # Refused here, before any server starts, when missing, unreadable or from another build;
    # the directory is made absolute because the zygote resolves it later.
    from .store_disk import read_meta

    directory = Path(values["store"][len(DISK_PREFIX) :]).expanduser().resolve()
    read_meta(directory, values["dataset"])
    values["store"] = DISK_PREFIX + str(directory)
