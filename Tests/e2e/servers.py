"""The medvault server under test: one `medvault serve` process on a free loopback port with its own data
directory and backend, its command line, the objects it stores and its database read as an auditor would.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import requests

import databases
from api_client import ApiClient
from backends import S3Bucket, bucket_name, is_s3, peer_environment, selected_backend
from identities import ADMIN, AUTH_ENV, DEFAULT_ADMIN_EMAIL, parse_created_user
from suite import REPO_ROOT, USER_AGENT, free_port, medvault_binary, run_cli, server_environment

class ServerStartError(RuntimeError):
    pass


class MedvaultServer(ApiClient):
    """One `medvault serve` process on a free loopback port with its own data directory.

    With `bucket` (an S3 backend) the server stores its objects there; `env` already carries the peer's
    variables and the bucket name (see `launch_server`). Without it, the local store under `data_dir`.
    """

    def __init__(self, data_dir: Path, log_dir: Path, env: dict[str, str | None] | None = None, bucket: S3Bucket | None = None):
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.env_overrides = dict(env or {})
        self.bucket = bucket
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.trust_env = False  # never send loopback traffic through a proxy from the environment
        self._attempt = 0
        self._tokens: dict[str, str] = {}

    # -- life cycle --------------------------------------------------------------------------------

    def start(self, timeout: float = 60) -> "MedvaultServer":
        binary = medvault_binary()
        if not binary.is_file():
            raise ServerStartError(f"medvault binary not found at {binary}: build it first (swift build) or set MEDVAULT_BIN")
        # The data directory is left to medvault, which creates it 0700 (and refuses one others can read).
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(3):  # a free port can be taken between probing and binding: try another
            self._attempt += 1
            self.port = free_port()
            self.stdout_path = self.log_dir / f"stdout-{self._attempt}.log"
            self.stderr_path = self.log_dir / f"stderr-{self._attempt}.log"
            with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
                self.process = subprocess.Popen(
                    [str(binary), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data_dir)],
                    cwd=REPO_ROOT,
                    env=server_environment(databases.environment(self.data_dir) | self.env_overrides),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                )
            if self._wait_healthy(timeout):
                self._check_backend()
                return self
            if "address already in use" not in self.output().lower():
                break
        raise ServerStartError(f"medvault did not become healthy (exit code {self.process.poll()}):\n{self.output()[-4000:]}")

    def _wait_healthy(self, timeout: float) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if self.session.get(self.url("/healthz"), timeout=2).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.kill()
        return False

    def _check_backend(self) -> None:
        """An S3 run must really be on S3: a binary without the S3 backend would otherwise test the local
        store. The start-up line names the backend ("storage backend: s3 (…)", or "disabled by …" when
        the feature flag is off)."""
        if self.bucket is None:
            return
        deadline = time.monotonic() + 5
        while "storage backend:" not in self.output("stdout") and time.monotonic() < deadline:
            time.sleep(0.05)
        line = next((l for l in self.output("stdout").splitlines() if "storage backend:" in l), "")
        described = line.split("storage backend:", 1)[-1].strip()
        if not (described.startswith("s3") or described.startswith("disabled")):
            self.kill()
            raise ServerStartError(f"medvault was given an S3 bucket but its storage backend is {described!r}:\n{self.output()[-2000:]}")

    def shutdown(self) -> None:
        """Stops the process (SIGTERM, then SIGKILL) and removes the server's bucket, if any."""
        try:
            self.stop()
        finally:
            self.kill()
            if self.bucket is not None:
                self.bucket.destroy()

    def stop(self, timeout: float = 15) -> int:
        """Sends SIGTERM and returns the exit code; kills the process if it does not exit in time."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired as timed_out:
                self.kill()
                raise AssertionError(f"medvault did not exit within {timeout}s of SIGTERM") from timed_out
        return self.process.returncode

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self, streams: str = "std*") -> str:
        """Everything the server printed so far (all start attempts): stdout and stderr, or just `streams`
        ("stdout" or "stderr")."""
        text = ""
        for path in sorted(self.log_dir.glob(f"{streams}-*.log")):
            text += path.read_bytes().decode("utf-8", "replace")
        return text

    # -- HTTP ---------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path: str, auth=ADMIN, **kwargs) -> requests.Response:
        """One request to the server. `auth`: ADMIN (default) sends the first administrator's bearer token,
        a string is sent as `Authorization: Bearer <auth>`, None sends no credentials. An `Authorization`
        header given in `headers` wins over `auth`."""
        kwargs.setdefault("timeout", 30)
        headers = dict(kwargs.pop("headers", None) or {})
        if auth is not None and not any(name.lower() == "authorization" for name in headers):
            headers["Authorization"] = "Bearer " + (self.admin_token if auth is ADMIN else auth)
        return self.session.request(method, self.url(path), headers=headers, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    # -- identities ---------------------------------------------------------------------------------

    @property
    def admin_email(self) -> str:
        """The first administrator: MEDVAULT_ADMIN_EMAIL, else the one a fresh install creates."""
        return self.env_overrides.get("MEDVAULT_ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL

    @property
    def admin_token(self) -> str:
        return self.token_for(self.admin_email)

    def cli(self, args: list[str], input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """`medvault ARGS… --data-dir <this server's data dir>` with this server's environment (same JWT secret)."""
        return run_cli([*args, "--data-dir", str(self.data_dir)], env=self.env_overrides, input=input, timeout=timeout)

    def issue_token(self, email: str, ttl: int | None = None) -> str:
        """A fresh bearer token from `medvault token issue` (not cached)."""
        args = ["token", "issue", "--email", email] + (["--ttl", str(ttl)] if ttl is not None else [])
        result = self.cli(args)
        assert result.returncode == 0, f"medvault token issue --email {email} failed ({result.returncode}): {result.stderr}"
        token = result.stdout.strip()
        assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", token), f"not a JWT: {result.stdout!r}"
        return token

    def token_for(self, email: str) -> str:
        """A bearer token for `email` from `medvault token issue`, issued once per server and cached."""
        if email not in self._tokens:
            self._tokens[email] = self.issue_token(email)
        return self._tokens[email]

    def add_user(
        self, email: str, role: str, patient_id: str | None = None, provider_id: str | None = None, password: str | None = None
    ) -> str:
        """Creates a user with `medvault user add` (password on stdin) and returns their id."""
        args = ["user", "add", "--email", email, "--role", role]
        if patient_id is not None:
            args += ["--patient-id", patient_id]
        if provider_id is not None:
            args += ["--provider-id", provider_id]
        if password is not None:
            args.append("--password-stdin")
        result = self.cli(args, input=None if password is None else password + "\n")
        assert result.returncode == 0, f"medvault user add {email} failed ({result.returncode}): {result.stderr}{result.stdout}"
        return parse_created_user(result.stdout)["id"]

    # -- the objects behind the API, wherever they are stored --------------------------------------

    @property
    def on_s3(self) -> bool:
        return self.bucket is not None

    def object_exists(self, key: str) -> bool:
        """Whether the store holds an object at `key`: a file under D/objects, or HeadObject on the bucket."""
        if self.bucket is not None:
            return self.bucket.exists(key)
        return (self.data_dir / "objects" / key).is_file()

    def remove_object(self, key: str) -> None:
        """Deletes the object at `key` behind medvault's back (its index row stays)."""
        if self.bucket is not None:
            self.bucket.client.delete_object(Bucket=self.bucket.name, Key=key)
        else:
            (self.data_dir / "objects" / key).unlink()

    def stored_objects(self) -> list[str]:
        """Every object key in the store, sorted."""
        if self.bucket is not None:
            return self.bucket.keys()
        root = self.data_dir / "objects"
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []

    def leftovers(self, wait: float = 5.0) -> list[str]:
        """What an interrupted write left behind: temporary files under D/tmp, or incomplete multipart uploads
        (waiting up to `wait` seconds for them to go)."""
        if self.bucket is not None:
            return [f"{u['Key']} (upload {u['UploadId']})" for u in self.bucket.wait_no_pending_uploads(wait)]
        tmp = self.data_dir / "tmp"
        deadline = time.monotonic() + wait
        while True:  # the clean-up may finish just after the response
            left = [str(p) for p in tmp.rglob("*") if p.is_file()] if tmp.exists() else []
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.05)

    # -- the database, read as an auditor would -----------------------------------------------------

    @property
    def db_path(self) -> Path:
        """The SQLite file (on a PostgreSQL run there is none: use `query` and `execute`)."""
        return databases.sqlite_path(self.data_dir)

    def query(self, sql: str, params: tuple = ()) -> list[dict]:
        """Rows of `sql` (`?` placeholders, SQL both engines accept) from this server's database."""
        return databases.query(self.data_dir, sql, params, url=self.env_overrides.get("DATABASE_URL"))

    def execute(self, sql: str, params: tuple = ()) -> int:
        """Writes straight into this server's database, as no API path would; returns the rows changed."""
        return databases.execute(self.data_dir, sql, params, url=self.env_overrides.get("DATABASE_URL"))

    def audit_rows(self, request_id: str, expected: int = 1, wait: float = 3.0) -> list[dict]:
        """Audit rows carrying `request_id`, waiting briefly until at least `expected` are there."""
        deadline = time.monotonic() + wait
        while True:
            rows = self.query("SELECT * FROM audit_events WHERE request_id = ? ORDER BY sequence", (request_id,))
            if len(rows) >= expected or time.monotonic() > deadline:
                return rows
            time.sleep(0.05)


def backend_environment(label: str, s3: bool | None = None) -> tuple[dict[str, str], S3Bucket | None]:
    """The server variables for the selected backend and, on S3, a freshly created bucket named after `label`.

    `s3=False` asks for a server without any S3 configuration even on an S3 run (tests about that case).
    """
    backend = selected_backend()
    if s3 is False or not is_s3(backend):
        return {}, None
    env = peer_environment(backend)
    bucket = S3Bucket(env, bucket_name(label)).create()
    return env | {"AWS_S3_DOCUMENTS_BUCKET_NAME": bucket.name}, bucket


def launch_server(base: Path, label: str, env: dict[str, str | None] | None = None, s3: bool | None = None) -> MedvaultServer:
    """Starts a server with data under `base` on the selected backend, with the suite's identities
    (AUTH_ENV: JWT secret, first administrator, cheap bcrypt); `env` goes on top of those and the backend's
    variables (a None value removes a variable). Call `shutdown()` on it afterwards (it removes the bucket too)."""
    backend_env, bucket = backend_environment(label, s3)
    server = MedvaultServer(data_dir=base / "data", log_dir=base / "logs", env=AUTH_ENV | backend_env | dict(env or {}), bucket=bucket)
    try:
        return server.start()
    except BaseException:
        if bucket is not None:
            bucket.destroy()
        raise
