/// Stops the fuzzer with `message` when a target's invariant does not hold; libFuzzer then saves the input.
///
/// `precondition` would do the same without the message in optimised builds, which is what the fuzzers are.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("invariant failed: \(message())") }
}

/// Whether `needle` occurs in `haystack`, for invariants about what an input contains.
func occurs(_ needle: some Collection<UInt8>, in haystack: some Collection<UInt8>) -> Bool {
    let needle = Array(needle)
    let haystack = Array(haystack)
    guard !needle.isEmpty else { return true }
    guard haystack.count >= needle.count else { return false }
    return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
}
