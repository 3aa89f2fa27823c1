#!/usr/bin/env python3
"""Runs schemathesis against a fresh medvault with the OpenAPI document it serves (Public/openapi.yaml).

Usage: python3 scripts/run_schemathesis.py [EXTRA SCHEMATHESIS OPTIONS...]

It starts `medvault serve` (MEDVAULT_BIN, else .build/debug/medvault) on a free loopback port with a fresh
data directory and the embedded local store, the way the end-to-end suite does (Tests/e2e/support.py), and
runs `schemathesis run` with every check (`--checks all`) as the first administrator (a bearer token from
`medvault token issue`), so that every operation is reached. The run is bounded (SCHEMATHESIS_MAX_EXAMPLES
test cases per operation, 50 by default) and reproducible (SCHEMATHESIS_SEED, fixed by default; set it to
another number to explore). Exit status: schemathesis's (0 when it found nothing).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "Tests" / "e2e"))
os.environ.setdefault("MEDVAULT_E2E_BACKEND", "local")

from support import launch_server  # noqa: E402 (needs the path above)

DEFAULT_SEED = "20261207"
DEFAULT_MAX_EXAMPLES = "50"


def main() -> int:
    schemathesis = Path(sys.executable).parent / "schemathesis"
    with tempfile.TemporaryDirectory(prefix="medvault-schemathesis-") as base:
        server = launch_server(Path(base), "schemathesis")
        try:
            command = [
                str(schemathesis),
                "--config-file",
                str(REPO_ROOT / "scripts" / "schemathesis.toml"),
                "run",
                str(REPO_ROOT / "Public" / "openapi.yaml"),
                "--url",
                server.base_url,
                "--header",
                "Authorization: Bearer " + server.admin_token,
                "--checks",
                "all",
                "--max-examples",
                os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", DEFAULT_MAX_EXAMPLES),
                "--seed",
                os.environ.get("SCHEMATHESIS_SEED", DEFAULT_SEED),
                "--generation-database",
                "none",
                "--request-timeout",
                "30",
                *sys.argv[1:],
            ]
            environment = os.environ | {
                "SCHEMATHESIS_HOOKS": str(REPO_ROOT / "scripts" / "schemathesis_hooks.py"),
                "MEDVAULT_RUN_ADMIN_EMAIL": server.admin_email,
            }
            # Run from the temporary directory, so that the caches schemathesis and hypothesis keep stay out of the repository.
            return subprocess.call(command, cwd=base, env=environment)
        finally:
            server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
