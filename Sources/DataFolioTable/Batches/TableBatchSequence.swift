import DataFolioSupport

/// The batches of a reader as an `AsyncSequence`, for `for try await` loops.
///
/// Each batch is read when the loop asks for it, on the task that iterates (reading is
/// file I/O and decoding, so iterate from a task that may block briefly).
///
/// ```swift
/// let scan = try ParquetReader(path: "big.parquet").scan(columns: ["id", "x"], where: TableRowFilter("x > 5"))
/// for try await batch in TableBatchSequence(scan) {
///     print(batch.rowCount)
/// }
/// ```
public struct TableBatchSequence<Reader: TableBatchReader & Sendable>: AsyncSequence, Sendable {
    public typealias Element = Table
    public typealias Failure = DataFolioError

    private let reader: Reader

    /// The batches of `reader`, from its current position.
    public init(_ reader: Reader) {
        self.reader = reader
    }

    /// The schema of every batch.
    public var schema: TableSchema { reader.schema }

    public func makeAsyncIterator() -> Iterator {
        Iterator(reader: reader)
    }

    /// Reads one batch per step.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = Table
        public typealias Failure = DataFolioError

        var reader: Reader

        public mutating func next() async throws(DataFolioError) -> Table? {
            try reader.next()
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(DataFolioError) -> Table? {
            try reader.next()
        }
    }
}
