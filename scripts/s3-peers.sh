#!/usr/bin/env bash
# Real S3 servers for medvault's tests and benchmarks, as plain processes on 127.0.0.1
# (see shared/S3-PEERS.md). Usage: scripts/s3-peers.sh start|stop|status|probe
#
#   start   (idempotent) venvs .venv-ministack (ministack==1.5.33 + boto3==1.43.106) and .venv-moto
#           (moto[server]==5.2.5 + boto3), installed only when the requirements file changed; starts
#           ministack (AUTH=true) and moto_server on free ports (or MINISTACK_PORT / MOTO_PORT) unless
#           they already run; creates bucket medvault-test (+ on ministack an IAM user with an s3:*
#           inline policy and its access key, as root test/test); checks; writes
#           .s3-peers/ministack.env and .s3-peers/moto.env (`export` lines: AWS_ACCESS_KEY_ID,
#           AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_S3_DOCUMENTS_BUCKET_NAME, AWS_ENDPOINT_URL_S3)
#           and prints their paths. Logs, pids, ports in .s3-peers/.
#   stop    stops both by recorded pid (process group), removes pid, port and env files.
#   status  says what runs, on which port, and whether it answers.
#   probe   re-runs the findings below against the running ministack.
# Env: MINISTACK_PORT, MOTO_PORT, S3_PEERS_START_TIMEOUT (s, default 60), S3_PEERS_PYTHON (python3).
#
# FINDINGS for the Swift S3 client (ministack 1.5.33, AUTH=true, signed as the IAM user; `probe`):
# - SSE echo: yes. PutObject/GetObject/HeadObject echo x-amz-server-side-encryption exactly as stored:
#   AES256, or aws:kms + x-amz-server-side-encryption-aws-kms-key-id. An object put WITHOUT SSE gets
#   no header at all on HEAD (real AWS now answers AES256 by default; a bucket with PutBucketEncryption
#   default AES256 does echo it). So "HEAD shows SSE" only proves something if we sent SSE. CopyObject
#   without SSE headers drops the SSE. aws:kms WITHOUT a key id is refused (400 InvalidArgument; AWS
#   would use aws/s3), an unknown algorithm is refused (400 InvalidArgument).
# - Multipart + SSE: yes. CreateMultipartUpload with AES256 or aws:kms+key id; UploadPart,
#   CompleteMultipartUpload and HEAD all echo the SSE; ETag "<md5>-N". Lenient: a non-last part
#   under 5 MiB is accepted (AWS answers EntityTooSmall), so tests cannot rely on that error here.
# - UNSIGNED-PAYLOAD: accepted for header-signed PutObject (x-amz-content-sha256: UNSIGNED-PAYLOAD
#   in the canonical request and the header): 200, bytes stored intact. Lenient: a
#   x-amz-content-sha256 that does not match the body is also accepted (AWS: 400
#   XAmzContentSHA256Mismatch), and an x-amz-server-side-encryption header left out of SignedHeaders
#   is accepted (AWS refuses unsigned x-amz-* headers): sign them anyway.
# - Strict where it matters: wrong secret 403 SignatureDoesNotMatch (body carries its
#   CanonicalRequest/StringToSign: handy for debugging); unknown key 403 InvalidAccessKeyId;
#   x-amz-date 20 min off 403 RequestTimeTooSkewed; pre-signed: tampered signature / key /
#   X-Amz-Expires 403, expired 403 "Request has expired", X-Amz-Expires > 604800 400
#   AuthorizationQueryParametersError; presigned PUT and response-content-disposition work.
#   Keys with space, +, =, ü (each byte %XX-encoded, '/' kept) work; Range 206, past end 416.
# - Header signatures of root keys ("test", the configured key, any 12-digit key) are never checked
#   (pre-signed URLs are: wrong root secret 403); a 12-digit key acts as another account (403 on our
#   bucket). Hence medvault signs as the IAM user.
# - moto_server: no signature checks at all; use it for broad S3 behaviour only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.s3-peers"
SETUP="$ROOT/scripts/s3_peer_setup.py"
PY="${S3_PEERS_PYTHON:-python3}"
TIMEOUT="${S3_PEERS_START_TIMEOUT:-60}"
MS_VENV="$ROOT/.venv-ministack"
MOTO_VENV="$ROOT/.venv-moto"

say() { echo "s3-peers: $*"; }
die() { echo "s3-peers: ERROR: $*" >&2; exit 1; }

venv_of() { [[ $1 == ministack ]] && echo "$MS_VENV" || echo "$MOTO_VENV"; }
requirements_of() { echo "$ROOT/scripts/requirements-$1.txt"; }
port_override() { [[ $1 == ministack ]] && echo "${MINISTACK_PORT:-}" || echo "${MOTO_PORT:-}"; }
health_path() { [[ $1 == ministack ]] && echo "/_ministack/health" || echo "/"; }
binary_of() { [[ $1 == ministack ]] && echo "ministack" || echo "moto_server"; }

# --- virtualenvs -------------------------------------------------------------------------------

make_venv() {
    local venv=$1
    rm -rf "$venv"
    if ! "$PY" -m venv "$venv" 2>/dev/null || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
        # Debian's python3 needs python3-venv for ensurepip.
        if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
            say "python3 -m venv failed; installing python3-venv with apt-get"
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            rm -rf "$venv"
            "$PY" -m venv "$venv" || die "cannot create $venv"
        else
            die "cannot create $venv with $PY -m venv (install python3-venv)"
        fi
    fi
}

ensure_venv() {
    local name=$1 venv req stamp want
    venv=$(venv_of "$name")
    req=$(requirements_of "$name")
    stamp="$venv/.s3-peers-installed"
    want="$(sha256sum "$req" | cut -d' ' -f1) $("$PY" -c 'import sys; print(sys.version.split()[0])')"
    if [[ -x $venv/bin/$(binary_of "$name") && -f $stamp && $(<"$stamp") == "$want" ]]; then
        return 0
    fi
    say "installing $name into ${venv#"$ROOT"/} (one-off, 0.5-3 min)"
    [[ -x $venv/bin/python ]] && "$venv/bin/python" -m pip --version >/dev/null 2>&1 || make_venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$req" \
        || die "pip install -r ${req#"$ROOT"/} failed"
    echo "$want" >"$stamp"
}

# --- processes ----------------------------------------------------------------------------------

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The recorded pid, if that process is alive and still ours (guards against pid reuse).
live_pid() {
    local name=$1 pid
    [[ -f $STATE/$name.pid ]] || return 1
    pid=$(<"$STATE/$name.pid")
    [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$(venv_of "$name")/bin/$(binary_of "$name")" || return 1
    echo "$pid"
}

answers() {
    local name=$1 pid=$2 port=$3 timeout=$4
    "$MS_VENV/bin/python" "$SETUP" wait --url "http://127.0.0.1:$port$(health_path "$name")" \
        --pid "$pid" --timeout "$timeout"
}

stop_peer() {
    local name=$1 pid i
    if pid=$(live_pid "$name"); then
        # setsid made the server its own process-group leader: end that group (and only it).
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            [[ -e /proc/$pid ]] || break
            sleep 0.1
        done
        if [[ -e /proc/$pid ]]; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
        say "stopped $name (pid $pid)"
    else
        say "$name not running"
    fi
    rm -f "$STATE/$name.pid" "$STATE/$name.port" "$STATE/$name.env"
}

launch() {
    local name=$1 port=$2 venv log
    venv=$(venv_of "$name")
    log="$STATE/$name.log"
    if [[ $name == ministack ]]; then
        mkdir -p "$STATE/tmp" "$STATE/ministack-data"
        setsid env -u S3_PERSIST -u PERSIST_STATE -u LOCALSTACK_PERSISTENCE -u AWS_SESSION_TOKEN \
            AUTH=true BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" SERVICES=s3,iam,sts \
            AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test MINISTACK_REGION=us-east-1 \
            TMPDIR="$STATE/tmp" S3_DATA_DIR="$STATE/ministack-data" \
            "$venv/bin/ministack" </dev/null >"$log" 2>&1 9>&- &
    else
        setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$log" 2>&1 9>&- &
    fi
    echo $! >"$STATE/$name.pid"
    echo "$port" >"$STATE/$name.port"
}

# Start (or reuse) one peer and run its setup; prints nothing on the env-file path itself.
start_peer() {
    local name=$1 wanted port pid fresh=""
    wanted=$(port_override "$name")
    if pid=$(live_pid "$name"); then
        port=$(<"$STATE/$name.port")
        if [[ -n $wanted && $wanted != "$port" ]]; then
            say "$name runs on $port but ${name^^}_PORT=$wanted: restarting"
            stop_peer "$name"
        elif ! answers "$name" "$pid" "$port" 5 2>/dev/null; then
            say "$name (pid $pid) does not answer: restarting"
            stop_peer "$name"
        else
            say "$name already running (pid $pid, port $port)"
        fi
    fi
    if ! pid=$(live_pid "$name"); then
        port=${wanted:-$(free_port)}
        launch "$name" "$port"
        pid=$(<"$STATE/$name.pid")
        fresh=--full
        if ! answers "$name" "$pid" "$port" "$TIMEOUT"; then
            echo "---- last lines of $STATE/$name.log ----" >&2
            tail -n 30 "$STATE/$name.log" >&2 || true
            stop_peer "$name" >&2
            die "$name did not start on 127.0.0.1:$port"
        fi
        say "$name started (pid $pid, port $port)"
    fi
    if ! "$MS_VENV/bin/python" "$SETUP" "$name" --endpoint "http://127.0.0.1:$port" \
        --env-file "$STATE/$name.env" $fresh; then
        echo "---- last lines of $STATE/$name.log ----" >&2
        tail -n 30 "$STATE/$name.log" >&2 || true
        die "$name setup/checks failed (server left running; scripts/s3-peers.sh stop ends it)"
    fi
}

status_peer() {
    local name=$1 pid port
    if pid=$(live_pid "$name"); then
        port=$(<"$STATE/$name.port")
        if answers "$name" "$pid" "$port" 3 2>/dev/null; then
            say "$name running: pid $pid, http://127.0.0.1:$port, env $STATE/$name.env"
        else
            say "$name process $pid alive but not answering on port $port"
            return 1
        fi
    else
        say "$name not running"
        return 1
    fi
}

# --- commands -----------------------------------------------------------------------------------

mkdir -p "$STATE"
[[ -f $STATE/.gitignore ]] || echo '*' >"$STATE/.gitignore"
exec 9>"$STATE/.lock" # servers are started with 9>&- so they never hold this lock
command=${1:-status}
[[ $command == status ]] || flock -w 900 9 || die "another s3-peers.sh holds $STATE/.lock"

case $command in
start)
    started=$SECONDS
    ensure_venv ministack
    ensure_venv moto
    start_peer ministack
    start_peer moto
    say "ready in $((SECONDS - started)) s; env files:"
    echo "$STATE/ministack.env"
    echo "$STATE/moto.env"
    ;;
stop)
    stop_peer ministack
    stop_peer moto
    ;;
status)
    rc=0
    status_peer ministack || rc=1
    status_peer moto || rc=1
    exit $rc
    ;;
probe)
    live_pid ministack >/dev/null && [[ -f $STATE/ministack.env ]] || die "ministack not running: start first"
    "$MS_VENV/bin/python" "$SETUP" probe --env-file "$STATE/ministack.env"
    ;;
*)
    echo "usage: $0 start|stop|status|probe" >&2
    exit 2
    ;;
esac
