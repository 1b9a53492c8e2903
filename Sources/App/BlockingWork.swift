import Dispatch

/// Runs blocking libav work (probes, thumbnails) on Dispatch threads, never on the Swift
/// concurrency pool, which has only one thread per core and would stall every request.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "cutroom.blocking", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
