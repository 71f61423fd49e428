import DataFolioTestSupport
import DataFolioSupport
import Testing

/// Deterministic test inputs, so a failure can be reproduced exactly.
enum SupportTestData {
    /// `count` pseudo-random bytes (SplitMix64), the same for the same seed.
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        return [UInt8](uninitializedCapacity: count) { buffer, initialized in
            var index = 0
            while index < count {
                var word = nextRandom(&state)
                for _ in 0..<8 where index < count {
                    buffer[index] = UInt8(truncatingIfNeeded: word)
                    word >>= 8
                    index += 1
                }
            }
            initialized = count
        }
    }

    /// The next SplitMix64 value.
    static func nextRandom(_ state: inout UInt64) -> UInt64 {
        var generator = SeededRandom(seed: state)
        let value = generator.next()
        state = generator.state
        return value
    }
}

/// Runs `body` and checks that it throws a ``DataFolioError`` with `code`; returns it.
@discardableResult
func expectFailure<R>(
    _ code: DataFolioError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(DataFolioError) -> R
) -> DataFolioError? {
    do {
        let value = try body()
        Issue.record("expected a \(code) error, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        return error
    }
}

extension [UInt8] {
    /// The ASCII/UTF-8 bytes of a string.
    init(text: String) { self = Array(text.utf8) }
}
