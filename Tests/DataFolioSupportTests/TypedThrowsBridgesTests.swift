import DataFolioSupport
import Testing

@Suite("Typed-throws bridges")
struct TypedThrowsBridgesTests {
    @Test func passValuesThrough() throws {
        let words: [UInt32] = [1, 2, 3]
        #expect(try words.withBufferTyped { buffer throws(DataFolioError) in buffer.reduce(0, +) } == 6)
        let bytes: [UInt8] = [4, 5]
        #expect(try bytes.withBytesTyped { raw throws(DataFolioError) in raw.count } == 2)
        #expect(try [UInt8]().withBytesTyped { raw throws(DataFolioError) in raw.count } == 0)
        #expect(try [Int]().withBufferTyped { buffer throws(DataFolioError) in buffer.isEmpty })
    }

    @Test func keepTheErrorTyped() {
        let thrown = DataFolioError.corrupt("T", "x")
        do {
            _ = try [1, 2].withBufferTyped { _ throws(DataFolioError) -> Int in throw thrown }
            Issue.record("expected an error")
        } catch {
            // `error` is statically a DataFolioError here.
            #expect(error == thrown)
        }
        do {
            try [UInt8](repeating: 0, count: 3).withBytesTyped { raw throws(DataFolioError) in
                if raw.count == 3 { throw DataFolioError(.limitExceeded, "three") }
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .limitExceeded && error.message == "three")
        }
    }
}
