#!/usr/bin/env bash
# Upload throughput with and without malware scanning, against clamd's own client on the same bytes.
#
#   bench/antivirus/run.sh                       # 50 MiB DICOM × 1 and 8 clients: no scanning, scanning, clamdscan
#   RUNS=5 SKIP_BUILD=1 bench/antivirus/run.sh --clients 8
#
# Env: RUNS (3), SKIP_BUILD=1 (reuse .build-release/release/medvault), TOTAL_MIB (upload bytes per run per
# scenario, 256), BENCH_TMP (where the temporary data and clamd's socket go; default /tmp). Extra arguments go to
# antivirus.py (--size-mib, --clients).
#
# Needs curl, clamd and clamdscan (Debian: apt-get install -y curl clamav-daemon clamdscan; installed here when
# missing and running as root). clamd runs with the test suite's signature database (scripts/clamd.sh): a handful
# of signatures, so clamd's own scanning is far cheaper than with the official databases (millions).
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v curl >/dev/null || missing+=(curl)
command -v clamdscan >/dev/null || missing+=(clamdscan)
command -v clamd >/dev/null || [[ -x /usr/sbin/clamd ]] || missing+=(clamav-daemon)
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
    else
        echo "missing: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
        exit 1
    fi
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
    swift build -c release --scratch-path .build-release --product medvault 2>&1 | grep -v "CMakeLists.txt" | tail -n 3 >&2
fi
BIN="$PWD/.build-release/release/medvault"
[[ -x "$BIN" ]] || { echo "no release binary at $BIN" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(uname -r)"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet -- Sources 2>/dev/null || echo ' + uncommitted Sources changes'); $( (command -v clamd >/dev/null && clamd --version) || /usr/sbin/clamd --version)"
echo "$(date '+%Y-%m-%d %H:%M:%S %Z'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec python3 bench/antivirus/antivirus.py --bin "$BIN" --runs "${RUNS:-3}" --total-mib "${TOTAL_MIB:-256}" "$@"
