import Foundation

/// Blobs as files under a local folder: the blob `users/u/assets/a/original.mp4` is the file
/// `<root>/users/u/assets/a/original.mp4`. Work in progress lives in `<root>/.tmp`, on the same file
/// system, so `put` is a rename and readers never see a partial file.
public struct LocalBlobStore: BlobStore {
    /// The folder holding every blob, with symbolic links resolved.
    public let root: URL
    /// `<root>/.tmp`, for uploads being received and renders being written.
    public let scratchDirectory: URL

    private static let scratchName = ".tmp"

    /// Opens the store at `root`, creating it and its scratch folder if needed.
    public init(root: URL) throws {
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: root, withIntermediateDirectories: true)
            // Resolved once so containment checks compare real paths.
            let resolved = root.standardizedFileURL.resolvingSymlinksInPath()
            let scratch = resolved.appendingPathComponent(Self.scratchName, isDirectory: true)
            try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
            self.root = resolved
            self.scratchDirectory = scratch
        } catch {
            throw StoreError.io("cannot create the storage folder \(root.path): \(error)")
        }
    }

    public func put(_ key: BlobKey, movingFile file: URL) async throws {
        let destination = try fileURL(for: key)
        try await onIOQueue { [self] in
            try moveIntoPlace(file, destination: destination, key: key)
        }
    }

    public func localFile(for key: BlobKey) async throws -> URL {
        let url = try fileURL(for: key)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw StoreError.notFound(key.rawValue)
        }
        return url
    }

    public func size(of key: BlobKey) async throws -> Int64? {
        let url = try fileURL(for: key)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = attributes[.size] as? NSNumber
        else { return nil }
        return size.int64Value
    }

    public func delete(_ key: BlobKey) async throws {
        let url = try fileURL(for: key)
        if unlink(url.path) != 0 {
            let code = errno
            guard code == ENOENT else {
                throw StoreError.io("cannot delete \(key): \(String(cString: strerror(code)))")
            }
            return
        }
        removeEmptyFolders(from: url.deletingLastPathComponent())
    }

    public func list(prefix: String) async throws -> [StoredBlob] {
        guard prefix.hasSuffix("/") else { throw StoreError.invalidKey(prefix) }
        let folder = try fileURL(for: try BlobKey(validating: String(prefix.dropLast())))
        return try await onIOQueue { [self] in
            guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .contentModificationDateKey]) else { return [] }
            var found: [StoredBlob] = []
            let rootPath = root.path + "/"
            for case let file as URL in files {
                let values = try? file.resourceValues(forKeys: [.isRegularFileKey, .contentModificationDateKey])
                let path = file.standardizedFileURL.path
                guard values?.isRegularFile == true, path.hasPrefix(rootPath) else { continue }
                found.append(StoredBlob(key: String(path.dropFirst(rootPath.count)), modified: values?.contentModificationDate))
            }
            return found
        }
    }

    public func deleteAll(prefix: String) async throws {
        guard prefix.hasSuffix("/") else { throw StoreError.invalidKey(prefix) }
        let folderKey = try BlobKey(validating: String(prefix.dropLast()))
        let folder = try fileURL(for: folderKey)
        try await onIOQueue { [self] in
            do {
                try FileManager.default.removeItem(at: folder)
            } catch CocoaError.fileNoSuchFile {
                return
            } catch {
                throw StoreError.io("cannot delete \(prefix): \(error)")
            }
            removeEmptyFolders(from: folder.deletingLastPathComponent())
        }
    }

    /// Removes scratch files and folders last modified more than `age` seconds ago: leftovers of
    /// uploads and renders interrupted by a stop. Call at start-up, before any work begins.
    public func removeStaleScratchFiles(olderThan age: TimeInterval) throws {
        try Self.removeStaleFiles(in: scratchDirectory, olderThan: age)
    }

    /// Removes the entries of `scratchDirectory` last modified more than `age` seconds ago.
    public static func removeStaleFiles(in scratchDirectory: URL, olderThan age: TimeInterval) throws {
        let fileManager = FileManager.default
        let cutoff = Date().addingTimeInterval(-age)
        let entries: [URL]
        do {
            entries = try fileManager.contentsOfDirectory(
                at: scratchDirectory, includingPropertiesForKeys: [.contentModificationDateKey])
        } catch {
            throw StoreError.io("cannot list \(scratchDirectory.path): \(error)")
        }
        for entry in entries {
            let modified = (try? entry.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
            guard let modified, modified < cutoff else { continue }
            do {
                try fileManager.removeItem(at: entry)
            } catch CocoaError.fileNoSuchFile {
                continue
            } catch {
                throw StoreError.io("cannot remove \(entry.path): \(error)")
            }
        }
    }

    // MARK: - Paths

    /// The file for `key`, refusing (as `StoreError.invalidKey`) anything that would land outside
    /// the root: keys are validated already, so this is defence in depth against symbolic links
    /// planted inside the store, and it keeps keys out of the scratch folder.
    func fileURL(for key: BlobKey) throws(StoreError) -> URL {
        let raw = key.rawValue
        guard raw != Self.scratchName, !raw.hasPrefix(Self.scratchName + "/") else { throw .invalidKey(raw) }
        let rootPath = root.path
        let url = root.appendingPathComponent(raw).standardizedFileURL
        guard isInsideRoot(url.path) else { throw .invalidKey(raw) }
        var current = rootPath
        for segment in raw.split(separator: "/") {
            current += "/" + segment
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: current) else {
                // Nothing exists from here down, so no link can redirect the rest of the path.
                break
            }
            if attributes[.type] as? FileAttributeType == .typeSymbolicLink {
                let target = URL(fileURLWithPath: current).resolvingSymlinksInPath().path
                // A dangling link stays unresolved; writing through it could create a file anywhere.
                guard target != current, isInsideRoot(target) || target == rootPath,
                      FileManager.default.fileExists(atPath: target)
                else { throw .invalidKey(raw) }
            }
        }
        return url
    }

    private func isInsideRoot(_ path: String) -> Bool {
        path.hasPrefix(root.path + "/")
    }

    // MARK: - File work (on the I/O queue)

    /// Renames `file` over `destination`; across file systems, copies to a temporary name beside the
    /// destination first and renames that, so the key only ever names a complete file.
    private func moveIntoPlace(_ file: URL, destination: URL, key: BlobKey) throws {
        let fileManager = FileManager.default
        let folder = destination.deletingLastPathComponent()
        // Twice: a concurrent delete may prune the freshly made folder before the rename.
        for attempt in 0..<2 {
            do {
                try fileManager.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw StoreError.io("cannot create the folder for \(key): \(error)")
            }
            _ = try fileURL(for: key)
            if rename(file.path, destination.path) == 0 { return }
            let code = errno
            if code == ENOENT, attempt == 0, fileManager.fileExists(atPath: file.path) { continue }
            guard code == EXDEV else {
                throw StoreError.io("cannot move \(file.path) to \(key): \(String(cString: strerror(code)))")
            }
            try copyIntoPlace(file, destination: destination, key: key)
            return
        }
        throw StoreError.io("cannot move \(file.path) to \(key): its folder keeps disappearing")
    }

    private func copyIntoPlace(_ file: URL, destination: URL, key: BlobKey) throws {
        let fileManager = FileManager.default
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        do {
            try fileManager.copyItem(at: file, to: temporary)
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw StoreError.io("cannot copy \(file.path) to \(key): \(error)")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            let message = String(cString: strerror(errno))
            try? fileManager.removeItem(at: temporary)
            throw StoreError.io("cannot move the copy of \(file.path) to \(key): \(message)")
        }
        try? fileManager.removeItem(at: file)
    }

    /// Removes `folder` and its parents while they are empty, stopping at the root. `rmdir` refuses
    /// a folder that is not empty, so a file put there concurrently is never lost.
    private func removeEmptyFolders(from folder: URL) {
        var current = folder.standardizedFileURL
        while isInsideRoot(current.path), rmdir(current.path) == 0 {
            current = current.deletingLastPathComponent()
        }
    }

    private func onIOQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        // File work may block for long (copies across devices, deleting large trees), so it runs on
        // Dispatch rather than on a cooperative-pool thread.
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
