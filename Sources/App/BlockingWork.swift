import Foundation
import Dispatch
import Synchronization

/// The one bridge from async code to blocking work (libav decoding and encoding, probes, fontconfig
/// and FreeType, captions files, getaddrinfo, big JSON documents). Blocking calls never run on the
/// Swift concurrency pool, which has one thread per core and would stall every request: they run on
/// Dispatch threads, at most `limit` at once per lane; further calls wait, in arrival order, without
/// holding a thread. Each purpose gets its own lane (see `WorkLanes`) so, say, scrubbing previews
/// cannot take the threads renders need.
final class BlockingWork: Sendable {
    let name: String
    private let queue: DispatchQueue
    private let places: AsyncGate

    init(_ name: String, limit: Int) {
        self.name = name
        queue = DispatchQueue(label: "cutroom.\(name)", qos: .userInitiated, attributes: .concurrent)
        places = AsyncGate(limit: limit)
    }

    var limit: Int { places.limit }

    /// Runs `work` on a thread of this lane once one is free. A task cancelled while it waits
    /// throws `CancellationError` without running it.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await places.withPlace {
            try Task.checkCancellation()
            return try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(with: Result { try work() })
                }
            }
        }
    }
}

/// At most `limit` holders at once; the rest wait in arrival order without holding a thread.
/// `BlockingWork` bounds its lanes with it; with a limit of 1 it keeps async steps in order.
final class AsyncGate: Sendable {
    let limit: Int
    private let state = Mutex(State())

    private struct State {
        var holders = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func withPlace<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let admitted = state.withLock { state in
                guard state.holders < limit else {
                    state.waiting.append(continuation)
                    return false
                }
                state.holders += 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    /// Hands the place to the longest waiting caller, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.holders -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

/// The server's lanes of blocking work, each bounded by its own setting.
struct WorkLanes: Sendable {
    /// Render jobs (compile, then execute): `CUTROOM_RENDER_CONCURRENCY`.
    let renders: BlockingWork
    /// Uploads probed, thumbnailed and checked: `CUTROOM_PROBE_CONCURRENCY`.
    let probes: BlockingWork
    /// One-picture plans for the editor (frame previews, waveforms, filmstrips).
    let pictures: BlockingWork
    /// Editor playback segments (`SegmentRenderer`): never behind final renders.
    let previews: BlockingWork
    /// Short blocking calls of request handlers and services: file-system work, compiling and
    /// validating documents, name resolution.
    let io: BlockingWork
    /// Reading, validating and compiling documents for requests: CPU-bound, so at most half the
    /// cores (at least one), leaving the rest to answer everyone else while big documents arrive.
    let documents: BlockingWork
    /// Password hashes (bcrypt: a quarter second of CPU each): half the cores, like documents.
    let passwords: BlockingWork

    init(renderConcurrency: Int, probeConcurrency: Int, pictureConcurrency: Int = 2, ioConcurrency: Int = 8) {
        renders = BlockingWork("render", limit: renderConcurrency)
        probes = BlockingWork("probe", limit: probeConcurrency)
        pictures = BlockingWork("picture", limit: pictureConcurrency)
        previews = BlockingWork("preview", limit: 2)
        io = BlockingWork("io", limit: ioConcurrency)
        documents = BlockingWork("documents", limit: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        passwords = BlockingWork("passwords", limit: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
    }
}
