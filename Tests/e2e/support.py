"""Helpers for the end-to-end suite: run the real `medvault` binary, talk HTTP to it, read its database.

Nothing here mocks the server: every test drives the built executable over loopback and checks what a
client (and an auditor reading its database, see databases.py) would see.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import select
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import quote, urlencode

import requests

import databases
from backends import S3Bucket, bucket_name, is_s3, peer_environment, selected_backend

REPO_ROOT = Path(__file__).resolve().parents[2]
API = "/api/v2/aws/s3"
ADMIN_API = "/api/v2"
USER_AGENT = "medvault-e2e/1.0"
MiB = 1024 * 1024

# --- identities ----------------------------------------------------------------------------------
# Every server the suite starts gets a fixed HS256 secret and a fixed first administrator, so tokens can be
# minted independently of medvault (PyJWT) and the administrator can sign in; bcrypt at its cheapest cost
# keeps start-up and sign-ins fast.
JWT_SECRET = "e2e-jwt-secret-0123456789abcdef-ABCDEFGH"  # 40 bytes
assert len(JWT_SECRET.encode()) == 40
ADMIN_EMAIL = "admin@e2e.test"
ADMIN_PASSWORD = "e2e-Admin-Passw0rd!"
DEFAULT_ADMIN_EMAIL = "admin@medvault.local"  # the administrator a fresh install creates without MEDVAULT_ADMIN_*
AUTH_ENV = {
    "MEDVAULT_JWT_SECRET": JWT_SECRET,
    "MEDVAULT_ADMIN_EMAIL": ADMIN_EMAIL,
    "MEDVAULT_ADMIN_PASSWORD": ADMIN_PASSWORD,
    "MEDVAULT_BCRYPT_COST": "4",
    # Sign-in throttling is tested on its own (test_auth.py); elsewhere tests sign in as often as they need.
    "MEDVAULT_SIGN_IN_ADDRESS_BURST": "1000",
    "MEDVAULT_SIGN_IN_ACCOUNT_BURST": "1000",
}


class _Admin:
    """The default identity of MedvaultServer's helpers: the server's first administrator (bearer token)."""

    def __repr__(self) -> str:
        return "ADMIN"


ADMIN = _Admin()

CATEGORIES = [
    "medical-records",
    "lab-results",
    "imaging",
    "consent-forms",
    "intake-forms",
    "insurance",
    "invoices",
    "prescriptions",
    "other",
]
CATEGORY_FOLDER = {c: c for c in CATEGORIES} | {"consent-forms": "forms", "intake-forms": "forms", "invoices": "billing"}

# The storage self-check's checks (`/test/s3` rows' data-name, in order), shared by the HTTP and browser tests.
SELFTEST_CHECKS = [
    "feature-flag",
    "configuration",
    "round-trip",
    "presigned-url",
    "presigned-url-expiry",
    "tampered-url",
    "listing-metadata",
    "large-file",
    "encryption",
    "antivirus",
    "cleanup",
]


def expected_selftest_failures(backend: str) -> set[str]:
    """The checks a backend fails by design: moto serves expired and tampered pre-signed URLs."""
    return {"presigned-url-expiry", "tampered-url"} if backend == "moto" else set()
ENTITY_ROOT = {"patient": "patients", "provider": "providers", "appointment": "appointments", "prescription": "prescriptions"}

# Variables that would change how the server behaves; removed from the inherited environment so a
# developer's shell (or CI's) cannot change what the suite tests.
_SCRUBBED_PREFIXES = ("AWS_", "MEDVAULT_", "S3_", "STORAGE_", "HTTP_")
_SCRUBBED_NAMES = {"ENABLE_AWS_S3_STORAGE", "NEXT_PUBLIC_ENABLE_AWS_S3_STORAGE", "HOST", "PORT", "LOG_LEVEL", "DATABASE_URL"}


def medvault_binary() -> Path:
    """The executable under test: `MEDVAULT_BIN`, else `.build/debug/medvault`."""
    return Path(os.environ.get("MEDVAULT_BIN") or REPO_ROOT / ".build" / "debug" / "medvault")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(overrides: dict[str, str | None] | None = None) -> dict[str, str]:
    """The inherited environment without medvault/AWS settings, plus `overrides` (None removes a name)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(_SCRUBBED_PREFIXES) and name not in _SCRUBBED_NAMES}
    env["MEDVAULT_MIGRATIONS_DIR"] = str(REPO_ROOT / "migrations")
    for name, value in (overrides or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_cli(
    args: list[str], env: dict[str, str | None] | None = None, timeout: float = 60, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs `medvault ARGS…` from the repository root and captures its output; `input` goes to its stdin
    (otherwise stdin is empty). With `--data-dir DIR` in `args`, the call uses DIR's database on the selected
    engine (databases.py) unless `env` names a DATABASE_URL itself."""
    if "--data-dir" in args:
        env = databases.environment(Path(args[args.index("--data-dir") + 1])) | dict(env or {})
    return subprocess.run(
        [str(medvault_binary()), *args],
        cwd=REPO_ROOT,
        env=server_environment(env),
        input=input,
        stdin=subprocess.DEVNULL if input is None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class ServerStartError(RuntimeError):
    pass


class MedvaultServer:
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

    def users(self) -> list[dict]:
        response = self.get(ADMIN_API + "/users")
        assert response.status_code == 200, response.text
        return response.json()["users"]

    def user(self, email: str) -> dict:
        """The user record of `email` from the admin API."""
        found = [u for u in self.users() if u["email"] == email.lower()]
        assert len(found) == 1, f"{email} not among the users"
        return found[0]

    # -- the document API ---------------------------------------------------------------------------

    def upload(
        self,
        files: Iterable[tuple[str, bytes] | tuple[str, bytes, str]],
        category: str | None = "medical-records",
        entity_id: str | None = "P1",
        entity_type: str | None = "patient",
        auth=ADMIN,
        headers: dict | None = None,
    ) -> requests.Response:
        fields = [(n, v) for n, v in (("category", category), ("entityId", entity_id), ("entityType", entity_type)) if v is not None]
        content_type, body = multipart_body(fields, list(files))
        return self.post(API + "/upload", data=body, headers={"Content-Type": content_type} | dict(headers or {}), auth=auth)

    def upload_ok(self, files, **kwargs) -> list[dict]:
        response = self.upload(files, **kwargs)
        assert response.status_code == 201, f"upload failed: {response.status_code} {response.text}"
        return response.json()["files"]

    def download(
        self, key: str | None = None, id: str | None = None, headers: dict | None = None, auth=ADMIN, presigned: bool = False
    ) -> requests.Response:
        """GET download by key or id; the query is percent-encoded (RFC 3986, a space as %20, not `+`:
        test_download checks the form encoding separately)."""
        params = {k: v for k, v in (("key", key), ("id", id)) if v is not None}
        if presigned:
            params["presigned"] = "true"
        return self.get(API + "/download?" + urlencode(params, quote_via=quote, safe="/"), headers=headers or {}, auth=auth)

    def list(self, auth=ADMIN, headers: dict | None = None, **params) -> requests.Response:
        return self.get(API + "/list", params={k: v for k, v in params.items() if v is not None}, auth=auth, headers=headers or {})

    def list_all(self, prefix: str = "", page_size: int = 1000, auth=ADMIN, headers: dict | None = None, **params) -> list[dict]:
        files: list[dict] = []
        token = None
        while True:
            response = self.list(prefix=prefix, maxKeys=page_size, continuationToken=token, auth=auth, headers=headers, **params)
            assert response.status_code == 200, response.text
            page = response.json()
            files += page["files"]
            token = page.get("nextContinuationToken")
            if not page["isTruncated"]:
                return files

    def delete_document(self, key: str, permanent: bool | None = None, auth=ADMIN, headers: dict | None = None) -> requests.Response:
        payload: dict = {"key": key}
        if permanent is not None:
            payload["permanent"] = permanent
        return self.delete(API + "/delete", data=json.dumps(payload), headers={"Content-Type": "application/json"} | dict(headers or {}), auth=auth)

    # -- the objects behind the API, wherever they are stored --------------------------------------

    @property
    def on_s3(self) -> bool:
        return self.bucket is not None

    def object_exists(self, key: str) -> bool:
        """Whether the store holds an object at `key`: a file under D/objects, or HeadObject on the bucket."""
        if self.bucket is not None:
            return self.bucket.exists(key)
        return (self.data_dir / "objects" / key).is_file()

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


def parse_created_user(stdout: str) -> dict:
    """The first line of `medvault user add`: `created <role> <email> (id <uuid>)`, and the generated
    password line `password: <pw>` if there is one."""
    first = stdout.splitlines()[0] if stdout.splitlines() else ""
    match = re.fullmatch(r"created (patient|provider|admin) (\S+) \(id ([0-9a-f-]{36})\)", first.strip())
    assert match, f"unexpected first line of `medvault user add`: {first!r}"
    passwords = [line.split(":", 1)[1].strip() for line in stdout.splitlines() if line.startswith("password:")]
    return {"role": match.group(1), "email": match.group(2), "id": match.group(3), "passwords": passwords}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint_token(claims: dict, secret: str = JWT_SECRET, algorithm: str = "HS256", headers: dict | None = None) -> str:
    """A JWT signed by PyJWT (independent of medvault), e.g. with `exp` in the past or another secret."""
    import warnings

    import jwt  # noqa: PLC0415 (PyJWT; only needed by the tests that mint tokens)

    with warnings.catch_warnings():  # PyJWT warns about key lengths for HS384/HS512; irrelevant for test tokens
        warnings.simplefilter("ignore")
        return jwt.encode(claims, secret, algorithm=algorithm, headers=headers)


def unsigned_token(claims: dict, alg: str = "none") -> str:
    """A JWT with `alg` in its header and no (or a meaningless) signature, built by hand."""
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = b64url(json.dumps(claims).encode())
    return f"{header}.{payload}." + ("" if alg == "none" else b64url(b"not a signature"))


def decode_token(token: str, secret: str = JWT_SECRET) -> dict:
    import jwt  # noqa: PLC0415

    return jwt.decode(token, secret, algorithms=["HS256"], options={"verify_sub": False})


# --- the browser: sign-in form, session cookie, CSRF ---------------------------------------------

LOGIN_CSRF_COOKIE = "medvault_login_csrf"
SESSION_COOKIE = "medvault_session"


def hidden_field(page: str, name: str) -> str | None:
    """The value of `<input … name="NAME" … value="…">` in an HTML page (attribute order free)."""
    for tag in re.findall(r"<input\b[^>]*>", page, flags=re.IGNORECASE):
        if re.search(rf"""\bname\s*=\s*["']{re.escape(name)}["']""", tag):
            value = re.search(r"""\bvalue\s*=\s*["']([^"']*)["']""", tag)
            return html.unescape(value.group(1)) if value else None
    return None


def meta_csrf(page: str) -> str | None:
    """The session CSRF token a page carries in `<meta name="csrf-token" content="…">`."""
    for tag in re.findall(r"<meta\b[^>]*>", page, flags=re.IGNORECASE):
        if re.search(r"""\bname\s*=\s*["']csrf-token["']""", tag):
            content = re.search(r"""\bcontent\s*=\s*["']([^"']*)["']""", tag)
            return html.unescape(content.group(1)) if content else None
    return None


def set_cookie_headers(response: requests.Response) -> list[str]:
    """Every `Set-Cookie` header of a response, unjoined."""
    return list(response.raw.headers.getlist("Set-Cookie"))


class Browser:
    """A browser against one server: a cookie jar, no bearer token, redirects not followed."""

    def __init__(self, server: MedvaultServer):
        self.server = server
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.trust_env = False

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(self.server.url(path), **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(self.server.url(path), **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.session.delete(self.server.url(path), **kwargs)

    def login_form(self) -> str:
        """GETs /login and returns the form's csrf_token (the login CSRF cookie is now set)."""
        response = self.get("/login")
        assert response.status_code == 200, response.text[:300]
        token = hidden_field(response.text, "csrf_token")
        assert token, "the sign-in form carries a hidden csrf_token"
        return token

    def sign_in(self, email: str, password: str, csrf: str | None = ...) -> requests.Response:
        """Submits the sign-in form (fetching it first for its csrf_token unless `csrf` is given; None
        omits the field)."""
        if csrf is ...:
            csrf = self.login_form()
        form = {"email": email, "password": password} | ({"csrf_token": csrf} if csrf is not None else {})
        return self.post("/login", data=form)

    def signed_in(self, email: str, password: str) -> str:
        """Signs in (expecting success) and returns the session's CSRF token from the home page."""
        response = self.sign_in(email, password)
        assert response.status_code == 303, f"sign-in failed: {response.status_code} {response.text[:300]}"
        return self.session_csrf()

    def session_csrf(self) -> str:
        home = self.get("/")
        assert home.status_code == 200, f"GET / -> {home.status_code} {home.headers.get('Location')}"
        token = meta_csrf(home.text)
        assert token, "the home page carries <meta name=\"csrf-token\">"
        return token


# --- request building and checking ---------------------------------------------------------------


def multipart_body(fields: list[tuple[str, str]], files: list[tuple], boundary: str | None = None) -> tuple[str, bytes]:
    """A multipart/form-data body (RFC 7578) with `fields` first, then one `file` part per entry.

    Built by hand rather than by requests so that file names reach the server byte for byte (control
    characters, path separators) and the part order is exactly the one the contract asks for.
    """
    boundary = boundary or "e2e-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    for entry in files:
        file_name, data = entry[0], entry[1]
        part_type = entry[2] if len(entry) > 2 else "application/octet-stream"
        out += f"--{boundary}\r\n".encode()
        out += b'Content-Disposition: form-data; name="file"; filename="' + file_name.encode("utf-8") + b'"\r\n'
        out += f"Content-Type: {part_type}\r\n\r\n".encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


def plain_get(url: str, **kwargs) -> requests.Response:
    """GETs a URL (a pre-signed one) as a stranger would: no credentials, no cookies, no proxy."""
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=60, **kwargs)


def care_team_people(server: "MedvaultServer", prefix: str, password: str) -> dict[str, str]:
    """Bearer tokens for P1 (patient `{prefix}-p1`), P2 (patient `{prefix}-p2`), D1 (a provider with `{prefix}-p1` on
    their care team) and D2 (a provider without a care team), created with the CLI."""
    server.add_user(f"{prefix}-p1@e2e.test", "patient", patient_id=f"{prefix}-p1", password=password)
    server.add_user(f"{prefix}-p2@e2e.test", "patient", patient_id=f"{prefix}-p2", password=password)
    server.add_user(f"{prefix}-d1@e2e.test", "provider", password=password)
    server.add_user(f"{prefix}-d2@e2e.test", "provider", password=password)
    care = server.cli(["careteam", "add", "--provider", f"{prefix}-d1@e2e.test", "--patient", f"{prefix}-p1"])
    assert care.returncode == 0, care.stderr + care.stdout
    return {name: server.token_for(f"{prefix}-{name.lower()}@e2e.test") for name in ("P1", "P2", "D1", "D2")}


def assert_error(response: requests.Response, status: int, code: str) -> dict:
    """Checks the error envelope `{"error":{"code","message","requestId"}}` and returns `error`."""
    assert response.status_code == status, f"expected {status} {code}, got {response.status_code}: {response.text[:500]}"
    request_id = response.headers.get("X-Request-Id")
    assert request_id, "error response without X-Request-Id"
    assert "application/json" in response.headers.get("Content-Type", ""), response.headers
    error = response.json()["error"]
    assert error["code"] == code, f"expected code {code}, got {error}"
    assert isinstance(error["message"], str) and error["message"].strip()
    assert error["requestId"] == request_id
    return error


# --- a raw HTTP/1.1 client for bodies that must not be sent whole --------------------------------


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    file_bytes_sent: int
    sending_finished: bool
    seconds_after_last_byte: float
    raw_head: bytes = field(repr=False, default=b"")

    def json(self) -> dict:
        return json.loads(self.body)


def stream_upload_until_response(
    port: int,
    fields: list[tuple[str, str]],
    file_name: str,
    head: bytes,
    file_bytes: int,
    wait: float = 20.0,
    chunk: int = 64 * 1024,
    token: str | None = None,
    on_progress=None,
) -> RawResponse:
    """POSTs an upload with chunked transfer encoding whose one file part is `head` followed by zeros up to
    `file_bytes`, then stops — no closing boundary, no final chunk — and waits for the answer.

    A server that needs the rest of the body before answering never answers: the caller sees a timeout.
    `token` is sent as `Authorization: Bearer <token>`; `on_progress(bytes_sent)` is called after each chunk (to act
    while the upload is under way).
    """
    boundary = "e2e-raw-" + uuid.uuid4().hex
    preamble = bytearray()
    for name, value in fields:
        preamble += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    preamble += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'.encode()
    preamble += b"Content-Type: application/octet-stream\r\n\r\n"
    content_type = f"multipart/form-data; boundary={boundary}"
    return stream_body_until_response(
        port, content_type, bytes(preamble), head, file_bytes, wait=wait, chunk=chunk, token=token, on_progress=on_progress
    )


def stream_body_until_response(
    port: int,
    content_type: str,
    prefix: bytes,
    head: bytes,
    total: int,
    wait: float = 20.0,
    chunk: int = 64 * 1024,
    token: str | None = None,
    filler: bytes = b"\x00",
    on_progress=None,
) -> RawResponse:
    """POSTs to the upload endpoint with chunked transfer encoding: `prefix`, then `head` followed by `filler`
    bytes until `head` and the filler make `total` bytes, then stops — no final chunk — and waits for the
    answer. `file_bytes_sent` of the answer counts `head` and the filler sent; `on_progress(bytes_sent)` is called
    after each chunk.
    """
    request_head = (
        f"POST {API}/upload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {USER_AGENT}\r\n"
        + (f"Authorization: Bearer {token}\r\n" if token else "")
        + f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()

    received = bytearray()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sent = 0
    finished = False
    try:
        # An empty chunk would end the body: send the first one only if it has bytes.
        sock.sendall(request_head + (_chunk(prefix + head) if prefix + head else b""))
        sent = len(head)
        fill = (filler * (chunk // len(filler) + 1))[:chunk]
        while sent < total:
            if _readable(sock):
                break
            piece = fill[: min(chunk, total - sent)]
            try:
                sock.sendall(_chunk(piece))
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                break
            sent += len(piece)
            if on_progress is not None:
                on_progress(sent)
        else:
            finished = True
        last_byte = time.monotonic()
        deadline = last_byte + wait
        while time.monotonic() < deadline:
            parsed = _parse_response(bytes(received))
            if parsed is not None:
                status, headers, body, raw_head = parsed
                return RawResponse(status, headers, body, sent, finished, time.monotonic() - last_byte, raw_head)
            ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
            if not data:
                parsed = _parse_response(bytes(received), eof=True)
                if parsed is not None:
                    status, headers, body, raw_head = parsed
                    return RawResponse(status, headers, body, sent, finished, time.monotonic() - last_byte, raw_head)
                break
            received += data
        raise AssertionError(
            f"no complete response within {wait}s after sending {sent} of the file's bytes "
            f"(received {len(received)} bytes: {bytes(received[:300])!r})"
        )
    finally:
        sock.close()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _readable(sock: socket.socket) -> bool:
    ready, _, _ = select.select([sock], [], [], 0)
    return bool(ready)


def _parse_response(data: bytes, eof: bool = False):
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    raw_head = data[:end]
    lines = raw_head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    rest = data[end + 4 :]
    if "content-length" in headers:
        length = int(headers["content-length"])
        return (status, headers, rest[:length], raw_head) if len(rest) >= length else None
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            line_end = rest.find(b"\r\n")
            if line_end < 0:
                return None
            size = int(rest[:line_end].split(b";")[0], 16)
            if size == 0:
                return status, headers, bytes(body), raw_head
            if len(rest) < line_end + 2 + size + 2:
                return None
            body += rest[line_end + 2 : line_end + 2 + size]
            rest = rest[line_end + 2 + size + 2 :]
    return (status, headers, rest, raw_head) if eof else None
