"""Video job timings: how long the poster job (poster + thumbnail, one ffmpeg run) and the transcode job (720p
H.264/AAC MP4) take for a 2-second and a 30-second 1280x720 clip at 30 fps with sound, on the local store.

Starts a release server (MEDVAULT_BIN, default .build/release/medvault) with MEDVAULT_TRANSCODE=on through the
end-to-end suite's helpers, uploads each clip, waits for both jobs, and reads the worker's own measurement from its
log line ("made a video rendition", `elapsed`: download of the decrypted video, ffmpeg, upload of the result).
Run from the repository root: `.venv-test/bin/python bench/video/bench_video.py`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))
os.environ.setdefault("MEDVAULT_BIN", str(ROOT / ".build" / "release" / "medvault"))
os.environ.setdefault("MEDVAULT_E2E_BACKEND", "local")

from support import launch_server  # noqa: E402

LINE = re.compile(r"elapsed=([0-9.e+-]+) seconds.*job=(\w+).*made a video rendition")


def clip(directory: Path, seconds: int) -> bytes:
    path = directory / f"clip-{seconds}s.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=duration={seconds}:size=1280x720:rate=30",
         "-f", "lavfi", "-i", f"sine=duration={seconds}", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-shortest", str(path)],
        check=True,
    )
    return path.read_bytes()


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        server = launch_server(base / "server", "bench-video", {"MEDVAULT_TRANSCODE": "on"}, s3=False)
        try:
            print("| clip | size | poster job | transcode job |\n|---|---|---|---|")
            for seconds in (2, 30):
                body = clip(base, seconds)
                before = len(LINE.findall(server.output("stdout")))
                server.upload_ok([(f"clip-{seconds}s.mp4", body)], category="therapy-media", entity_type="provider", entity_id="E-BENCH")
                deadline = time.monotonic() + 600
                while len(found := LINE.findall(server.output("stdout"))) < before + 2 and time.monotonic() < deadline:
                    time.sleep(0.2)
                timings = {job: float(elapsed) for elapsed, job in found[before:]}
                print(f"| {seconds} s 1280x720 30 fps | {len(body) / 1e6:.1f} MB | {timings.get('poster', float('nan')):.2f} s "
                      f"| {timings.get('transcode', float('nan')):.2f} s |")
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
