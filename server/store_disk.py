"""The on-disk store: an Oxigraph (RocksDB) database that `zhongyuan-kg load` writes once.

A store directory holds the database (`oxigraph/`) and `store.json`: what was loaded (graph
sizes, whether the store's own default graph is empty) and from which build, so a directory
loaded from another build is refused. RocksDB starts threads when it opens, and the zygote
forks evaluators, so the zygote never opens the database: it answers `info()` from store.json,
checks that the database opens in a short-lived child, and each evaluator opens it read-only
after the fork (`after_fork`).

`zhongyuan-kg serve` holds a shared lock on `serving.lock` in the directory while it runs, and
`load` takes it exclusively, so neither can replace or serve a directory the other is using.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .store import StoreInfo
from .store_oxigraph import FILE_FORMATS, OxigraphQueries, every_graph

FORMAT = 1  # of store.json; another number means a directory made by another version
META = "store.json"
DATABASE = "oxigraph"
_META_KEYS = ("source", "dataset", "loaded", "graphs", "triples", "default_graph_empty")
SERVING_LOCK = "serving.lock"
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class StoreDirError(ValueError):
    """A store directory that is missing, unreadable or loaded from another build."""


def source_id(dataset: Path) -> str:
    """What identifies the dataset's build: build.json beside it (else its mtime), and its size."""
    digest = hashlib.sha256()
    record = dataset.parent / "build.json"
    if record.exists():
        digest.update(record.read_bytes())
    else:
        digest.update(str(dataset.stat().st_mtime_ns).encode())
    digest.update(b"\x00" + str(dataset.stat().st_size).encode())
    return digest.hexdigest()[:16]


def _reload_hint(directory: Path, dataset: Path) -> str:
    return f"zhongyuan-kg load --store oxigraph-disk:{directory} --dataset {dataset}"


def read_meta(directory: Path, dataset: Path) -> dict[str, Any]:
    """The metadata of a store directory loaded from this dataset's build, or StoreDirError."""
    hint = _reload_hint(directory, dataset)
    if not directory.is_dir():
        raise StoreDirError(f"no store directory {directory}: make it with {hint}")
    meta_file, database = directory / META, directory / DATABASE
    if not meta_file.is_file() or not (database / "CURRENT").is_file():
        raise StoreDirError(
            f"{directory} is not a store made by zhongyuan-kg load ({META} and {DATABASE}/ "
            f"expected): make it with {hint}"
        )
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        known = meta["format"] == FORMAT and isinstance(meta["graphs"], dict)
        missing = [key for key in _META_KEYS if key not in meta]
        if known and missing:
            raise KeyError(", ".join(missing))
    except (ValueError, KeyError, TypeError) as error:
        raise StoreDirError(f"{meta_file} is unreadable ({error}): reload with {hint}") from None
    if not known:
        raise StoreDirError(f"{directory} was made by another version: reload with {hint}")
    if not dataset.exists():
        raise StoreDirError(f"no dataset {dataset} to check {directory} against")
    if meta["source"] != source_id(dataset):
        raise StoreDirError(
            f"{directory} is stale: it was loaded from another build ({meta['dataset']}, "
            f"loaded {meta['loaded']}) than {dataset}: reload with {hint}"
        )
    return meta


def check_opens(directory: Path, graphs: set[str]) -> None:
    """Open the database read-only in a short-lived child and compare its graphs; StoreDirError.

    A child, so that RocksDB's threads never start in the calling process (the zygote).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        problem = b""
        try:
            found = {g.value for g in ox.Store.read_only(str(directory / DATABASE)).named_graphs()}
            if found != graphs:
                problem = f"it holds graphs {sorted(found)}, {META} says {sorted(graphs)}".encode()
        except BaseException as error:  # anything, as long as the child exits and says it
            problem = f"{type(error).__name__}: {error}".encode()
        os.write(write_end, problem[:4000])
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        problem = answer.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    if problem or status != 0:
        raise StoreDirError(f"the database in {directory} does not open: {problem or status}")


class DiskStore(OxigraphQueries):
    """An on-disk Oxigraph store, opened read-only by each process that queries it."""

    kind = "oxigraph-disk"

    def __init__(
        self, directory: Path, dataset: Path, *, base_iri: str, prefixes: dict[str, str]
    ) -> None:
        self.base_iri, self.prefixes = base_iri, prefixes
        self.directory = directory
        self.meta = read_meta(directory, dataset)
        check_opens(directory, set(self.meta["graphs"]))
        named = frozenset(self.meta["graphs"])
        self._every_graph = named if self.meta["default_graph_empty"] else None
        self._store: ox.Store | None = None

    @property
    def store(self) -> ox.Store:  # type: ignore[override]  # opened on first use
        """The read-only database, opened on first use in this process."""
        if self._store is None:
            self._store = ox.Store.read_only(str(self.directory / DATABASE))
        return self._store

    def after_fork(self) -> None:
        """Open the database now, in the forked evaluator, so the first query is not slower."""
        _ = self.store

    def info(self) -> StoreInfo:
        """The named graphs and sizes recorded at load time."""
        graphs = {name: int(size) for name, size in sorted(self.meta["graphs"].items())}
        return StoreInfo(self.kind, graphs, int(self.meta["triples"]))


def _lock(directory: Path, mode: int) -> IO[bytes]:
    # flock, not a pid file: the kernel drops it when the holder dies, however it dies.
    handle = (directory / SERVING_LOCK).open("ab")
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
    except BaseException:
        handle.close()
        raise
    return handle


def hold_while_serving(directory: Path) -> IO[bytes] | None:
    """A shared lock on a store directory, kept open by `serve` until it stops.

    None if the directory is read-only (nothing can load into it then either).
    """
    try:
        return _lock(directory, fcntl.LOCK_SH)
    except BlockingIOError:
        raise StoreDirError(
            f"{directory} is being loaded: serve it when zhongyuan-kg load has finished"
        ) from None
    except PermissionError:
        return None


def _hold_for_loading(directory: Path) -> IO[bytes] | None:
    if not (directory / META).exists():
        return None  # a new directory: nobody serves it
    try:
        return _lock(directory, fcntl.LOCK_EX)
    except BlockingIOError:
        raise StoreDirError(
            f"{directory} is being served: stop zhongyuan-kg serve first, or load into another "
            "directory and serve that"
        ) from None


def _disk_bytes(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def load_directory(directory: Path, dataset: Path) -> dict[str, Any]:
    """Bulk-load a dataset file into a new store directory (replacing an older one); its meta."""
    if directory.exists() and any(directory.iterdir()) and not (directory / META).exists():
        raise StoreDirError(f"{directory} exists and is not a store directory: choose another")
    if dataset.suffix not in FILE_FORMATS:
        raise StoreDirError(f"{dataset}: not one of {', '.join(FILE_FORMATS)}")
    guard = _hold_for_loading(directory)
    try:
        return _load_and_swap(directory, dataset)
    finally:
        if guard is not None:
            guard.close()


def _load_and_swap(directory: Path, dataset: Path) -> dict[str, Any]:
    start = time.perf_counter()
    # Load beside it and swap in at the end: a failed load leaves the old directory whole.
    partial = directory.with_name(f".{directory.name}.loading-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        meta = _bulk_load(partial, dataset)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    meta["load_seconds"] = round(time.perf_counter() - start, 2)
    meta["bytes"] = _disk_bytes(partial)
    (partial / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
    if directory.exists():
        directory.rename(old)
    partial.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return meta


def _bulk_load(partial: Path, dataset: Path) -> dict[str, Any]:
    database = ox.Store(str(partial / DATABASE))
    database.bulk_load(path=str(dataset), format=FILE_FORMATS[dataset.suffix])
    # Compacted files: at x100 twice the disk, queries 1.6-2x faster (bench/README.md).
    database.optimize()
    graphs = {str(row["g"].value): int(row["n"].value) for row in database.query(_GRAPH_SIZES)}
    meta = {
        "format": FORMAT,
        "pyoxigraph": ox.__version__,
        "dataset": str(dataset.resolve()),
        "source": source_id(dataset),
        "loaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "graphs": dict(sorted(graphs.items())),
        "triples": len(database),
        "default_graph_empty": every_graph(database) is not None,
    }
    return meta  # the database closes as this frame drops it, before the directory moves
