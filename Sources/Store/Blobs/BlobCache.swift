import Foundation

/// Local copies of remote blobs (render sources) in one folder, bounded in size and evicted least
/// recently used first. One file per blob key (`users~u~assets~a~original.mp4`: `~` never appears in
/// a key, so names cannot collide); downloads go to a temporary name and are renamed into place,
/// so a file in the cache is always complete. Concurrent requests for one key share one download;
/// one that may be abandoned (`abandonAfter`) is cancelled once every caller waiting for it has
/// gone, and leaves nothing behind.
public actor BlobCache {
    /// The folder holding the cached files.
    public let directory: URL
    /// Upper bound of the files' total size. One file larger than this is still kept while it is
    /// the newest (a render needs it), and goes first when anything else arrives.
    public let maxBytes: Int64

    private var entries: [String: (size: Int64, lastUse: UInt64)] = [:]
    private var downloads: [String: Flight] = [:]
    private var clock: UInt64 = 0

    /// Opens (creating) the cache folder; files already there are kept, oldest first, and partial
    /// downloads of an interrupted process are removed.
    public init(directory: URL, maxBytes: Int64) throws {
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.io("cannot create the cache folder \(directory.path): \(error)")
        }
        self.directory = directory
        self.maxBytes = maxBytes
        let listed = (try? fileManager.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey])) ?? []
        var found: [(name: String, size: Int64, modified: Date)] = []
        for file in listed {
            if file.lastPathComponent.hasPrefix(".") {
                try? fileManager.removeItem(at: file)
                continue
            }
            let values = try? file.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
            found.append((file.lastPathComponent, Int64(values?.fileSize ?? 0), values?.contentModificationDate ?? .distantPast))
        }
        for (index, entry) in found.sorted(by: { $0.modified < $1.modified }).enumerated() {
            entries[entry.name] = (entry.size, UInt64(index + 1))
        }
        clock = UInt64(found.count)
    }

    /// Total size of the cached files.
    public var totalBytes: Int64 { entries.values.reduce(0) { $0 + $1.size } }

    /// Whether `key` is cached now.
    public func contains(_ key: BlobKey) -> Bool { entries[Self.name(of: key)] != nil }

    /// One fetch in progress and how many callers wait for it.
    private struct Flight {
        let id = UUID()
        let task: Task<URL, any Error>
        var waiters = 1
        /// How long it may run with nobody waiting before it is cancelled; nil: it always finishes.
        let grace: Duration?
    }

    /// The cached file for `key`, calling `fetch` to fill a temporary file when it is not cached.
    /// With `abandonAfter`, a caller's task being cancelled counts as its leaving: when nobody has
    /// waited for the fetch for that long, its task is cancelled (`fetch` should stop then) and its
    /// temporary file deleted; the grace lets a caller that asks again at once (a player after an
    /// edit that kept this key) join the fetch instead of starting it over.
    public func file(for key: BlobKey, abandonAfter grace: Duration? = nil,
                     fetch: @escaping @Sendable (URL) async throws -> Void) async throws -> URL {
        let name = Self.name(of: key)
        let url = directory.appendingPathComponent(name)
        if entries[name] != nil, FileManager.default.fileExists(atPath: url.path) {
            touch(name)
            return url
        }
        entries[name] = nil
        if var running = downloads[name] {
            running.waiters += 1
            downloads[name] = running
            return try await wait(for: running, name: name)
        }
        let temporary = directory.appendingPathComponent(".\(name).\(UUID().uuidString).partial")
        let task = Task<URL, any Error> {
            do {
                try await fetch(temporary)
                guard rename(temporary.path, url.path) == 0 else {
                    throw StoreError.io("cannot move a download into the cache: \(String(cString: strerror(errno)))")
                }
                return url
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
        }
        let flight = Flight(task: task, grace: grace)
        downloads[name] = flight
        return try await wait(for: flight, name: name)
    }

    private func wait(for flight: Flight, name: String) async throws -> URL {
        let result = await withTaskCancellationHandler {
            await flight.task.result
        } onCancel: {
            Task { await self.leave(name, flight: flight.id) }
        }
        if downloads[name]?.id == flight.id { downloads[name] = nil }
        let url = try result.get()
        // Admitted even when the fetch was abandoned too late to stop: the file is complete.
        if entries[name] == nil { admit(name, url: url) }
        return url
    }

    /// A caller of an abandonable fetch has gone; the last one starts its grace.
    private func leave(_ name: String, flight id: UUID) {
        guard var flight = downloads[name], flight.id == id else { return }
        flight.waiters -= 1
        downloads[name] = flight
        guard flight.waiters <= 0, let grace = flight.grace else { return }
        Task {
            try? await Task.sleep(for: grace)
            self.abandon(name, flight: id)
        }
    }

    private func abandon(_ name: String, flight id: UUID) {
        guard let flight = downloads[name], flight.id == id, flight.waiters <= 0 else { return }
        // A caller from now on starts afresh rather than joining a fetch being stopped.
        downloads[name] = nil
        flight.task.cancel()
    }

    /// Takes `file` (moved) as the cached copy of `key`.
    public func adopt(_ file: URL, as key: BlobKey) {
        let name = Self.name(of: key)
        let url = directory.appendingPathComponent(name)
        if rename(file.path, url.path) != 0 {
            // Another file system: copying would cost as much as a later download, so skip it.
            try? FileManager.default.removeItem(at: file)
            return
        }
        admit(name, url: url)
    }

    /// Forgets and deletes the copies of every key starting with `prefix`.
    public func remove(prefix: String) {
        let namePrefix = prefix.replacingOccurrences(of: "/", with: "~")
        for name in entries.keys where name.hasPrefix(namePrefix) {
            entries[name] = nil
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    private func touch(_ name: String) {
        clock += 1
        entries[name]?.lastUse = clock
    }

    private func admit(_ name: String, url: URL) {
        let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
        clock += 1
        entries[name] = (size, clock)
        evict(keeping: name)
    }

    /// Deletes least recently used files until the total fits, never the one just added. A render
    /// reading an evicted file keeps reading it: an open file outlives its name on POSIX systems.
    private func evict(keeping newest: String) {
        var total = totalBytes
        for (name, entry) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            guard total > maxBytes else { return }
            guard name != newest else { continue }
            entries[name] = nil
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            total -= entry.size
        }
    }

    static func name(of key: BlobKey) -> String {
        key.rawValue.replacingOccurrences(of: "/", with: "~")
    }
}
