#!/usr/bin/env bash
# ClamAV's daemon for medvault's tests and benchmarks, as a plain process on a unix socket, with a signature
# database of its own: Debian's ClamAV cannot download signatures here, and the tests must not need the internet.
# Usage: scripts/clamd.sh start|stop|status
#
#   start   (idempotent) writes, under the state directory, db/medvault-test.hdb and db/medvault-test.ndb (the
#           signatures below), clamd.conf (the limits below, Foreground, the socket, `User root` when run as root),
#           starts clamd with -c unless it already runs and answers, waits for PONG, and writes clamd.env
#           (`export MEDVAULT_CLAMD_URL=unix://…/clamd.sock`), whose path it prints. Logs (clamd.log, clamd.out)
#           and pid beside them.
#   stop    stops clamd by its recorded pid (its process group) and removes the pid, socket and env files.
#   status  says whether clamd runs and answers.
#
# Env:
#   CLAMD_STATE               the state directory (default .clamd in the repository); tests start private
#                             instances under their own temporary directories with it
#   CLAMD_STREAM_MAX_LENGTH   StreamMaxLength (default 100M)
#   CLAMD_MAX_FILE_SIZE       MaxFileSize (default 100M)
#   CLAMD_MAX_SCAN_SIZE       MaxScanSize (default 400M)
#   CLAMD_ALERT_EXCEEDS_MAX   AlertExceedsMax, yes or no (default yes, as README recommends)
#   CLAMD_COMMAND_READ_TIMEOUT CommandReadTimeout in seconds (default 300; clamd's own is 30)
#   CLAMD_TCP_PORT            also listen on 127.0.0.1:PORT (TCPSocket); the env file still names the unix socket
#   CLAMD_START_TIMEOUT       seconds to wait for PONG (default 30)
#
# Signatures (names as clamd reports them, with the .UNOFFICIAL suffix clamd adds to databases it did not sign):
#   Eicar-Test-Signature      .hdb: the MD5 and size of the 68-byte EICAR test file, as the official database
#                             detects it (by hash), so medvault's start-up probe finds it in its ZIP archive
#   MedVault.Test.Marker      .ndb: the ASCII text MEDVAULT-SCAN-TEST-MARKER-7f3a91c2 anywhere in any file, for
#                             files whose test content sits deep inside (the end of a 40 MiB DICOM file)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${CLAMD_STATE:-$ROOT/.clamd}"
TIMEOUT="${CLAMD_START_TIMEOUT:-30}"
SOCKET="$STATE/clamd.sock"
MARKER="MEDVAULT-SCAN-TEST-MARKER-7f3a91c2"

say() { echo "clamd.sh: $*"; }
die() { echo "clamd.sh: ERROR: $*" >&2; exit 1; }

clamd_binary() {
    command -v clamd 2>/dev/null || { [[ -x /usr/sbin/clamd ]] && echo /usr/sbin/clamd; } \
        || die "clamd not found: install Debian's clamav-daemon (scripts/test.sh does)"
}

# Whether clamd answers PING on the socket with PONG (python3: bash cannot open a unix socket).
answers() {
    python3 - "$SOCKET" <<'PY' 2>/dev/null
import socket, sys
connection = socket.socket(socket.AF_UNIX)
connection.settimeout(2)
connection.connect(sys.argv[1])
connection.sendall(b"zPING\0")
sys.exit(0 if connection.recv(16) == b"PONG\0" else 1)
PY
}

# The recorded pid, if that process is alive and still clamd with our config (guards against pid reuse).
live_pid() {
    local pid
    [[ -f $STATE/clamd.pid ]] || return 1
    pid=$(<"$STATE/clamd.pid")
    [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$STATE/clamd.conf" || return 1
    echo "$pid"
}

write_database() {
    mkdir -p "$STATE/db"
    # md5:size:name (the EICAR test file: 44d88612fea8a8f36de82e1278abb02f, 68 bytes).
    echo "44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature" >"$STATE/db/medvault-test.hdb"
    # name:target type (0 = any file):offset (* = anywhere):hex bytes.
    echo "MedVault.Test.Marker:0:*:$(printf '%s' "$MARKER" | od -An -v -tx1 | tr -d ' \n')" >"$STATE/db/medvault-test.ndb"
}

write_config() {
    {
        echo "Foreground yes"
        echo "LocalSocket $SOCKET"
        echo "LocalSocketMode 600"
        [[ -n ${CLAMD_TCP_PORT:-} ]] && printf 'TCPSocket %s\nTCPAddr 127.0.0.1\n' "$CLAMD_TCP_PORT"
        [[ $(id -u) == 0 ]] && echo "User root"
        echo "DatabaseDirectory $STATE/db"
        echo "TemporaryDirectory $STATE/tmp"
        echo "LogFile $STATE/clamd.log"
        echo "LogTime yes"
        echo "StreamMaxLength ${CLAMD_STREAM_MAX_LENGTH:-100M}"
        echo "MaxFileSize ${CLAMD_MAX_FILE_SIZE:-100M}"
        echo "MaxScanSize ${CLAMD_MAX_SCAN_SIZE:-400M}"
        echo "AlertExceedsMax ${CLAMD_ALERT_EXCEEDS_MAX:-yes}"
        # clamd drops a connection whose command has not arrived within CommandReadTimeout (30 s by default). The
        # unit tests run in parallel on two cores beside PostgreSQL and bcrypt, and a scan task can wait that long
        # for a thread there; give the test daemon room (the product's own deadlines are tested separately).
        echo "CommandReadTimeout ${CLAMD_COMMAND_READ_TIMEOUT:-300}"
    } >"$STATE/clamd.conf"
}

stop_clamd() {
    local pid i
    if pid=$(live_pid); then
        # setsid made clamd its own process-group leader: end that group (and only it).
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            [[ -e /proc/$pid ]] || break
            sleep 0.1
        done
        [[ -e /proc/$pid ]] && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
        say "stopped clamd (pid $pid)"
    else
        say "clamd not running"
    fi
    rm -f "$STATE/clamd.pid" "$STATE/clamd.env" "$SOCKET"
}

start_clamd() {
    local pid i
    if pid=$(live_pid); then
        if answers; then
            say "clamd already running (pid $pid)"
            return 0
        fi
        say "clamd (pid $pid) does not answer: restarting"
        stop_clamd
    fi
    ((${#SOCKET} < 100)) || die "the socket path $SOCKET is too long for a unix socket: set CLAMD_STATE to a shorter directory"
    mkdir -p "$STATE/tmp"
    write_database
    write_config
    rm -f "$SOCKET"
    setsid "$(clamd_binary)" -c "$STATE/clamd.conf" </dev/null >"$STATE/clamd.out" 2>&1 9>&- &
    echo $! >"$STATE/clamd.pid"
    for ((i = 0; i < TIMEOUT * 10; i++)); do
        answers && break
        live_pid >/dev/null || break
        sleep 0.1
    done
    if ! answers; then
        echo "---- last lines of $STATE/clamd.out and clamd.log ----" >&2
        tail -n 15 "$STATE/clamd.out" "$STATE/clamd.log" >&2 || true
        stop_clamd >&2
        die "clamd did not answer on $SOCKET"
    fi
    say "clamd started (pid $(<"$STATE/clamd.pid"), unix://$SOCKET)"
}

mkdir -p "$STATE"
[[ -f $STATE/.gitignore ]] || echo '*' >"$STATE/.gitignore"
exec 9>"$STATE/.lock" # clamd is started with 9>&- so it never holds this lock
command=${1:-status}
[[ $command == status ]] || flock -w 120 9 || die "another clamd.sh holds $STATE/.lock"

case $command in
start)
    start_clamd
    echo "export MEDVAULT_CLAMD_URL=unix://$SOCKET" >"$STATE/clamd.env"
    echo "$STATE/clamd.env"
    ;;
stop)
    stop_clamd
    ;;
status)
    if pid=$(live_pid) && answers; then
        say "clamd running: pid $pid, unix://$SOCKET, env $STATE/clamd.env"
    else
        say "clamd not running"
        exit 1
    fi
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
