import Crypto
import Foundation
import SigV4

/// Pre-signed GET URLs per second on one thread: medvault's `SigV4Signer.presign` against the physical floor (one
/// SHA-256 of the canonical request and one HMAC-SHA256 of the string to sign with a cached key).
///
///     PresignBenchmark [--runs 5] [--seconds 2] [--sample-url] [--only medvault|floor]
///
/// Prints `key=value` lines (read by `bench/presign/run.sh`). `--sample-url` prints only the URL signed at
/// 2025-01-01T00:00:00Z, which `run.sh` compares with botocore's for the same instant. `--only` runs one side
/// alone (for `perf record` or `valgrind --tool=callgrind`) and prints its rate.
@main
enum PresignBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        func option(_ name: String, default value: Double) -> Double {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Double(arguments[index + 1]) else {
                return value
            }
            return parsed
        }
        let runs = max(1, Int(option("--runs", default: 5)))
        let seconds = option("--seconds", default: 2)

        let signer = try SigV4Signer(
            credentials: Credentials(accessKeyID: Workload.accessKeyID, secretAccessKey: Workload.secretAccessKey),
            region: Workload.region
        )
        let addressing = try S3Addressing(endpoint: Workload.endpoint, style: .path)
        func presign(at date: Date) throws -> String {
            let location = try addressing.location(bucket: Workload.bucket, key: Workload.key)
            return try signer.presign(method: "GET", location: location, query: Workload.query, expires: Workload.expires, date: date)
        }

        // Cross-check: medvault's URL at a fixed instant carries the signature computed by hand, so the floor below
        // hashes exactly the canonical request and string to sign that medvault signs.
        let sampleURL = try presign(at: Workload.sampleDate)
        if arguments.contains("--sample-url") {
            print(sampleURL)
            return
        }
        let canonicalRequest = Workload.canonicalRequest(timestamp: Workload.sampleTimestamp, dateStamp: Workload.sampleDateStamp)
        var stringToSign = Workload.stringToSign(
            canonicalRequest: canonicalRequest,
            timestamp: Workload.sampleTimestamp,
            dateStamp: Workload.sampleDateStamp
        )
        let signingKey = Workload.signingKey(dateStamp: Workload.sampleDateStamp)
        let expected = HMAC<SHA256>.authenticationCode(for: stringToSign, using: signingKey).map { String(format: "%02x", $0) }.joined()
        guard sampleURL.hasSuffix("&X-Amz-Signature=" + expected) else {
            print("error=medvault's signature differs from the hand-computed one; the floor would not measure the same work")
            print("medvault_url=\(sampleURL)")
            exit(1)
        }

        // The floor: the key is derived and keyed once (inner and outer pads absorbed), as a cached signing key is.
        let keyedMAC = HMAC<SHA256>(key: signingKey)
        let hashOffset = stringToSign.count - 64
        let hexDigits = Array("0123456789abcdef".utf8)
        func floorIteration() -> UInt64 {
            let digest = SHA256.hash(data: canonicalRequest)
            digest.withUnsafeBytes { bytes in
                for (index, byte) in bytes.enumerated() {
                    stringToSign[hashOffset + 2 * index] = hexDigits[Int(byte >> 4)]
                    stringToSign[hashOffset + 2 * index + 1] = hexDigits[Int(byte & 0x0F)]
                }
            }
            var mac = keyedMAC
            mac.update(data: stringToSign)
            return mac.finalize().withUnsafeBytes { UInt64($0[0]) }
        }
        func medvaultIteration() throws -> UInt64 {
            UInt64(try presign(at: Date()).utf8.count)
        }

        var sink: UInt64 = 0
        if let index = arguments.firstIndex(of: "--only"), index + 1 < arguments.count {
            let only = arguments[index + 1]
            let result =
                only == "floor"
                ? Stopwatch.run(seconds: seconds, sink: &sink, floorIteration) : try Stopwatch.run(seconds: seconds, sink: &sink, medvaultIteration)
            print("\(only == "floor" ? "floor" : "medvault")_wall=\(Int(result.perWallSecond)) iterations=\(result.iterations) sink=\(sink)")
            return
        }
        _ = try Stopwatch.run(seconds: min(0.5, seconds), sink: &sink, medvaultIteration)
        _ = Stopwatch.run(seconds: min(0.5, seconds), sink: &sink, floorIteration)
        var medvault: [RunResult] = []
        var floor: [RunResult] = []
        for _ in 0..<runs {
            medvault.append(try Stopwatch.run(seconds: seconds, sink: &sink, medvaultIteration))
            floor.append(Stopwatch.run(seconds: seconds, sink: &sink, floorIteration))
        }

        func format(_ value: Double) -> String { String(Int(value.rounded())) }
        print("canonical_request_bytes=\(canonicalRequest.count)")
        print("string_to_sign_bytes=\(stringToSign.count)")
        print("url_bytes=\(sampleURL.utf8.count)")
        print("runs=\(runs) seconds=\(seconds)")
        for (name, results) in [("medvault", medvault), ("floor", floor)] {
            print("\(name)_wall_runs=\(results.map { format($0.perWallSecond) }.joined(separator: ","))")
            print("\(name)_wall=\(format(Stopwatch.median(results.map(\.perWallSecond))))")
            print("\(name)_cpu=\(format(Stopwatch.median(results.map(\.perCPUSecond))))")
        }
        print("sink=\(sink)")
    }
}
