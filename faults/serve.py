"""Serving a portal checkout the way production does, and running its commands.

A ``Checkout`` is a directory with the portal's code (``portal/``, ``plugins/``,
``setup.cfg``). Its code is imported through ``PYTHONPATH``: the venv's
editable install appends its finder after the normal path search, so the
checkout on ``PYTHONPATH`` wins and one venv serves the old and the new code.

A ``Server`` is gunicorn with two gthread workers of four threads on
127.0.0.1, ``PORTAL_ENV=production``, a database URL and an instance folder of
its own. It is ready once ``/health`` gives any HTTP answer (a portal whose
health check fails is still serving).
"""

import configparser
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import psycopg2

HOST = "127.0.0.1"  # every server and client of the suite stays on this machine
VENV_BIN = Path(sys.executable).parent
# Long enough for production's check (32 characters), random per suite run.
SECRET_KEY = "faults-" + secrets.token_hex(24)
# A service's usual umask: the file modes scenario reports what the portal itself sets.
UMASK = 0o022


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Checkout:
    """The code under test."""

    def __init__(self, path):
        self.path = Path(path).resolve()
        if not (self.path / "portal" / "__init__.py").exists():
            raise SystemExit(f"--portal {path}: no portal/ package there")
        self.plugins = self._plugin_slugs()
        self._help = {}

    def _plugin_slugs(self):
        # Only the checkout's own plugins, as in production: the developer venv also
        # has the test suite's example plugin installed. Their entry points are in
        # setup.cfg or pyproject.toml, depending on the version; failing both, each
        # folder under plugins/ is one.
        group = "veiligheidsportaal.plugins"
        cfg = configparser.ConfigParser()
        cfg.read(self.path / "setup.cfg")
        raw = cfg.get("options.entry_points", group, fallback="")
        slugs = [line.split("=")[0].strip() for line in raw.splitlines() if "=" in line]
        if not slugs and (self.path / "pyproject.toml").exists():
            data = tomllib.loads((self.path / "pyproject.toml").read_text())
            slugs = list(data.get("project", {}).get("entry-points", {}).get(group, {}))
        if not slugs:
            slugs = sorted(p.parent.name for p in (self.path / "plugins").glob("*/__init__.py"))
        return tuple(slugs)

    def source_mentions(self, text):
        """Whether ``text`` occurs in the checkout's core code (e.g. a new setting's name)."""
        for path in (self.path / "portal").rglob("*.py"):
            if text in path.read_text(errors="replace"):
                return True
        return False

    def env(self, instance, database_url, **extra):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PORTAL_", "SMTP_", "MAIL_", "FLASK_"))
            and k not in ("DATABASE_URL", "SECRET_KEY", "PYTHONPATH")
        }
        env.update(
            {
                "PYTHONPATH": str(self.path),
                # The checkout may be the live tree others work in: leave no __pycache__ there.
                "PYTHONDONTWRITEBYTECODE": "1",
                "PORTAL_INSTANCE_PATH": str(instance.path),
                "DATABASE_URL": database_url,
                "PORTAL_ENV": "production",
                "SECRET_KEY": SECRET_KEY,
                # Production requires an https PORTAL_URL (links in mail) and then refuses
                # other hosts; the suite talks plain HTTP to 127.0.0.1.
                "PORTAL_URL": "https://127.0.0.1",
                # The demo's staff have no second factor: the deliberate opt-out `make run`
                # uses too (a real deployment never sets it; production logs a warning).
                "PORTAL_REQUIRE_MFA": "0",
            }
        )
        for key, value in extra.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = str(value)
        return env

    def flask_cmd(self, args):
        return [str(VENV_BIN / "flask"), "--app", "portal", *args]

    def flask(self, args, env, timeout=120, check=True):
        """Run ``flask --app portal ARGS``; return the CompletedProcess."""
        proc = subprocess.run(
            self.flask_cmd(args),
            cwd=self.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            umask=UMASK,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"flask {' '.join(args)} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}"
            )
        return proc

    def flask_popen(self, args, env, log_path):
        log = open(log_path, "w")  # noqa: SIM115 (closed by stop_process)
        proc = subprocess.Popen(
            self.flask_cmd(args),
            cwd=self.path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=UMASK,
        )
        proc.log_file = log
        return proc

    def has_command(self, env, *words):
        """Whether ``flask --app portal WORDS…`` exists in this checkout (e.g. 'outbox', 'work')."""
        *group, name = words
        key = tuple(group)
        if key not in self._help:
            proc = self.flask([*group, "--help"], env, timeout=60, check=False)
            self._help[key] = proc.stdout if proc.returncode == 0 else ""
        commands = self._help[key].split("Commands:", 1)[-1] if "Commands:" in self._help[key] else ""
        return any(line.split()[:1] == [name] for line in commands.splitlines())

    def command_help(self, env, *words):
        proc = self.flask([*words, "--help"], env, timeout=60, check=False)
        return proc.stdout if proc.returncode == 0 else ""


class Instance:
    """An instance folder with its own config.py (settings that have no environment variable)."""

    def __init__(self, root, checkout, **config):
        self.path = Path(root)
        self.path.mkdir(parents=True, exist_ok=True)
        self.config = {"PORTAL_PLUGINS": checkout.plugins, **config}
        lines = ["# Written by the fault-injection suite for one run."]
        lines += [f"{key} = {value!r}" for key, value in self.config.items()]
        (self.path / "config.py").write_text("\n".join(lines) + "\n")

    @property
    def sqlite_path(self):
        return self.path / "portal.sqlite3"


# ---------------------------------------------------------------- databases ----


class SQLite:
    name = "sqlite"

    def fresh(self, instance, tag):
        for suffix in ("", "-wal", "-shm"):
            p = Path(f"{instance.sqlite_path}{suffix}")
            if p.exists():
                p.unlink()
        return f"sqlite:///{instance.sqlite_path}"

    def drop(self, url):
        pass


class Postgres:
    """Databases named faults_<tag> on a server the suite may use (never the database 'test')."""

    name = "postgres"

    def __init__(self, admin_url):
        self.admin_url = admin_url  # e.g. postgresql://postgres@127.0.0.1:5432/postgres

    def _base(self):
        return self.admin_url.rsplit("/", 1)[0]

    def _admin(self):
        conn = psycopg2.connect(self.admin_url)
        conn.autocommit = True
        return conn

    def fresh(self, instance, tag):
        name = f"faults_{tag}".replace("-", "_")
        assert name != "test" and name.startswith("faults_")
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return f"{self._base()}/{name}"

    def drop(self, url):
        name = url.rsplit("/", 1)[1]
        if not name.startswith("faults_"):
            return
        conn = self._admin()
        try:
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            conn.close()


# ------------------------------------------------------------------- server ----


class ServerGone(RuntimeError):
    pass


class Server:
    """gunicorn serving a checkout; start(), stop(), kill_worker(), kill(), restart()."""

    def __init__(self, checkout, env, logdir, name, workers=2, threads=4, port=None):
        self.checkout = checkout
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = port or free_port()
        self.log_path = Path(logdir) / f"gunicorn-{name}.log"
        self.proc = None
        self._log = None

    def _cmd(self):
        return [
            str(VENV_BIN / "gunicorn"),
            "--chdir",
            str(self.checkout.path),
            "-w",
            str(self.workers),
            "-k",
            "gthread",
            "--threads",
            str(self.threads),
            "-b",
            f"{HOST}:{self.port}",
            "--log-level",
            "info",
            "--graceful-timeout",
            "5",
            # Every gunicorn on the machine would share one control socket in ~/.gunicorn;
            # the suite's servers must not take it over from anyone else's.
            "--no-control-socket",
            "portal:create_app()",
        ]

    def start(self, timeout=60):
        self._log = open(self.log_path, "a")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            self._cmd(),
            cwd=self.checkout.path,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=UMASK,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerGone(f"gunicorn stopped while starting:\n{self.log_tail()}")
            if self.answers():
                return
            time.sleep(0.2)
        self.stop()
        raise ServerGone(f"gunicorn did not answer /health within {timeout} s:\n{self.log_tail()}")

    def answers(self, path="/health"):
        """Any HTTP answer at all (a failing health check is still an answer)."""
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return True
        except (OSError, http.client.HTTPException):
            return False

    def worker_pids(self):
        if self.proc is None or self.proc.poll() is not None:
            return []
        pids = []
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids.extend(int(p) for p in children)
        return pids

    def kill_worker(self):
        """kill -9 one worker (the master starts a new one); return its pid."""
        pids = self.worker_pids()
        if not pids:
            return None
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def kill(self):
        """kill -9 the master and every worker at once (a crash, an OOM kill)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def restart(self, timeout=60):
        self.stop()
        return self.start(timeout)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, n=3000):
        return self.log_text()[-n:]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def stop_process(proc, timeout=10):
    """SIGTERM a process group the suite started, then SIGKILL if it does not go."""
    try:
        if proc.poll() is not None:
            return proc.returncode
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass
    finally:
        if getattr(proc, "log_file", None) is not None:
            proc.log_file.close()
    return proc.returncode


def copy_tree(src, dst):
    shutil.copytree(src, dst, dirs_exist_ok=True)
