# Sourced by the benchmark scripts (from the repository root): what each needs the same way.
#
#   bench_binary         builds the release medvault in .build-release (unless SKIP_BUILD=1) and sets BIN to it
#   bench_ministack      starts scripts/s3-peers.sh (unless NO_S3=1) and sets S3_ENV to ministack's env file ("" without)
#   bench_describe       prints the machine and the commit measured

bench_binary() {
    if [[ -z "${SKIP_BUILD:-}" ]]; then
        swift build -c release --scratch-path .build-release --product medvault 2>&1 | grep -v "CMakeLists.txt" | tail -n 3 >&2
    fi
    BIN="$PWD/.build-release/release/medvault"
    [[ -x "$BIN" ]] || { echo "no release binary at $BIN" >&2; exit 1; }
}

bench_ministack() {
    S3_ENV=""
    if [[ -z "${NO_S3:-}" ]]; then
        scripts/s3-peers.sh start >&2
        S3_ENV="$PWD/.s3-peers/ministack.env"
    fi
}

bench_describe() {
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(uname -r)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet -- Sources 2>/dev/null || echo ' + uncommitted Sources changes')"
}
