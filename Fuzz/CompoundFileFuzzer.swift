import Documents

@testable import ContentValidation

/// libFuzzer's entry point for the `compound-file` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCompoundFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    CompoundFileFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Fuzzes the Compound File Binary directory reader that confirms .doc and .xls uploads.
///
/// Input: an ``ArchiveWindow`` (head, hole, tail). Invariants, besides never crashing or hanging (hostile FAT and
/// DIFAT chains that loop): every stream name reported is at most 31 UTF-16 units and is in the bytes the reader
/// was given, and the .doc/.xls confirmation built on it only ever answers with an upload rejection.
enum CompoundFileFuzzer {
    static func run(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let window = ArchiveWindow(&input)
        if let directory = try? CompoundFileDirectory(head: window.head, tail: window.tail, totalSize: window.totalSize) {
            let kept = window.keptBytes
            for name in directory.streamNames {
                let units = Array(name.utf16)
                invariant(units.count <= 31, "a stream name of \(units.count) UTF-16 units")
                // A name with a lone surrogate was repaired to U+FFFD, so its bytes differ from the file's.
                guard !name.unicodeScalars.contains("\u{FFFD}") else { continue }
                let bytes = units.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
                invariant(occurs(bytes, in: kept), "a stream name found in thin air")
            }
        }
        for type in [AllowedType.doc, .xls] {
            _ = try? ContentTypePolicy.confirmCompoundFile(type, head: window.head, tail: window.tail, totalSize: window.totalSize)
        }
    }
}
