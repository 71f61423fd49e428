import DataFolioSupport

extension Array where Element: BitwiseCopyable {
    /// `withUnsafeBytes` with a typed error (the standard one rethrows `any Error`).
    @inline(__always)
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        try withUnsafeBufferPointer { (buffer) throws(DataFolioError) -> R in
            try body(UnsafeRawBufferPointer(buffer))
        }
    }

    /// `withUnsafeMutableBytes` with a typed error.
    @inline(__always)
    mutating func withMutableRawBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws(DataFolioError) -> R
    ) throws(DataFolioError) -> R {
        try withUnsafeMutableBufferPointer { (buffer) throws(DataFolioError) -> R in
            try body(UnsafeMutableRawBufferPointer(buffer))
        }
    }
}
