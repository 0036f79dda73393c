"""A throwaway PostgreSQL server for the tests: initdb into a temp dir, started with pg_ctl on
a unix socket in that dir (and, when asked, on 127.0.0.1 with password authentication), and
removed by stop(). Uses Debian's `postgresql` package binaries."""

import os
import pwd
import shutil
import subprocess
import tempfile

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"


def unavailable(pg_bin=DEFAULT_PG_BIN):
    """Why no server can be started here (a reason to skip), or None."""
    if not os.path.exists(os.path.join(pg_bin, "initdb")):
        return f"no PostgreSQL server binaries in {pg_bin}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user"
    return None


class Server:
    def __init__(self, pg_bin=DEFAULT_PG_BIN, tcp=False):
        self.pg_bin = pg_bin
        self.dir = tempfile.mkdtemp(prefix="alint-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = str(40000 + os.getpid() % 20000)
        self.tcp = tcp  # also listen on 127.0.0.1, where passwords are checked (scram)
        self.prefix = []
        self.started = False
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(self.dir, 0o755)
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def run(self, args, **kw):
        return subprocess.run(self.prefix + args, capture_output=True, text=True, **kw)

    def start(self):
        r = self.run([os.path.join(self.pg_bin, "initdb"), "-D", self.data, "-A", "trust",
                      "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"])
        if r.returncode != 0:
            raise RuntimeError("initdb failed:\n" + r.stdout + r.stderr)
        listen = "''"
        if self.tcp:
            listen = "127.0.0.1"
            hba = ("local all all trust\n"
                   "host all postgres 127.0.0.1/32 trust\n"
                   "host all all 127.0.0.1/32 scram-sha-256\n")
            r = self.run(["sh", "-c", f"cat > '{self.data}/pg_hba.conf'"], input=hba)
            if r.returncode != 0:
                raise RuntimeError("writing pg_hba.conf failed:\n" + r.stderr)
        opts = (f"-c fsync=off -c listen_addresses={listen} -k {self.dir} -p {self.port} "
                "-c TimeZone=Europe/Paris -c autovacuum=off")
        r = self.run([os.path.join(self.pg_bin, "pg_ctl"), "-D", self.data, "-l",
                      os.path.join(self.dir, "log"), "-w", "-o", opts, "start"])
        if r.returncode != 0:
            log = open(os.path.join(self.dir, "log")).read() if os.path.exists(
                os.path.join(self.dir, "log")) else ""
            raise RuntimeError("pg_ctl start failed:\n" + r.stdout + r.stderr + log)
        self.started = True

    def stop(self):
        if self.started:
            self.run([os.path.join(self.pg_bin, "pg_ctl"), "-D", self.data, "-m", "immediate",
                      "stop"])
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def psql(self, db, script):
        return subprocess.run(
            [os.path.join(self.pg_bin, "psql"), "-X", "-q", "-At", "-h", self.dir, "-p",
             self.port, "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1"],
            input=script, capture_output=True, text=True)

    def url(self, db, user="postgres", driver=""):
        """A URL reaching `db` over the unix socket (SQLAlchemy form when `driver` is set)."""
        scheme = "postgresql" + (f"+{driver}" if driver else "")
        return f"{scheme}://{user}@/{db}?host={self.dir}&port={self.port}"
