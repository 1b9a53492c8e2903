import Compiler
import TimelineModel
import Synchronization

/// A flag a render checks every frame and in libav's interrupt callback.
/// Set from any thread; read from the render thread.
public final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    public init() {}

    public func cancel() { state.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { state.load(ordering: .relaxed) }
}
