import DataFolioSupport
import Foundation

/// Runs blocking work — file system calls, waiting for the writer lock, network
/// requests of remote stores, `git` — on a thread of its own, so that `async` callers
/// never hold a thread of Swift's cooperative pool while it waits.
enum BlockingWork {
    static func run<Result: Sendable>(
        _ body: @escaping @Sendable () throws(DataFolioError) -> Result
    ) async throws(DataFolioError) -> Result {
        let outcome: Swift.Result<Result, DataFolioError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Swift.Result { () throws(DataFolioError) -> Result in try body() })
            }
            thread.name = "DataFolio I/O"
            thread.start()
        }
        return try outcome.get()
    }

    /// The same for work whose errors are not typed (a batch body).
    static func runUntyped<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        let outcome: Swift.Result<Result, any Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Swift.Result { try body() })
            }
            thread.name = "DataFolio I/O"
            thread.start()
        }
        return try outcome.get()
    }
}
