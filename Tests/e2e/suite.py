"""What the whole end-to-end suite shares: where the repository and the binary are, the API's prefixes,
the categories and self-check names, the scrubbed environment servers and commands run in, and `run_cli`.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import databases

REPO_ROOT = Path(__file__).resolve().parents[2]
API = "/api/v2/aws/s3"
ADMIN_API = "/api/v2"
USER_AGENT = "medvault-e2e/1.0"
MiB = 1024 * 1024

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
# The media categories take only photos (and, for therapy-media, videos), so they stay out of CATEGORIES.
MEDIA_CATEGORY_FOLDER = {"therapy-media": "therapy-media", "profile-photo": "profile", "verification-photo": "verification", "chat-image": "chat"}
CATEGORY_FOLDER = (
    {c: c for c in CATEGORIES} | {"consent-forms": "forms", "intake-forms": "forms", "invoices": "billing"} | MEDIA_CATEGORY_FOLDER
)

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
