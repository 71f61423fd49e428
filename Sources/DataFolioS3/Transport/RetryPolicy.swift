/// How failed requests are retried: HTTP 500, 502, 503, 504 and 429, S3's `SlowDown`,
/// `InternalError` and `RequestTimeout`, and broken or refused connections get new attempts
/// after an exponential backoff with full jitter (a random delay between zero and
/// `baseDelay × 2^(attempt−1)`, capped at `maxDelay`). A request is never retried after
/// `maxAttempts` attempts or once `maxTotalTime` has passed since the first, and a refused
/// condition (HTTP 412) is never retried.
///
/// ```swift
/// var retry = RetryPolicy()
/// retry.maxAttempts = 10      // a flaky network
/// retry.maxTotalTime = 300
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts of one request, including the first (1 disables retries).
    public var maxAttempts: Int
    /// The backoff ceiling of the first retry, in seconds; doubled for each further one.
    public var baseDelay: Double
    /// The largest backoff ceiling, in seconds.
    public var maxDelay: Double
    /// No new attempt starts this many seconds after the first began.
    public var maxTotalTime: Double

    /// Creates a policy (defaults: 5 attempts, 0.1 s doubling up to 5 s, at most 60 s).
    ///
    /// ```swift
    /// let patient = RetryPolicy(maxAttempts: 10, maxTotalTime: 600)
    /// ```
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.1, maxDelay: Double = 5, maxTotalTime: Double = 60) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotalTime = maxTotalTime
    }

    /// The delay before attempt `attempt` (2 for the first retry), drawn with full jitter.
    ///
    /// ```swift
    /// var random = SystemRandomNumberGenerator()
    /// let seconds = RetryPolicy().delay(beforeAttempt: 2, using: &random)   // 0…0.1
    /// ```
    public func delay(beforeAttempt attempt: Int, using random: inout some RandomNumberGenerator) -> Double {
        let exponent = Double(min(max(attempt - 2, 0), 30))
        let ceiling = min(maxDelay, baseDelay * Double(1 << Int(exponent)))
        guard ceiling > 0, ceiling.isFinite else { return 0 }
        return Double.random(in: 0...ceiling, using: &random)
    }

    /// Whether attempt `attempt` (2 for the first retry) may start `elapsed` seconds after
    /// the first one, after waiting `delay` seconds.
    func allows(attempt: Int, elapsed: Double, delay: Double) -> Bool {
        attempt <= maxAttempts && elapsed + delay <= maxTotalTime
    }
}
