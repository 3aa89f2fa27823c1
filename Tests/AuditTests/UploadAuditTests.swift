import Audit
import Testing

/// The detail of a stored file's row: the scan's verdict and the metadata note, each combination one `stats` counts.
@Suite struct UploadAuditTests {
    @Test func notesWhatApplies() {
        #expect(UploadAudit.detail(scanned: false, removedMetadata: false) == nil)
        #expect(UploadAudit.detail(scanned: true, removedMetadata: false) == "scan: clean")
        #expect(UploadAudit.detail(scanned: false, removedMetadata: true) == "metadata: removed")
        #expect(UploadAudit.detail(scanned: true, removedMetadata: true) == "scan: clean; metadata: removed")
    }

    @Test func bothCleanDetailsAreTheOnesStatsCounts() {
        #expect(UploadAudit.detail(scanned: true, removedMetadata: false) == ScanAudit.cleanDetail)
        #expect(UploadAudit.detail(scanned: true, removedMetadata: true) == ScanAudit.cleanStrippedDetail)
    }
}
