import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("S3 upload plan")
    struct S3UploadPlanTests {
        @Test("an object that ends within the first part, even exactly at its end, is one PutObject")
        func singlePut() {
            var plan = S3UploadPlan(partSize: 10)
            #expect(plan.accept(4) == [.buffer(4)])
            #expect(plan.accept(6) == [.buffer(6)])
            #expect(plan.ending == .putObject(size: 10))
            #expect(plan.totalBytes == 10)
            #expect(S3UploadPlan(partSize: 10).ending == .putObject(size: 0))
        }

        @Test("a full part is sent only when another byte arrives, so the last part is never empty")
        func partBoundaries() {
            var plan = S3UploadPlan(partSize: 10)
            #expect(plan.accept(10) == [.buffer(10)])
            #expect(plan.accept(1) == [.sendPart(number: 1), .buffer(1)])
            #expect(plan.accept(25) == [.buffer(9), .sendPart(number: 2), .buffer(10), .sendPart(number: 3), .buffer(6)])
            #expect(plan.buffered == 6)
            #expect(plan.ending == .completeMultipart(lastPart: 4, lastPartSize: 6))
            #expect(plan.totalBytes == 36)
        }

        @Test("the buffer never holds more than one part, whatever the chunk sizes")
        func boundedBuffer() {
            for chunk in [1, 3, 9, 10, 11, 57] {
                var plan = S3UploadPlan(partSize: 10)
                var parts = 0
                for _ in 0..<20 {
                    for step in plan.accept(chunk) {
                        if case .sendPart(let number) = step {
                            parts += 1
                            #expect(number == parts)
                        }
                        #expect(plan.buffered <= 10)
                    }
                }
                let total = 20 * chunk
                #expect(plan.totalBytes == Int64(total))
                #expect(parts == (total - 1) / 10)
                if total > 10 {
                    #expect(plan.ending == .completeMultipart(lastPart: parts + 1, lastPartSize: total - parts * 10))
                }
            }
        }

        @Test("empty chunks change nothing")
        func emptyChunks() {
            var plan = S3UploadPlan(partSize: 10)
            _ = plan.accept(10)
            #expect(plan.accept(0).isEmpty)
            #expect(plan.ending == .putObject(size: 10))
        }
    }
}
