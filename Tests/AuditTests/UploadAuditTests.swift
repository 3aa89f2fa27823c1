import Audit
import Testing

/// The detail of a stored file's row: the scan's verdict and the metadata note, and a scanned upload's row left exactly
/// as `stats` counts it.
@Suite struct UploadAuditTests {
    @Test func notesWhatApplies() {
        #expect(UploadAudit.detail(scanned: false, removedMetadata: false) == nil)
        #expect(UploadAudit.detail(scanned: true, removedMetadata: false) == "scan: clean")
        #expect(UploadAudit.detail(scanned: false, removedMetadata: true) == "metadata: removed")
        #expect(UploadAudit.detail(scanned: true, removedMetadata: true) == "scan: clean; metadata: removed")
    }

    @Test func aScannedUploadRowSaysOnlyClean() {
        #expect(UploadAudit.uploadDetail(scanned: true, removedMetadata: true) == ScanAudit.cleanDetail)
        #expect(UploadAudit.uploadDetail(scanned: false, removedMetadata: true) == "metadata: removed")
        #expect(UploadAudit.uploadDetail(scanned: false, removedMetadata: false) == nil)
    }
}
