"""A throwaway PostgreSQL cluster that the suite may stop and start (the shared one never).

initdb runs as the ``postgres`` OS user (PostgreSQL refuses to run as root) into a
folder of its own under /tmp; the cluster listens on 127.0.0.1 and a socket in
that folder, on a free port, with trust authentication.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

import psycopg2

from .serve import HOST
from .serve import free_port


def _bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)")
    return os.path.dirname(found[-1])


class Cluster:
    def __init__(self, port=None):
        self.bindir = _bindir()
        self.port = port or free_port()
        self.root = tempfile.mkdtemp(prefix="faults-pg-")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "postgres.log")
        owner = pwd.getpwnam("postgres")
        os.chown(self.root, owner.pw_uid, owner.pw_gid)
        os.chmod(self.root, 0o700)

    def _as_postgres(self, *args, timeout=60):
        cmd = ["runuser", "-u", "postgres", "--", os.path.join(self.bindir, args[0]), *args[1:]]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True, cwd=self.root)

    def init(self):
        self._as_postgres(
            "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", timeout=120
        )
        return self

    def start(self):
        opts = f"-p {self.port} -k {self.root} -c listen_addresses={HOST} -c fsync=off"
        self._as_postgres("pg_ctl", "-D", self.data, "-l", self.log, "-o", opts, "-w", "start")

    def stop(self, mode="fast"):
        self._as_postgres("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, name):
        return f"postgresql://postgres@{HOST}:{self.port}/{name}"

    def create_database(self, name):
        conn = psycopg2.connect(self.url("postgres"))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()

    def wait_up(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                psycopg2.connect(self.url("postgres"), connect_timeout=2).close()
                return True
            except psycopg2.OperationalError:
                time.sleep(0.2)
        return False

    def destroy(self):
        try:
            self.stop(mode="immediate")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.init()

    def __exit__(self, *exc):
        self.destroy()
