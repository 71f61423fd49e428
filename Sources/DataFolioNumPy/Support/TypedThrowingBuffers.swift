import DataFolioSupport

// `Array.withUnsafeBytes` rethrows untyped errors; these keep `DataFolioError` typed.
extension Array where Element == UInt8 {
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        var result: Result<R, DataFolioError>?
        withUnsafeBytes { raw in
            do throws(DataFolioError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        // The closure always runs, so `result` is set.
        guard let result else { throw DataFolioError(.ioFailure, "Internal error: a buffer was not visited.") }
        return try result.get()
    }

    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        var result: Result<R, DataFolioError>?
        withUnsafeMutableBytes { raw in
            do throws(DataFolioError) { result = .success(try body(raw)) } catch { result = .failure(error) }
        }
        guard let result else { throw DataFolioError(.ioFailure, "Internal error: a buffer was not visited.") }
        return try result.get()
    }
}
