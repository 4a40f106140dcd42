"""What every scenario gets: the checkout, a work folder, the databases, and a way to make a
site (instance folder + fresh database + ``init-db``) and serve it."""

import shutil
import subprocess
from pathlib import Path

from . import count
from .serve import Instance
from .serve import Postgres
from .serve import Server
from .serve import SQLite

# A complaint scenario plays many parents from one address (127.0.0.1): the per-address
# limit would refuse most of them, and that limit is not what is measured there.
MANY_PARENTS = {"THROTTLE_FREE_ATTEMPTS": 1_000_000}


class Given:
    """A database made by the scenario itself: nothing to make or drop here."""

    def __init__(self, name):
        self.name = name

    def drop(self, url):
        pass


class Site:
    """One instance folder and one database, set up with the checkout's ``init-db``."""

    def __init__(self, ctx, backend, tag, instance, url):
        self.ctx = ctx
        self.backend = backend
        self.tag = tag
        self.instance = instance
        self.url = url
        self.servers = []

    def env(self, **extra):
        return self.ctx.checkout.env(self.instance, self.url, **extra)

    def flask(self, *args, env=None, **kw):
        return self.ctx.checkout.flask(list(args), env or self.env(), **kw)

    def db(self):
        return count.DB(self.url)

    def serve(self, name="", port=None, workers=2, threads=4, **extra_env):
        server = Server(
            self.ctx.checkout,
            self.env(**extra_env),
            self.ctx.logdir,
            f"{self.tag}-{self.backend.name}{'-' + name if name else ''}",
            workers=workers,
            threads=threads,
            port=port,
        )
        self.servers.append(server)
        return server.start()

    def close(self):
        for s in self.servers:
            s.stop()
        if not self.ctx.keep:
            self.backend.drop(self.url)


class Context:
    def __init__(self, checkout, workdir, logdir, args):
        self.checkout = checkout
        self.workdir = Path(workdir)
        self.logdir = Path(logdir)
        self.args = args
        self.keep = args.keep
        self.repo = Path(args.history).resolve()
        # Where the faults package itself lives (helpers run as python -m faults.…).
        self.suite_root = Path(__file__).resolve().parent.parent
        self.backends = {"sqlite": SQLite(), "postgres": Postgres(args.pg)}

    def site(self, backend_name, tag, demo=True, url=None, **config):
        """A fresh instance + database; ``init-db`` (with ``--demo``) unless demo is None.
        ``url``: a database the caller made (e.g. on its own cluster) instead of a fresh one."""
        backend = self.backends[backend_name] if url is None else Given(backend_name)
        folder = self.workdir / f"{tag}-{backend_name}"
        if folder.exists():
            shutil.rmtree(folder)
        instance = Instance(folder / "instance", self.checkout, **config)
        url = url or backend.fresh(instance, tag)
        site = Site(self, backend, tag, instance, url)
        if demo:
            # Production refuses the demo school (its logins have a published password): it
            # is made by a development-mode init-db on the same database, as on a first
            # install, and the server then runs in production mode.
            site.flask("init-db", "--demo", env=site.env(PORTAL_ENV="development"))
        elif demo is not None:
            site.flask("init-db")
        return site

    def old_code(self, rev):
        """A tree of ``rev`` of the project's history (for databases made by old code)."""
        target = self.workdir / f"code-{rev}"
        if not (target / "portal").exists():
            target.mkdir(parents=True, exist_ok=True)
            # git archive only reads the repository: nothing changes in it.
            archive = subprocess.run(
                ["git", "-C", str(self.repo), "archive", "--format=tar", rev],
                capture_output=True,
                check=True,
                timeout=120,
            )
            subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True, timeout=120)
        return target
