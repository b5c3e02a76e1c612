"""The zygote: a single-threaded process that loads the store once and forks evaluators from it.

Run by the pool as `python -m zhongyuan_kg.server.zygote` with its configuration as one JSON line
on stdin. Forking happens only here, where no thread exists, so every evaluator starts with a
consistent copy of the loaded store (shared copy-on-write) and no lock held by a lost thread.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import signal
import sys
from multiprocessing.connection import Client, Connection
from pathlib import Path
from typing import Any

from .evaluate import evaluate
from .store import Store, open_store

_PR_SET_PDEATHSIG = 1
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def isolate_network() -> bool:
    """Move this process into an empty network namespace, if the kernel lets us; say if it did."""
    # Defence in depth behind the policy: evaluators forked from here cannot open any
    # network connection at all (only the filesystem Unix socket to the server stays usable).
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        try:
            if _libc().unshare(flags) == 0:
                return True
        except (OSError, AttributeError):
            return False
    return False


def _evaluator(store: Store, address: str, authkey: bytes, memory_mb: int) -> None:
    """The body of a forked evaluator: answer jobs from the server until it hangs up."""
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # die with the zygote
    # A store that must not open in the zygote (an on-disk one starts threads) opens here,
    # before the address-space limit, so that the limit counts from what the open store maps.
    getattr(store, "after_fork", lambda: None)()
    if memory_mb > 0:
        _limit_address_space(memory_mb)
    connection = Client(address, family="AF_UNIX", authkey=authkey)
    connection.send(("evaluator", os.getpid(), os.getppid()))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(evaluate(store, job))


def _limit_address_space(extra_mb: int) -> None:
    status = Path("/proc/self/status").read_text()
    size_kb = int(status.split("VmSize:")[1].split()[0])
    limit = (size_kb + extra_mb * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _fork(store: Store, config: dict[str, Any], keep_closed: list[int]) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in keep_closed:
            os.close(fd)
        _evaluator(store, config["address"], bytes.fromhex(config["authkey"]), config["memory_mb"])
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _reap(children: set[int], server: Connection) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        server.send(("exited", pid, status))


def supervise(store: Store, server: Connection, config: dict[str, Any]) -> None:
    """Keep `evaluators` children alive; kill one on request; stop when the server goes away."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # only to wake select() through the pipe
    children: set[int] = set()
    keep_closed = [wake_read, wake_write, server.fileno()]
    try:
        while True:
            while len(children) < config["evaluators"]:
                children.add(_fork(store, config, keep_closed))
            ready, _, _ = select.select([server, wake_read], [], [], 5.0)
            if wake_read in ready:
                os.read(wake_read, 4096)
            _reap(children, server)
            if server in ready:
                try:
                    command, *arguments = server.recv()
                except (EOFError, OSError):
                    return
                if command == "stop":
                    return
                if command == "kill" and arguments[0] in children:
                    os.kill(arguments[0], signal.SIGKILL)
    finally:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        for pid in children:
            os.waitpid(pid, 0)


def main() -> int:
    """Load the store, greet the server with what it holds, then supervise evaluators."""
    config = json.loads(sys.stdin.readline())
    try:
        store = open_store(
            config["store"],
            Path(config["dataset"]),
            base_iri=config["base_iri"],
            prefixes=config["prefixes"],
        )
        info = store.info()
        failure = None
    except Exception as error:
        failure = f"cannot load {config['dataset']}: {type(error).__name__}: {error}"
    # Connect only now: the pool gives a new connection seconds to say who it is, and loading a
    # large graph takes longer than that.
    server = Client(config["address"], family="AF_UNIX", authkey=bytes.fromhex(config["authkey"]))
    if failure is not None:
        server.send(("failed", failure))
        return 1
    # A remote store is reached over the network, so its evaluators keep it.
    wanted = config["isolate_network"] and not getattr(store, "needs_network", False)
    isolated = isolate_network() if wanted else False
    server.send(("zygote", os.getpid(), info, isolated))
    supervise(store, server, config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
