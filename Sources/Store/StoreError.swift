/// Every error the store library throws.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A storage key that is not a safe relative path.
    case invalidKey(String)
    /// The row or blob does not exist (or belongs to another user).
    case notFound(String)
    /// `If-Match` named a version that is no longer current.
    case versionConflict(expected: Int, current: Int)
    /// A file-system or database failure, with what failed.
    case io(String)
    /// The storage service could not be reached or kept failing (timeouts, 5xx, throttling,
    /// dropped connections) after the retries; trying again later may work.
    case unavailable(String)
    /// The storage service refused the request for good (403 AccessDenied, SignatureDoesNotMatch,
    /// NoSuchBucket...): a configuration problem, not a passing one.
    case refused(String)
    /// An `Idempotency-Key` the user already sent with another kind of request (a render's key
    /// reused for a batch, or the other way round).
    case idempotencyKeyReused

    public var description: String {
        switch self {
        case .invalidKey(let key): return "invalid storage key: \(key)"
        case .notFound(let what): return "\(what) not found"
        case .versionConflict(let expected, let current):
            return "version conflict: expected \(expected), current is \(current)"
        case .io(let message): return message
        case .unavailable(let message): return "storage unavailable: \(message)"
        case .refused(let message): return "storage refused the request: \(message)"
        case .idempotencyKeyReused: return "this Idempotency-Key was already used with a different request"
        }
    }
}
