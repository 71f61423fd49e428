extension Array {
    /// Creates an array of `capacity` elements that `initializer` writes in place, like the
    /// standard `init(unsafeUninitializedCapacity:initializingWith:)`, except that a zero
    /// capacity never reaches the standard initializer.
    ///
    /// The standard initializer stores the element count into the array's buffer after
    /// `initializer` returns. For a zero capacity that buffer is the one empty-array storage
    /// the whole process shares, so two threads building empty arrays at once write to the
    /// same memory (the same value, but a data race all the same, and the thread sanitizer
    /// reports it). Decoders build empty columns and buffers on several threads, so every
    /// package module goes through this initializer instead.
    ///
    /// ```swift
    /// let zeros = [UInt8](uninitializedCapacity: 4) { buffer, initialized in
    ///     buffer.initialize(repeating: 0)
    ///     initialized = 4
    /// }
    /// ```
    @inlinable
    package init<Failure: Error>(
        uninitializedCapacity capacity: Int,
        initializingWith initializer: (
            _ buffer: inout UnsafeMutableBufferPointer<Element>, _ initializedCount: inout Int
        ) throws(Failure) -> Void
    ) throws(Failure) {
        guard capacity > 0 else {
            var empty = UnsafeMutableBufferPointer<Element>(start: nil, count: 0)
            var initialized = 0
            try initializer(&empty, &initialized)
            self = []
            return
        }
        try self.init(unsafeUninitializedCapacity: capacity, initializingWith: initializer)
    }
}
