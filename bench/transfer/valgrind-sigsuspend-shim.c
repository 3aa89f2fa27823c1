// Profiling aid, not part of medvault: lets valgrind 3.19 (Debian 12) run `medvault serve`.
//
// Without it valgrind dies at start-up ("VALGRIND INTERNAL ERROR: Valgrind received a signal 11") in
// rt_sigsuspend: its syscall wrapper writes into the signal mask it is given, and medvault's start-up passes a
// mask that lives in read-only memory. This wrapper hands the kernel a copy on the stack instead.
// valgrind 3.19 also cannot read the DWARF 5 debug info of a Swift 6 release build; strip it first.
//
//   gcc -O2 -shared -fPIC bench/transfer/valgrind-sigsuspend-shim.c -o /tmp/sigsuspend-shim.so
//   objcopy --strip-debug .build-release/release/medvault /tmp/medvault-nodebug
//   LD_PRELOAD=/tmp/sigsuspend-shim.so valgrind --tool=callgrind --instr-atstart=no /tmp/medvault-nodebug serve …
//   callgrind_control -i on <pid>; <workload>; callgrind_control -d <pid>
//
// Note: valgrind does not emulate SHA-NI or VAES, so BoringSSL takes its AVX paths under valgrind and the share of
// SHA-256 / AES-GCM in a callgrind profile is several times what it is natively; use `perf record -e cpu-clock`
// for native shares.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
