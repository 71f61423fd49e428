import Foundation

/// The last value a callback on another thread reported (a progress handler's final
/// counts, say).
public final class LastValue<Value: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var stored: Value?

    public init() {}

    public func set(_ value: Value) { lock.withLock { stored = value } }
    public func get() -> Value? { lock.withLock { stored } }
}
