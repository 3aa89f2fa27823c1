/// A buffer of sealed chunks on its way to one `pwrite`: ``LocalObjectWriter`` fills one while the I/O
/// thread writes the other, so encryption and the kernel's copy into the page cache overlap.
///
/// A class so that handing it to the I/O thread and getting it back moves no bytes and never triggers a
/// copy-on-write of the array. `@unchecked Sendable` because exclusivity is kept by the writer, not the
/// compiler: it touches a batch only while no write of that batch is in flight.
final class SealedBatch: @unchecked Sendable {
    /// Ciphertext ‖ tag of consecutive chunks, in file order.
    var bytes: [UInt8] = []

    /// Reserves room for `capacity` bytes up front, so filling the batch never reallocates.
    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }
}
