import Foundation
import Testing
@testable import Store

@Suite struct BlobKeyTests {
    @Test(arguments: [
        "", "../x", "a/../b", "..", ".", "/abs", "/", "a//b", "a/./b", "a/", "a\\b", "a\u{0}b", "a\nb", "a b",
        "caf\u{e9}", "cafe\u{301}", "a\u{2215}b", "\u{ff0e}\u{ff0e}/x", "a\u{200b}b", "\u{202e}gpj.exe",
        "a/\u{ff0f}etc", "C:x", "a?b", "a%2e%2e", "~/x",
    ])
    func rejectsUnsafeKeys(raw: String) {
        #expect(throws: StoreError.invalidKey(raw)) { try BlobKey(validating: raw) }
    }

    @Test func rejectsKeysLongerThan1024Bytes() throws {
        let longest = String(repeating: "a", count: 1_024)
        #expect(try BlobKey(validating: longest).rawValue == longest)
        #expect(throws: StoreError.self) { try BlobKey(validating: longest + "a") }
        #expect(throws: StoreError.self) { try BlobKey(validating: String(repeating: "ab/", count: 400) + "c") }
    }

    @Test func acceptsTheLayoutKeys() throws {
        let user = Identifier.make()
        let asset = Identifier.make()
        #expect(try BlobKey.assetOriginal(userId: user, assetId: asset, ext: "mp4").rawValue
            == "users/\(user)/assets/\(asset)/original.mp4")
        #expect(try BlobKey.assetThumbnail(userId: user, assetId: asset).rawValue == "users/\(user)/assets/\(asset)/thumb.jpg")
        #expect(try BlobKey.renderOutput(userId: "local", renderId: asset, ext: "webm").rawValue
            == "users/local/renders/\(asset)/output.webm")
        #expect(throws: StoreError.self) { try BlobKey.assetOriginal(userId: "../..", assetId: asset, ext: "mp4") }
    }
}

@Suite struct LocalBlobStoreTests {
    /// Writes `contents` to a new file in `folder` and returns it.
    private func makeFile(_ contents: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(UUID().uuidString)
        try Data(contents.utf8).write(to: url)
        return url
    }

    private func contents(of url: URL) throws -> String {
        String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    @Test func initCreatesTheRootAndItsScratchFolder() throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("a/b/storage"))
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: store.scratchDirectory.path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(store.scratchDirectory.lastPathComponent == ".tmp")
        #expect(store.scratchDirectory.deletingLastPathComponent().path == store.root.path)
    }

    @Test func putMovesAFileIntoPlaceAndItCanBeReadSizedAndReplaced() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("storage"))
        let key = try BlobKey.assetOriginal(userId: "u1", assetId: "a1", ext: "mp4")
        let upload = try makeFile("hello, blob", in: store.scratchDirectory)

        #expect(try await store.size(of: key) == nil)
        await #expect(throws: StoreError.notFound(key.rawValue)) { try await store.localFile(for: key) }

        try await store.put(key, movingFile: upload)
        #expect(!FileManager.default.fileExists(atPath: upload.path))
        let file = try await store.localFile(for: key)
        #expect(file.path == store.root.appendingPathComponent("users/u1/assets/a1/original.mp4").path)
        #expect(try contents(of: file) == "hello, blob")
        #expect(try await store.size(of: key) == 11)

        try await store.put(key, movingFile: try makeFile("v2", in: store.scratchDirectory))
        #expect(try contents(of: try await store.localFile(for: key)) == "v2")
        #expect(try await store.size(of: key) == 2)
        // Nothing but the blob is left beside it: no temporary names.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(siblings == ["original.mp4"])
    }

    @Test func folderKeysAreNotFiles() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url)
        try await store.put(try BlobKey(validating: "users/u/x.bin"), movingFile: try makeFile("x", in: directory.url))
        let folder = try BlobKey(validating: "users/u")
        await #expect(throws: StoreError.notFound("users/u")) { try await store.localFile(for: folder) }
        #expect(try await store.size(of: folder) == nil)
    }

    @Test(.enabled(if: LocalBlobStoreTests.shmIsAnotherFileSystem(), "needs /dev/shm on another device than /tmp"))
    func putCopiesAcrossFileSystems() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("storage"))
        let elsewhere = URL(fileURLWithPath: "/dev/shm/cutroom-store-test-\(UUID().uuidString)")
        let payload = String(repeating: "0123456789", count: 100_000)
        try Data(payload.utf8).write(to: elsewhere)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let key = try BlobKey(validating: "users/u/renders/r/output.mp4")

        try await store.put(key, movingFile: elsewhere)
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
        #expect(try contents(of: try await store.localFile(for: key)) == payload)
        let siblings = try FileManager.default.contentsOfDirectory(
            atPath: store.root.appendingPathComponent("users/u/renders/r").path)
        #expect(siblings == ["output.mp4"])
    }

    static func shmIsAnotherFileSystem() -> Bool {
        let fileManager = FileManager.default
        guard let shm = try? fileManager.attributesOfFileSystem(forPath: "/dev/shm")[.systemNumber] as? NSNumber,
              let temporary = try? fileManager.attributesOfFileSystem(
                forPath: fileManager.temporaryDirectory.path)[.systemNumber] as? NSNumber
        else { return false }
        return shm != temporary
    }

    @Test func deleteRemovesTheBlobAndItsEmptyFoldersButNotTheRoot() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("storage"))
        let original = try BlobKey.assetOriginal(userId: "u", assetId: "a", ext: "mov")
        let thumbnail = try BlobKey.assetThumbnail(userId: "u", assetId: "a")
        try await store.put(original, movingFile: try makeFile("movie", in: store.scratchDirectory))
        try await store.put(thumbnail, movingFile: try makeFile("jpeg", in: store.scratchDirectory))

        try await store.delete(original)
        #expect(try await store.size(of: original) == nil)
        #expect(try await store.size(of: thumbnail) == 4)

        try await store.delete(thumbnail)
        let fileManager = FileManager.default
        #expect(!fileManager.fileExists(atPath: store.root.appendingPathComponent("users").path))
        #expect(fileManager.fileExists(atPath: store.root.path))
        #expect(fileManager.fileExists(atPath: store.scratchDirectory.path))

        // Deleting what is not there is fine.
        try await store.delete(original)
    }

    @Test func deleteAllRemovesOnePrefixOnly() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("storage"))
        let keys = try [
            BlobKey.assetOriginal(userId: "u", assetId: "a1", ext: "mp4"),
            BlobKey.assetThumbnail(userId: "u", assetId: "a1"),
            BlobKey.assetOriginal(userId: "u", assetId: "a10", ext: "mp4"),
            BlobKey.assetOriginal(userId: "u", assetId: "a2", ext: "mp4"),
        ]
        for key in keys {
            try await store.put(key, movingFile: try makeFile(key.rawValue, in: store.scratchDirectory))
        }
        try await store.deleteAll(prefix: BlobKey.assetPrefix(userId: "u", assetId: "a1"))
        #expect(try await store.size(of: keys[0]) == nil)
        #expect(try await store.size(of: keys[1]) == nil)
        // `a1/` is a folder prefix: `a10` shares the letters but not the folder.
        #expect(try contents(of: try await store.localFile(for: keys[2])) == keys[2].rawValue)
        #expect(try contents(of: try await store.localFile(for: keys[3])) == keys[3].rawValue)
        #expect(!FileManager.default.fileExists(atPath: store.root.appendingPathComponent("users/u/assets/a1").path))

        try await store.deleteAll(prefix: "users/u/")
        #expect(!FileManager.default.fileExists(atPath: store.root.appendingPathComponent("users").path))
        try await store.deleteAll(prefix: "users/nobody/")

        for bad in ["users/u", "../", "/", "", "users//", "./", ".tmp/"] {
            await #expect(throws: StoreError.self, "\(bad)") { try await store.deleteAll(prefix: bad) }
        }
        #expect(FileManager.default.fileExists(atPath: store.scratchDirectory.path))
    }

    @Test func keysCannotReachTheScratchFolder() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url)
        let upload = try makeFile("x", in: directory.url)
        await #expect(throws: StoreError.invalidKey(".tmp/x")) {
            try await store.put(try BlobKey(validating: ".tmp/x"), movingFile: upload)
        }
        await #expect(throws: StoreError.invalidKey(".tmp")) { try await store.delete(try BlobKey(validating: ".tmp")) }
        #expect(FileManager.default.fileExists(atPath: upload.path))
    }

    @Test func symbolicLinksLeadingOutsideTheRootAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("storage"))
        let outside = directory.url.appendingPathComponent("outside", isDirectory: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let secret = outside.appendingPathComponent("secret.txt")
        try Data("secret".utf8).write(to: secret)
        let fileManager = FileManager.default

        // A folder link: users/evil -> outside
        try fileManager.createDirectory(at: store.root.appendingPathComponent("users"), withIntermediateDirectories: true)
        try fileManager.createSymbolicLink(at: store.root.appendingPathComponent("users/evil"), withDestinationURL: outside)
        let throughFolder = try BlobKey(validating: "users/evil/secret.txt")
        await #expect(throws: StoreError.invalidKey(throughFolder.rawValue)) { try await store.localFile(for: throughFolder) }
        await #expect(throws: StoreError.invalidKey(throughFolder.rawValue)) { try await store.size(of: throughFolder) }
        await #expect(throws: StoreError.invalidKey(throughFolder.rawValue)) { try await store.delete(throughFolder) }
        await #expect(throws: StoreError.self) { try await store.deleteAll(prefix: "users/evil/") }
        let planted = try BlobKey(validating: "users/evil/new/planted.txt")
        let upload = try makeFile("planted", in: store.scratchDirectory)
        await #expect(throws: StoreError.invalidKey(planted.rawValue)) { try await store.put(planted, movingFile: upload) }
        #expect(!fileManager.fileExists(atPath: outside.appendingPathComponent("new").path))
        #expect(try contents(of: secret) == "secret")

        // A file link: users/leak.txt -> outside/secret.txt
        try fileManager.createSymbolicLink(at: store.root.appendingPathComponent("users/leak.txt"), withDestinationURL: secret)
        let leak = try BlobKey(validating: "users/leak.txt")
        await #expect(throws: StoreError.invalidKey(leak.rawValue)) { try await store.localFile(for: leak) }

        // A dangling link whose target would be created outside.
        try fileManager.createSymbolicLink(
            at: store.root.appendingPathComponent("users/dangling"),
            withDestinationURL: outside.appendingPathComponent("not-yet"))
        let dangling = try BlobKey(validating: "users/dangling/x.txt")
        await #expect(throws: StoreError.invalidKey(dangling.rawValue)) { try await store.put(dangling, movingFile: upload) }
        #expect(!fileManager.fileExists(atPath: outside.appendingPathComponent("not-yet").path))

        // A relative link that climbs out.
        try fileManager.createSymbolicLink(atPath: store.root.appendingPathComponent("users/up").path, withDestinationPath: "../..")
        let climbing = try BlobKey(validating: "users/up/outside/secret.txt")
        await #expect(throws: StoreError.invalidKey(climbing.rawValue)) { try await store.localFile(for: climbing) }
        #expect(try contents(of: secret) == "secret")
    }

    @Test func symbolicLinksStayingInsideTheRootAreFollowed() async throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("storage"))
        let real = try BlobKey(validating: "users/real/file.txt")
        try await store.put(real, movingFile: try makeFile("inside", in: store.scratchDirectory))
        try FileManager.default.createSymbolicLink(
            atPath: store.root.appendingPathComponent("users/alias").path, withDestinationPath: "real")
        let alias = try BlobKey(validating: "users/alias/file.txt")
        #expect(try contents(of: try await store.localFile(for: alias)) == "inside")
    }

    @Test func aRootReachedThroughALinkStillWorks() async throws {
        let directory = try TemporaryDirectory()
        let realRoot = directory.url.appendingPathComponent("real-storage")
        try FileManager.default.createDirectory(at: realRoot, withIntermediateDirectories: true)
        let linkedRoot = directory.url.appendingPathComponent("storage")
        try FileManager.default.createSymbolicLink(at: linkedRoot, withDestinationURL: realRoot)
        let store = try LocalBlobStore(root: linkedRoot)
        let key = try BlobKey(validating: "users/u/a.txt")
        try await store.put(key, movingFile: try makeFile("via link", in: store.scratchDirectory))
        #expect(try contents(of: realRoot.appendingPathComponent("users/u/a.txt")) == "via link")
    }

    @Test func staleScratchFilesAreRemovedAndFreshOnesKept() throws {
        let directory = try TemporaryDirectory()
        let store = try LocalBlobStore(root: directory.url.appendingPathComponent("storage"))
        let fileManager = FileManager.default
        let stale = try makeFile("old upload", in: store.scratchDirectory)
        let staleFolder = store.scratchDirectory.appendingPathComponent("render-123", isDirectory: true)
        try fileManager.createDirectory(at: staleFolder, withIntermediateDirectories: true)
        _ = try makeFile("partial", in: staleFolder)
        let fresh = try makeFile("in progress", in: store.scratchDirectory)
        let twoDaysAgo = Date().addingTimeInterval(-2 * 86_400)
        try fileManager.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: stale.path)
        try fileManager.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: staleFolder.path)

        try store.removeStaleScratchFiles(olderThan: 86_400)
        #expect(!fileManager.fileExists(atPath: stale.path))
        #expect(!fileManager.fileExists(atPath: staleFolder.path))
        #expect(try contents(of: fresh) == "in progress")
    }
}
