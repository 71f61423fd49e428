import DataFolioSupport
import Testing

extension DataFolioError.Code {
    fileprivate static let testOnly = Self("testOnly")
}

@Suite("DataFolioError")
struct DataFolioErrorTests {
    @Test func codesHaveStableNames() {
        let codes: [(DataFolioError.Code, String)] = [
            (.truncatedData, "truncatedData"), (.corruptData, "corruptData"), (.unsupportedFeature, "unsupportedFeature"),
            (.limitExceeded, "limitExceeded"), (.invalidArgument, "invalidArgument"), (.typeMismatch, "typeMismatch"),
            (.fileNotFound, "fileNotFound"), (.ioFailure, "ioFailure"),
        ]
        for (code, name) in codes {
            #expect(code.rawValue == name && code.description == name)
        }
        #expect(Set(codes.map(\.0)).count == codes.count)
        #expect(DataFolioError.Code.testOnly == DataFolioError.Code("testOnly"))
        #expect(DataFolioError.Code.testOnly != .corruptData)
    }

    @Test func carriesCodeMessageAndPath() {
        let error = DataFolioError(.fileNotFound, "No file at 'x'.", path: "x")
        #expect(error.code == .fileNotFound && error.message == "No file at 'x'." && error.path == "x")
        #expect(error.description == error.message && "\(error)" == error.message)
        #expect(DataFolioError(.testOnly, "m").path == nil)
        #expect(error == DataFolioError(.fileNotFound, "No file at 'x'.", path: "x"))
        #expect(error != DataFolioError(.fileNotFound, "No file at 'x'."))
        #expect(error != DataFolioError(.ioFailure, "No file at 'x'.", path: "x"))
    }

    @Test func formatHelpersSayWhatToDo() {
        let truncated = DataFolioError.truncated("NPY", "the header ends early")
        #expect(truncated.code == .truncatedData)
        #expect(truncated.message == "NPY: the header ends early. The file is truncated or damaged.")
        let corrupt = DataFolioError.corrupt("Parquet", "the magic number is wrong")
        #expect(corrupt.code == .corruptData)
        #expect(corrupt.message == "Parquet: the magic number is wrong. The file is damaged or not a Parquet file.")
        let unsupported = DataFolioError.unsupported("ZIP", "encryption")
        #expect(unsupported.code == .unsupportedFeature)
        #expect(unsupported.message == "ZIP: encryption is not supported.")
        #expect(truncated.path == nil && corrupt.path == nil && unsupported.path == nil)
    }

    @Test func isCaughtAsAnError() {
        func fail() throws { throw DataFolioError.corrupt("X", "bad") }
        do {
            try fail()
            Issue.record("expected an error")
        } catch let error as DataFolioError where error.code == .corruptData {
            #expect(error.message.hasPrefix("X: bad"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
