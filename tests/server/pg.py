"""A real PostgreSQL for the tests: Debian's server binaries (installed by
scripts/postgres_test_setup.sh), a throw-away cluster in a temporary folder, listening on
127.0.0.1 on a free port, run as the ``postgres`` system user when the tests run as root
(the server refuses root). Started and stopped by the ``postgres`` fixture; the fault test
stops and restarts it under a running app."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

DB = "troly"


def bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _run_as() -> dict:
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres"}


def postgres_missing() -> str | None:
    """Why a PostgreSQL cannot be started here, or None."""
    if bindir() is None:
        return "PostgreSQL không có trên máy này (scripts/postgres_test_setup.sh cài gói Debian 'postgresql')"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "chạy với quyền root nhưng không có người dùng hệ thống 'postgres' để chạy máy chủ PostgreSQL"
    return None


class PostgresServer:
    """initdb + pg_ctl start/stop on 127.0.0.1:port; ``url`` for SQLAlchemy/psycopg."""

    def __init__(self, _tmp: Path, port: int):
        self.port = port
        # outside pytest's 0700 folders, so the postgres user can reach it
        self.dir = Path(tempfile.mkdtemp(prefix="troly-pg-"))
        self.data = self.dir / "data"
        self.bin = bindir()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._pg(["initdb", "-D", str(self.data), "-U", "troly", "--auth=trust", "-E", "UTF8", "--locale=C", "-N"])
        self.started = False

    @property
    def url(self) -> str:
        return f"postgresql://troly@127.0.0.1:{self.port}/{DB}"

    def _pg(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin / args[0]), *args[1:]], check=check, capture_output=True, text=True, timeout=120, **_run_as()
        )

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        self._pg(["pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "log"), "-w", "-t", "60", "start"])
        self.started = True
        for _ in range(100):
            done = self._pg(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "troly",
                    "-d",
                    "postgres",
                    "-tAc",
                    f"SELECT 1 FROM pg_database WHERE datname = '{DB}'",
                ],
                check=False,
            )
            if done.returncode == 0:
                if done.stdout.strip() != "1":
                    self._pg(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "troly", DB])
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not accept connections")

    def fresh_url(self) -> str:
        """A URL to a new, empty database on this server."""
        self._count = getattr(self, "_count", 0) + 1
        name = f"{DB}_{self._count}"
        self._pg(["createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "troly", name])
        return f"postgresql://troly@127.0.0.1:{self.port}/{name}"

    def stop(self, remove: bool = True) -> None:
        if self.started:
            self._pg(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop"], check=False)
            self.started = False
        if remove:
            shutil.rmtree(self.dir, ignore_errors=True)

    def pause(self) -> None:
        """Stop the server, keeping its data (a database outage)."""
        self.stop(remove=False)

    def sql(self, query: str) -> str:
        return self.sql_in(DB, query)

    def sql_in(self, db: str, query: str) -> str:
        """A query's rows (psql's unaligned output) in the database named db."""
        done = self._pg(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "troly", "-d", db, "-tAc", query])
        return done.stdout.strip()
