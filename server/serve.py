"""`zhongyuan-kg serve`: build the graph if needed, then serve it with granian (or gunicorn)."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from ..paths import dist_dir
from .settings import SETTINGS, resolve
from .store import DISK_PREFIX

BUILDER = "zhongyuan_kg.graph.build"
DATASET_NAMES = ("graph.nq", "graph.trig")
SERVERS = ("granian", "gunicorn")
DEFAULT_SERVER = "granian"
# On 2 cores: our request threads mostly wait on an evaluator's socket, so a few more threads
# than cores keep both evaluators busy (measured in bench/README.md, "Production serving").
DEFAULT_THREADS = {"granian": 8, "gunicorn": 16}


def _port(text: str) -> int:
    port = _integer(text)
    if not 0 <= port <= 65535:  # 0: any free port
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {port}")
    return port


def _at_least_one(text: str) -> int:
    count = _integer(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {count}")
    return count


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """The options of `serve`: where to listen, how many workers, and every endpoint setting."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on")
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default=DEFAULT_SERVER,
        help=f"WSGI server (default: {DEFAULT_SERVER})",
    )
    parser.add_argument(
        "--workers", type=_at_least_one, default=1, help="worker processes (each loads the store)"
    )
    parser.add_argument(
        "--threads",
        type=_at_least_one,
        default=None,
        help="request threads per worker (granian's blocking threads; default: "
        + ", ".join(f"{server} {count}" for server, count in DEFAULT_THREADS.items())
        + ")",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    for setting in SETTINGS:
        option: dict[str, Any] = {"dest": setting.name, "default": None, "help": setting.help}
        if setting.choices:
            option["choices"] = setting.choices
        parser.add_argument(setting.flag, **option)


class MissingGraph(RuntimeError):
    """No dataset to serve and no way to build one."""


def ensure_built(dist: Path) -> Path:
    """Build dist/ when it is missing or stale; return the dataset file to serve."""
    try:
        builder = importlib.import_module(BUILDER)
        is_stale, build = builder.is_stale, builder.build
    except (ImportError, AttributeError):
        builder = None
    if builder is not None and (not dist.exists() or is_stale(dist)):
        print(f"zhongyuan-kg serve: building the graph into {dist} …", file=sys.stderr)
        try:
            build(dist)
        except getattr(builder, "BuildError", RuntimeError) as error:
            raise MissingGraph(f"the build failed:\n{error}") from None
    for name in DATASET_NAMES:
        if (dist / name).exists():
            if builder is None:
                print(
                    f"zhongyuan-kg serve: cannot check that {dist} is up to date "
                    f"({BUILDER} is not available); serving it as it is",
                    file=sys.stderr,
                )
            return dist / name
    if builder is None:
        raise MissingGraph(
            f"{dist} has no graph.nq and the builder ({BUILDER}: is_stale, build) is not "
            "available yet; build the graph first or pass --dataset FILE"
        )
    raise MissingGraph(f"the build wrote no {' or '.join(DATASET_NAMES)} into {dist}")


def run(args: argparse.Namespace) -> int:
    """Resolve the settings, make sure there is a graph, and run the WSGI server until stopped."""
    overrides = {setting.name: getattr(args, setting.name, None) for setting in SETTINGS}
    try:
        if overrides["dataset"] is None:
            overrides["dataset"] = ensure_built(dist_dir())
        settings = resolve(overrides)
    except (MissingGraph, ValueError) as error:
        print(f"zhongyuan-kg serve: {error}", file=sys.stderr)
        return 2
    if not settings["dataset"].exists():
        print(f"zhongyuan-kg serve: no such dataset file: {settings['dataset']}", file=sys.stderr)
        return 2
    guard = None  # held open until the server stops: a load must not replace a served store
    if settings["store"].startswith(DISK_PREFIX):
        from .store_disk import StoreDirError, hold_while_serving  # RocksDB's module only here

        try:
            guard = hold_while_serving(Path(settings["store"][len(DISK_PREFIX) :]))
        except StoreDirError as error:
            print(f"zhongyuan-kg serve: {error}", file=sys.stderr)
            return 2
    try:
        return _serve(args, settings)
    finally:
        if guard is not None:
            guard.close()


def _serve(args: argparse.Namespace, settings: dict[str, Any]) -> int:
    threads = args.threads or DEFAULT_THREADS[args.server]
    if args.server == "granian":
        from . import granian_server  # imported only when serving

        granian_server.serve(
            settings,
            host=args.host,
            port=args.port,
            workers=args.workers,
            threads=threads,
            access_log=args.access_log,
        )
        return 0
    from .wsgi import GunicornServer

    options = {
        "bind": f"{args.host}:{args.port}",
        "workers": args.workers,
        "threads": threads,
        "worker_class": "gthread",
        # A worker is only restarted by gunicorn when it stops answering; queries end earlier.
        "timeout": int(settings["timeout"]) + 30,
        "graceful_timeout": 10,
        # gunicorn's largest finite request line (default 4094): room for GET queries of some
        # 8 KB URL-encoded; longer queries go by POST.
        "limit_request_line": 8190,
        "accesslog": "-" if args.access_log else None,
        "errorlog": "-",
    }
    GunicornServer(settings, options).run()
    return 0
