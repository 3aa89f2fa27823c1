#!/usr/bin/env bash
# Runs medvault's whole test suite, with its set-up, on a fresh machine (README's second command).
#
#   scripts/test.sh            every stage, in order
#   scripts/test.sh e2e        only the named stages (see STAGES below)
#   scripts/test.sh s3_peers e2e_ministack      the end-to-end suite on ministack only
#   scripts/test.sh postgres swift_test          the unit tests, persistence ones on SQLite and PostgreSQL
#
# The end-to-end suite runs three times: on the local store (e2e), then on the S3 peers of
# scripts/s3-peers.sh (s3_peers starts them; e2e_ministack and e2e_moto run the same suite with
# MEDVAULT_E2E_BACKEND set). ministack, strict, runs the whole suite but the storage-agnostic modules; moto,
# lenient, is a second opinion on the S3 server's semantics and runs only the modules marked s3_semantics (see
# Tests/e2e/conftest.py). Peers started by this run are stopped when it ends (KEEP_S3_PEERS=1 keeps them);
# peers that were already running are left alone.
#
# The clamd stage starts ClamAV's daemon with the suite's own signatures (scripts/clamd.sh); the Scanning tests
# and the antivirus end-to-end tests run against it. A clamd started by this run is stopped when it ends
# (KEEP_CLAMD=1 keeps it).
#
# The postgres stage starts a throw-away PostgreSQL server (scripts/postgres.sh); swift_test then runs the
# persistence tests on both engines (MEDVAULT_TEST_DATABASE_URL), and e2e_postgres runs the end-to-end suite
# on the local store with every server on PostgreSQL (MEDVAULT_E2E_DATABASE_URL), but for the modules marked
# database_agnostic (request handling, pages in the browser), which the SQLite run covers. A server started by this
# run is stopped when it ends (KEEP_POSTGRES=1 keeps it).
#
# e2e_nodes (about a minute) runs Tests/e2e/test_two_nodes.py: two medvault nodes on that PostgreSQL server and
# one ministack bucket behind nginx round-robin (nginx as a process with a generated configuration, Tests/e2e/nodes.py).
#
# Each stage is one function `stage_<name>`; add a stage by writing the function and listing its
# name in STAGES. Set-up stages are idempotent and cheap when everything is already in place.
# The script stops at the first set-up or build failure; test stages all run, and the script exits
# non-zero if any of them failed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

STAGES=(system_packages python_env s3_peers clamd postgres swift_build lint swift_test fuzz e2e e2e_postgres e2e_nodes schemathesis e2e_ministack e2e_moto)
# Stages whose failure should not stop the stages after them (the others abort the run).
TEST_STAGES=" lint swift_test fuzz e2e e2e_postgres e2e_nodes schemathesis e2e_ministack e2e_moto "

# BUILD_PACKAGES (scripts/packages.sh): the libraries the build links (libmagic, SQLite, libvips).
# sqlite3: the shell the audit tests tamper with the database through.
# chromium and chromium-driver: the real-browser tests (Tests/e2e/test_browser.py, through selenium).
# clamav-daemon: clamd, which scans every upload (scripts/clamd.sh).
# postgresql and postgresql-contrib (pg_trgm): the PostgreSQL engine's tests (scripts/postgres.sh).
# nginx-light: the load balancer in front of two nodes (e2e_nodes).
# libimage-exiftool-perl: exiftool, which reads the metadata left in stored images (Tests/e2e/test_metadata_stripping.py).
# ffmpeg (and ffprobe): video poster frames and the phone transcode (Sources/Server/Video), and the test videos.
. "$REPO_ROOT/scripts/packages.sh"
APT_PACKAGES=("${BUILD_PACKAGES[@]}" sqlite3 chromium chromium-driver clamav-daemon postgresql postgresql-contrib nginx-light
    libimage-exiftool-perl ffmpeg)
VENV_DIR="$REPO_ROOT/.venv-test"
REQUIREMENTS="$REPO_ROOT/scripts/requirements-test.txt"
export PYTHONDONTWRITEBYTECODE=1

section() { printf '\n==== %s ====\n' "$*"; }
note() { printf -- '-- %s\n' "$*"; }

# --- stages -----------------------------------------------------------------------------------------

stage_system_packages() {
    install_missing "${APT_PACKAGES[@]}"
    command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6.3 toolchain first" >&2; return 1; }
    local version
    version="$(swift --version 2>&1)"
    echo "${version%%$'\n'*}"
}

stage_python_env() {
    if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        apt_install python3 python3-venv
    fi
    local stamp="$VENV_DIR/.requirements.sha256" wanted
    wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
    if [ -x "$VENV_DIR/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
        note "$VENV_DIR is up to date"
    else
        [ -x "$VENV_DIR/bin/python" ] || python3 -m venv "$VENV_DIR"
        "$VENV_DIR/bin/python" -m pip install --disable-pip-version-check -q -r "$REQUIREMENTS"
        echo "$wanted" >"$stamp"
    fi
    "$VENV_DIR/bin/python" -m pytest --version
}

stage_swift_build() {
    # One build for the executable and every test target; `swift test --skip-build` reuses it
    # (alternating build and test would recompile HummingbirdCore each time).
    swift build --build-tests
}

stage_lint() {
    # The toolchain's own formatter, with the repository's .swift-format: any finding fails the stage.
    swift format lint --strict -r Sources Tests
}

stage_swift_test() {
    # The S3 integration tests of ObjectStorageTests run against strict ministack when it is up, and the
    # Scanning tests against the real clamd when the clamd stage started it, and the persistence tests on
    # PostgreSQL too when the postgres stage started it.
    if [ -f "$REPO_ROOT/.clamd/clamd.env" ]; then
        MEDVAULT_TEST_CLAMD_URL="$(. "$REPO_ROOT/.clamd/clamd.env" && echo "$MEDVAULT_CLAMD_URL")"
        export MEDVAULT_TEST_CLAMD_URL
    fi
    if [ -f "$REPO_ROOT/.s3-peers/ministack.env" ]; then
        export MEDVAULT_S3_TEST_ENV="$REPO_ROOT/.s3-peers/ministack.env"
    fi
    if [ -f "$REPO_ROOT/.postgres/postgres.env" ]; then
        MEDVAULT_TEST_DATABASE_URL="$(postgres_url)"
        export MEDVAULT_TEST_DATABASE_URL
    else
        note "PostgreSQL is not running: the persistence tests run on SQLite only"
    fi
    swift test --skip-build
}

stage_postgres() {
    scripts/postgres.sh start
}

# The DATABASE_URL of the server that scripts/postgres.sh started, without exporting anything else.
postgres_url() {
    (. "$REPO_ROOT/.postgres/postgres.env" && echo "$DATABASE_URL")
}

stage_fuzz() {
    # Every libFuzzer target for FUZZ_SECONDS (30) from its checked-in corpus; a crash fails the stage and
    # leaves its input in artifacts/fuzz/<target>/ (scripts/fuzz.sh; README, "Fuzzing").
    # The targets run side by side, one per core (FUZZ_JOBS): each still gets its full time, the stage takes a
    # fraction of the wall time. xargs exits non-zero when any run failed.
    scripts/fuzz.sh build
    scripts/fuzz.sh list | xargs -P "${FUZZ_JOBS:-$(nproc)}" -I '{}' scripts/fuzz.sh run '{}' "${FUZZ_SECONDS:-30}"
}

medvault_bin() {
    local bin="${MEDVAULT_BIN:-$(swift build --show-bin-path)/medvault}"
    [ -x "$bin" ] || { echo "no medvault binary at $bin: run the swift_build stage first" >&2; return 1; }
    echo "$bin"
}

# pytest on Tests/e2e with MEDVAULT_E2E_BACKEND=$1.
run_e2e() {
    local backend=$1 bin code=0
    bin="$(medvault_bin)"
    note "binary: $bin; storage backend: $backend"
    # The antivirus tests need clamd: with the env file named, they fail rather than skip when it is missing.
    MEDVAULT_BIN="$bin" MEDVAULT_E2E_BACKEND="$backend" MEDVAULT_E2E_CLAMD_ENV="$REPO_ROOT/.clamd/clamd.env" \
        "$VENV_DIR/bin/python" -m pytest -q Tests/e2e || code=$?
    if [ "$code" -eq 5 ]; then
        echo "pytest collected no end-to-end tests: that is a failure, not a pass" >&2
    fi
    return "$code"
}

stage_e2e() {
    run_e2e local
}

stage_e2e_postgres() {
    [ -f "$REPO_ROOT/.postgres/postgres.env" ] || { echo "PostgreSQL is not running: run the postgres stage first" >&2; return 1; }
    MEDVAULT_E2E_DATABASE_URL="$(postgres_url)"
    export MEDVAULT_E2E_DATABASE_URL
    run_e2e local
}

stage_e2e_nodes() {
    [ -f "$REPO_ROOT/.postgres/postgres.env" ] || { echo "PostgreSQL is not running: run the postgres stage first" >&2; return 1; }
    require_peer ministack
    MEDVAULT_BIN="$(medvault_bin)" MEDVAULT_E2E_DATABASE_URL="$(postgres_url)" MEDVAULT_E2E_NODES=1 \
        "$VENV_DIR/bin/python" -m pytest -q -rs Tests/e2e/test_two_nodes.py
}

# Public/openapi.yaml against the server: valid OpenAPI 3.1 that keeps medvault's own rules, then
# schemathesis with every check against a fresh medvault on the local store (scripts/run_schemathesis.py;
# SCHEMATHESIS_SEED and SCHEMATHESIS_MAX_EXAMPLES explore further).
stage_schemathesis() {
    local bin
    bin="$(medvault_bin)"
    "$VENV_DIR/bin/python" scripts/validate_openapi.py
    MEDVAULT_BIN="$bin" "$VENV_DIR/bin/python" scripts/run_schemathesis.py
}

stage_s3_peers() {
    scripts/s3-peers.sh start
}

require_peer() {
    [ -f "$REPO_ROOT/.s3-peers/$1.env" ] || { echo "$1 is not running: run the s3_peers stage first" >&2; return 1; }
}

stage_e2e_ministack() {
    require_peer ministack
    run_e2e ministack
}

stage_e2e_moto() {
    require_peer moto
    run_e2e moto
}

stage_clamd() {
    scripts/clamd.sh start
}

stop_clamd() {
    if [ "${KEEP_CLAMD:-0}" = 1 ]; then
        note "KEEP_CLAMD=1: leaving clamd running (scripts/clamd.sh stop ends it)"
    else
        section "stopping clamd"
        scripts/clamd.sh stop || true
    fi
}

stop_postgres() {
    if [ "${KEEP_POSTGRES:-0}" = 1 ]; then
        note "KEEP_POSTGRES=1: leaving PostgreSQL running (scripts/postgres.sh stop ends it)"
    else
        section "stopping PostgreSQL"
        scripts/postgres.sh stop || true
    fi
}

stop_s3_peers() {
    if [ "${KEEP_S3_PEERS:-0}" = 1 ]; then
        note "KEEP_S3_PEERS=1: leaving the S3 peers running (scripts/s3-peers.sh stop ends them)"
    else
        section "stopping the S3 peers"
        scripts/s3-peers.sh stop || true
    fi
}

# --- driver -----------------------------------------------------------------------------------------

main() {
    local selected=("$@") stage
    [ "${#selected[@]}" -gt 0 ] || selected=("${STAGES[@]}")
    for stage in "${selected[@]}"; do
        declare -F "stage_$stage" >/dev/null || { echo "unknown stage '$stage' (stages: ${STAGES[*]})" >&2; exit 2; }
    done

    # Servers this run starts are stopped however it ends; servers that already ran are someone else's.
    local on_exit=""
    if [[ " ${selected[*]} " == *" s3_peers "* ]] && ! scripts/s3-peers.sh status >/dev/null 2>&1; then
        on_exit+="stop_s3_peers;"
    fi
    if [[ " ${selected[*]} " == *" clamd "* ]] && ! scripts/clamd.sh status >/dev/null 2>&1; then
        on_exit+="stop_clamd;"
    fi
    if [[ " ${selected[*]} " == *" postgres "* ]] && ! scripts/postgres.sh status >/dev/null 2>&1; then
        on_exit+="stop_postgres;"
    fi
    [ -z "$on_exit" ] || trap "$on_exit" EXIT

    local results=() failed=0 started elapsed code
    local run_started=$SECONDS
    for stage in "${selected[@]}"; do
        section "$stage"
        started=$SECONDS
        # A subshell with errexit on, outside any `if`/`||`, so `set -e` really applies inside the stage.
        set +e
        (set -e; "stage_$stage")
        code=$?
        set -e
        elapsed=$((SECONDS - started))
        if [ "$code" -eq 0 ]; then
            results+=("PASS  $stage (${elapsed}s)")
        else
            results+=("FAIL  $stage (${elapsed}s, exit $code)")
            failed=1
            if [[ "$TEST_STAGES" != *" $stage "* ]]; then
                note "set-up stage '$stage' failed: stopping"
                break
            fi
        fi
    done

    section "summary ($((SECONDS - run_started))s)"
    printf '%s\n' "${results[@]}"
    if [ "$failed" -ne 0 ]; then
        echo "test.sh: FAILED"
        exit 1
    fi
    echo "test.sh: all stages passed"
}

main "$@"
