import Foundation
import NIOCore
import Store
import Testing

@testable import App

/// Files whose rows are gone are removed at the next start; nothing else is.
@Suite("Start-up orphan sweep")
struct OrphanSweepTests {
    @Test(arguments: Backend.allCases) func filesWithoutRowsGoAtTheNextStartOthersStay(_ backend: Backend) async throws {
        let clip = try Fixtures.colorClip("red", seconds: 1)
        let server = try await TestServer.make(backend)
        let first = Box()
        try await server.run(restarting: true) { client in
            let project = try await client.createProject()
            let (_, body) = try await client.upload(clip, to: project)
            let asset = try #require(body["data"]["id"].string)
            first.set(owner: client.owner.id, kept: try await server.blobs().filter { $0.contains(asset) })
        }
        let (owner, kept) = first.value
        #expect(!kept.isEmpty)
        let orphans = ["users/\(owner)/assets/01GHOSTASSET/original.mp4", "users/\(owner)/renders/01GHOSTRENDER/output.mp4"]
        // Another server's files in a shared bucket (a user this database does not know) are not ours.
        let foreign = "users/01SOMEONEELSE/assets/01X/original.mp4"
        for key in orphans + [foreign] { try await Self.plant(key, in: server) }
        try await Task.sleep(for: .milliseconds(1100))  // S3's LastModified has whole seconds

        try await server.run { _ in
            var left = try await server.blobs()
            for _ in 0..<50 where orphans.contains(where: left.contains) {
                try await Task.sleep(for: .milliseconds(100))
                left = try await server.blobs()
            }
            #expect(!orphans.contains(where: left.contains), "orphans removed: \(left)")
            #expect(left.contains(foreign))
            #expect(kept.allSatisfy(left.contains), "the real asset's files stay")
        }
    }

    @Test func onlyFoldersOfKnownUsersWithoutTheirRowAreOrphans() {
        let owners: (users: Set<String>, assets: Set<String>, renders: Set<String>) = (["u"], ["u/a"], ["u/r"])
        #expect(OrphanSweep.orphanFolder(of: "users/u/assets/a/original.mp4", owners: owners) == nil)
        #expect(OrphanSweep.orphanFolder(of: "users/u/renders/r/output.mp4", owners: owners) == nil)
        #expect(OrphanSweep.orphanFolder(of: "users/u/assets/b/thumb.jpg", owners: owners) == "users/u/assets/b/")
        #expect(OrphanSweep.orphanFolder(of: "users/u/renders/x/output.gif", owners: owners) == "users/u/renders/x/")
        #expect(OrphanSweep.orphanFolder(of: "users/v/assets/b/original.mp4", owners: owners) == nil)
        #expect(OrphanSweep.orphanFolder(of: "users/u/other/b/file", owners: owners) == nil)
        #expect(OrphanSweep.orphanFolder(of: "users/u/assets/a", owners: owners) == nil)
    }

    /// What the first run found, handed out of its `@Sendable` body.
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var stored = ("", [String]())
        func set(owner: String, kept: [String]) { lock.withLock { stored = (owner, kept) } }
        var value: (String, [String]) { lock.withLock { stored } }
    }

    static func plant(_ key: String, in server: TestServer) async throws {
        if let bucket = server.bucket {
            try await S3Client(configuration: bucket).putObject(key, body: ByteBuffer(string: "orphan"))
        } else {
            let file = server.storage.appendingPathComponent(key)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("orphan".utf8).write(to: file)
        }
    }
}
