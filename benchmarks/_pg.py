"""A throwaway PostgreSQL cluster on loopback for the benchmarks, started the way .ci/run does:
initdb in a folder under /tmp, pg_ctl start on a free port, no fsync. The folder is kept between
runs as a cache of built projects (``keep=True``) or removed at the end."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def cluster(folder: Path, keep: bool = True) -> Iterator[str]:
    """Yield the URL of a server whose data lives in ``folder`` (created when missing)."""
    bindir = _bindir()
    folder.mkdir(parents=True, exist_ok=True)
    as_pg: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(folder, "postgres")
        as_pg = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    if not data.exists():
        subprocess.run([*as_pg, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True)
    port = _free_port()
    opts = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB "
            "-c work_mem=32MB -c max_wal_size=4GB")
    subprocess.run([*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-l",
                    str(folder / "server.log"), "-w", "-t", "120", "start", "-o", opts],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def database(url: str, name: str) -> str:
    """The URL of database ``name`` on the server at ``url``."""
    return url.rsplit("/", 1)[0] + "/" + name


def create_database(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    return database(url, name)


def has_database(url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        return c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() \
            is not None
