

// The standard library's `withUnsafe…` methods rethrow untyped errors; these keep
// `throws(DataFolioError)` intact across them.
extension Array {
    @inlinable
    package func withBufferTyped<R>(
        _ body: (UnsafeBufferPointer<Element>) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R {
        let result: Result<R, DataFolioError> = withUnsafeBufferPointer { buffer in
            do throws(DataFolioError) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension Array where Element == UInt8 {
    @inlinable
    package func withBytesTyped<R>(
        _ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R {
        let result: Result<R, DataFolioError> = withUnsafeBytes { raw in
            do throws(DataFolioError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeMutableBytes` with a typed error.
    @inlinable
    package mutating func withMutableBytesTyped<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R {
        try withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) -> R in
            try body(UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
