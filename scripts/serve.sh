#!/usr/bin/env bash
# README's first command: builds and runs medvault on its embedded defaults (encrypted local store and SQLite under
# ./data) on a fresh machine, installing with apt-get the system libraries the build links when they are missing.
# Arguments go to `medvault serve` (--host, --port, --data-dir). ffmpeg is optional at run time: without it videos
# get no poster frame or phone rendition (the server says so at start-up).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/packages.sh
install_missing "${BUILD_PACKAGES[@]}"
exec swift run medvault serve "$@"
