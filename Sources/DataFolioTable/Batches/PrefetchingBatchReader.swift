import DataFolioSupport
import Dispatch

/// Reads the next batch of another reader on a background thread while the caller works
/// on the current one, so that parsing (a CSV file, a Parquet row group) overlaps with
/// writing (Parquet encoding, JSON rendering). At most two batches are in memory.
///
/// The base reader is used only by the background thread after it is handed over: do
/// not use it afterwards.
///
/// ```swift
/// var batches = PrefetchingBatchReader(try CSVReader(path: "big.csv"))
/// try batches.copy(to: try ParquetWriter(path: "big.parquet"))
/// ```
public final class PrefetchingBatchReader<Base: TableBatchReader>: TableBatchReader {
    public let schema: TableSchema
    private let worker: PrefetchWorker
    private let queue = DispatchQueue(label: "datafolio.prefetch")
    private let ready = DispatchSemaphore(value: 0)
    private var inFlight = false
    private var finished = false

    /// Holds the base reader, which only the worker uses.
    private final class Holder {
        var base: Base

        init(_ base: Base) {
            self.base = base
        }

        func next() -> Result<Table?, DataFolioError> {
            do throws(DataFolioError) {
                return .success(try base.next())
            } catch {
                return .failure(error)
            }
        }
    }

    /// Reads `base` one batch ahead.
    public init(_ base: Base) {
        schema = base.schema
        let holder = Holder(base)
        worker = PrefetchWorker(read: { holder.next() })
    }

    deinit {
        // A read still running uses the worker; let it finish first.
        if inFlight { ready.wait() }
    }

    private func startRead() {
        let worker = self.worker
        let ready = self.ready
        inFlight = true
        queue.async {
            worker.result = worker.read()
            ready.signal()
        }
    }

    public func next() throws(DataFolioError) -> Table? {
        guard !finished else { return nil }
        if !inFlight { startRead() }
        ready.wait()
        inFlight = false
        switch worker.result {
        case .success(let batch?):
            startRead()
            return batch
        case .success(nil):
            finished = true
            return nil
        case .failure(let error):
            finished = true
            throw error
        }
    }
}

/// What the background thread of a ``PrefetchingBatchReader`` uses: a way to read the
/// next batch, and the result of the last read. The caller touches `result` only after
/// the read signalled that it is done.
private final class PrefetchWorker: @unchecked Sendable {
    let read: () -> Result<Table?, DataFolioError>
    var result: Result<Table?, DataFolioError> = .success(nil)

    init(read: @escaping () -> Result<Table?, DataFolioError>) {
        self.read = read
    }
}
