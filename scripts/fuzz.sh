#!/usr/bin/env bash
# Builds and runs medvault's libFuzzer targets (Fuzz/; README, "Fuzzing").
#
#   scripts/fuzz.sh build [TARGET...]                  build the fuzzers (all by default) into .build-fuzz/bin/
#   scripts/fuzz.sh run TARGET [SECONDS] [FLAG...]     fuzz TARGET for SECONDS (default 30; 0 = until stopped),
#                                                      passing any libFuzzer FLAGs on (e.g. -jobs=2 -workers=2)
#   scripts/fuzz.sh merge TARGET                       add to Fuzz/corpus/TARGET/ the inputs found by runs that
#                                                      reach new code
#   scripts/fuzz.sh list                               the targets
#
# A run starts from the checked-in corpus Fuzz/corpus/TARGET/ and writes what it finds to .build-fuzz/corpus/TARGET/;
# a crash, a failed invariant or a hang (-timeout) ends it with a non-zero exit and leaves the input in
# artifacts/fuzz/TARGET/. The full libFuzzer output is in .build-fuzz/logs/TARGET.log.
#
# How it builds: our library modules are compiled from Sources/ by swiftc with -sanitize=fuzzer,address, and
# each target's entry point (Fuzz/<Target>Fuzzer.swift, which defines LLVMFuzzerTestOneInput) is linked with
# them. Third-party modules (swift-nio, swift-crypto) are not instrumented: their modules and objects come from
# the product's debug build (Fuzz/swiftpm_plan.py reads SwiftPM's build plan), so run `swift build --build-tests`
# first. Package.swift and the product's build are untouched.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

OUT="$REPO_ROOT/.build-fuzz"
ARTIFACTS="$REPO_ROOT/artifacts/fuzz"
# Optimised (executions per second matter), instrumented, with debug info for readable crash stacks, and
# -enable-testing so that entry points reach internal types through @testable import.
SWIFTC_FLAGS=(-O -g -sanitize=fuzzer,address -parse-as-library -enable-testing)
# An input running longer than this many seconds is a hang.
INPUT_TIMEOUT=10

TARGETS=(multipart document-key presigned-url svg-scanner zip-directory compound-file s3-xml)
# The entry point of each target: Fuzz/<name>.swift.
declare -A ENTRY=(
    [multipart]=MultipartFuzzer
    [document-key]=DocumentKeyFuzzer
    [presigned-url]=PresignedURLFuzzer
    [svg-scanner]=SVGScannerFuzzer
    [zip-directory]=ZipDirectoryFuzzer
    [compound-file]=CompoundFileFuzzer
    [s3-xml]=S3XMLFuzzer
)
# The library modules each target links, each after the modules it imports.
declare -A MODULES=(
    [multipart]="Multipart"
    [document-key]="Documents"
    [presigned-url]="UTCCalendar SigV4"
    [svg-scanner]="Documents ContentValidation"
    [zip-directory]="Documents ContentValidation"
    [compound-file]="Documents ContentValidation"
    [s3-xml]="Documents ObjectStorage"
)
# Modules compiled from some of their files (relative to Sources/<module>/); the others are compiled whole.
declare -A MODULE_FILES=(
    # The S3 XML reader and the documents read with it, without the HTTP client the rest of the module needs.
    [ObjectStorage]="S3/S3XMLReader.swift S3/S3Documents.swift S3/S3DateParser.swift ObjectInfo.swift UploadedPart.swift"
)

note() { printf -- '-- %s\n' "$*"; }
relative() { echo "${1#"$REPO_ROOT"/}"; }
fail() {
    echo "fuzz.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

require_target() {
    [ -n "${ENTRY[$1]:-}" ] || fail "unknown target '$1' (targets: ${TARGETS[*]})"
}

module_sources() {
    local module=$1 file
    if [ -n "${MODULE_FILES[$module]:-}" ]; then
        for file in ${MODULE_FILES[$module]}; do echo "Sources/$module/$file"; done
    else
        find "Sources/$module" -name '*.swift' | sort
    fi
}

BIN_PATH=""
# The product's debug build directory, whose third-party modules and objects the fuzzers link.
product_build() {
    if [ -z "$BIN_PATH" ]; then
        BIN_PATH="$(swift build --show-bin-path 2>/dev/null)"
        [ -f "$BIN_PATH/description.json" ] || fail "no product build in $BIN_PATH: run \`swift build --build-tests\` first"
    fi
}

# Runs Fuzz/swiftpm_plan.py with the arguments after the first; its output lines go into the array named $1.
plan() {
    local -n lines=$1
    local output
    output="$(python3 Fuzz/swiftpm_plan.py "${@:2}")"
    lines=()
    [ -z "$output" ] || mapfile -t lines <<<"$output"
}

# Compiler flags for importing the given modules' dependencies into the array FLAGS.
plan_flags() {
    plan FLAGS flags "$BIN_PATH" "$@"
    FLAGS+=(-I "$OUT/modules" -I "$BIN_PATH/Modules" -module-cache-path "$OUT/module-cache")
}

declare -A BUILT=()
# Compiles one library module, instrumented, to .build-fuzz/objects/<module>.o and its .swiftmodule.
build_module() {
    local module=$1 sources
    [ -z "${BUILT[$module]:-}" ] || return 0
    mapfile -t sources < <(module_sources "$module")
    plan_flags "$module"
    note "compiling $module (${#sources[@]} files)"
    swiftc "${SWIFTC_FLAGS[@]}" "${FLAGS[@]}" -module-name "$module" -wmo \
        -emit-module -emit-module-path "$OUT/modules/$module.swiftmodule" \
        -c -o "$OUT/objects/$module.o" "${sources[@]}"
    BUILT[$module]=1
}

# Compiles a target's entry point and links it with its modules and their third-party dependencies.
build_target() {
    local target=$1 module entry modules sources=() objects=() dependencies
    read -ra modules <<<"${MODULES[$target]}"
    for module in "${modules[@]}"; do
        build_module "$module"
        objects+=("$OUT/objects/$module.o")
        mapfile -t -O "${#sources[@]}" sources < <(module_sources "$module")
    done
    entry="Fuzz/${ENTRY[$target]}.swift"
    plan dependencies objects "$BIN_PATH" "${sources[@]}" "$entry"
    plan_flags "${modules[@]}"
    note "linking $target"
    swiftc "${SWIFTC_FLAGS[@]}" "${FLAGS[@]}" -module-name FuzzTarget -use-ld=lld \
        "$entry" Fuzz/Support/*.swift "${objects[@]}" "${dependencies[@]}" -o "$OUT/bin/$target"
}

command_build() {
    local targets=("$@") target started=$SECONDS
    [ "${#targets[@]}" -gt 0 ] || targets=("${TARGETS[@]}")
    for target in "${targets[@]}"; do require_target "$target"; done
    product_build
    mkdir -p "$OUT/bin" "$OUT/modules" "$OUT/objects"
    for target in "${targets[@]}"; do build_target "$target"; done
    note "built ${targets[*]} in $((SECONDS - started)) s"
}

command_run() {
    [ $# -ge 1 ] || usage
    local target=$1 seconds=${2:-30}
    shift $(($# >= 2 ? 2 : 1))
    require_target "$target"
    [[ "$seconds" =~ ^[0-9]+$ ]] || fail "SECONDS must be a whole number, not '$seconds'"
    [ -x "$OUT/bin/$target" ] || command_build "$target"
    local corpus="$OUT/corpus/$target" artifacts="$ARTIFACTS/$target" log="$OUT/logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "$OUT/logs"
    local options=(
        -max_total_time="$seconds" -timeout="$INPUT_TIMEOUT" -print_final_stats=1 -artifact_prefix="$artifacts/"
    )
    [ ! -f "Fuzz/dictionaries/$target.dict" ] || options+=(-dict="$REPO_ROOT/Fuzz/dictionaries/$target.dict")
    note "fuzzing $target for ${seconds} s (log: $(relative "$log"))"
    local started="$OUT/logs/$target.started" code=0
    touch "$started"
    # Swift's own crash backtracer would read memory that AddressSanitizer guards; libFuzzer prints the stack.
    # From the logs directory, where -jobs puts its workers' logs.
    (cd "$OUT/logs" && SWIFT_BACKTRACE=enable=no "$OUT/bin/$target" "${options[@]}" "$@" "$corpus" "$REPO_ROOT/Fuzz/corpus/$target") \
        >"$log" 2>&1 || code=$?
    local executions speed coverage
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    coverage="$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)"
    if [ "$code" -eq 0 ]; then
        note "$target: ${executions:-?} runs, ${speed:-?} exec/s, ${coverage:-no coverage reported}"
        return 0
    fi
    tail -n 60 "$log" >&2
    local found
    found="$(find "$artifacts" -type f -newer "$started" | head -5 | sed "s|^$REPO_ROOT/||")"
    echo "fuzz.sh: $target failed (exit $code); the input is kept in: ${found:-$(relative "$artifacts")/}" >&2
    echo "fuzz.sh: reproduce with $(relative "$OUT/bin/$target") FILE" >&2
    return "$code"
}

command_merge() {
    [ $# -eq 1 ] || usage
    local target=$1
    require_target "$target"
    [ -x "$OUT/bin/$target" ] || command_build "$target"
    [ -d "$OUT/corpus/$target" ] || fail "nothing to merge: run \`scripts/fuzz.sh run $target\` first"
    SWIFT_BACKTRACE=enable=no "$OUT/bin/$target" -merge=1 "Fuzz/corpus/$target" "$OUT/corpus/$target"
}

main() {
    [ $# -ge 1 ] || usage
    local command=$1
    shift
    case "$command" in
    build) command_build "$@" ;;
    run) command_run "$@" ;;
    merge) command_merge "$@" ;;
    list) printf '%s\n' "${TARGETS[@]}" ;;
    *) usage ;;
    esac
}

main "$@"
