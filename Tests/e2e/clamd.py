"""ClamAV's daemon for the antivirus tests: the shared one of `scripts/clamd.sh start` (test.sh's clamd stage), and
private ones the tests start, stop and configure themselves (an outage, limits that would let files through).

Both run Debian's clamd with the suite's own signature database (scripts/clamd.sh): the EICAR test file by hash, and
MARKER anywhere in a file. Nothing here needs the internet.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from backends import REPO_ROOT, read_env_file

SCRIPT = REPO_ROOT / "scripts" / "clamd.sh"
DEFAULT_ENV_FILE = REPO_ROOT / ".clamd" / "clamd.env"

# The EICAR test file (eicar.org), in two halves so that no scanner flags this source file itself.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
assert len(EICAR) == 68
EICAR_SIGNATURE = "Eicar-Test-Signature.UNOFFICIAL"
# The text the suite's .ndb signature matches anywhere in a file, and the name clamd gives it.
MARKER = b"MEDVAULT-SCAN-TEST-MARKER-7f3a91c2"
MARKER_SIGNATURE = "MedVault.Test.Marker.UNOFFICIAL"


def shared_env_file() -> tuple[Path, bool]:
    """The env file of the shared clamd, and whether it was named explicitly (`MEDVAULT_E2E_CLAMD_ENV`, as test.sh
    does: then a missing file is an error rather than a reason to skip)."""
    named = os.environ.get("MEDVAULT_E2E_CLAMD_ENV")
    return (Path(named), True) if named else (DEFAULT_ENV_FILE, False)


def shared_clamd_url() -> str | None:
    """MEDVAULT_CLAMD_URL of the shared clamd, or None when it is not running."""
    path, _ = shared_env_file()
    return read_env_file(path).get("MEDVAULT_CLAMD_URL") if path.is_file() else None


class PrivateClamd:
    """A clamd of the test's own under `state` (scripts/clamd.sh with CLAMD_STATE), with the given clamd.conf limits
    (CLAMD_STREAM_MAX_LENGTH, CLAMD_MAX_FILE_SIZE, CLAMD_MAX_SCAN_SIZE, CLAMD_ALERT_EXCEEDS_MAX) and, with `tcp_port`,
    a TCP socket on 127.0.0.1 besides the unix one."""

    def __init__(self, state: Path, tcp_port: int | None = None, **limits: str):
        self.state = state
        self.tcp_port = tcp_port
        self.env = {name: value for name, value in os.environ.items()} | {"CLAMD_STATE": str(state)} | limits
        if tcp_port is not None:
            self.env["CLAMD_TCP_PORT"] = str(tcp_port)

    @property
    def unix_url(self) -> str:
        return f"unix://{self.state}/clamd.sock"

    @property
    def tcp_url(self) -> str:
        assert self.tcp_port is not None
        return f"tcp://127.0.0.1:{self.tcp_port}"

    def _run(self, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), command], env=self.env, capture_output=True, text=True, timeout=120)

    def start(self) -> "PrivateClamd":
        result = self._run("start")
        assert result.returncode == 0, f"scripts/clamd.sh start failed:\n{result.stdout}{result.stderr}"
        return self

    def stop(self) -> None:
        self._run("stop")

    def __enter__(self) -> "PrivateClamd":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
