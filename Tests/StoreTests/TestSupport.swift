import Foundation
import GRDB
import Testing
@testable import Store

/// A fresh folder under the system temporary directory, removed when the test is done.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("cutroom-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Where a test database lives: both must behave the same.
enum DatabaseKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case file

    var testDescription: String { rawValue }
}

/// An open database plus the folder that holds its file (kept alive as long as the database).
struct TestDatabase {
    let database: AppDatabase
    let directory: TemporaryDirectory

    init(_ kind: DatabaseKind) throws {
        directory = try TemporaryDirectory()
        switch kind {
        case .inMemory:
            database = try AppDatabase.inMemory()
        case .file:
            // A missing parent folder: the initializer must create it.
            database = try AppDatabase(path: directory.url.appendingPathComponent("nested/cutroom.sqlite").path)
        }
    }
}

extension AppDatabase {
    /// Rows in `table`, counted behind the API's back.
    func rowCount(_ table: String) throws -> Int {
        try dbWriter.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? -1 }
    }

    func makeUser(_ id: String) throws -> User {
        try dbWriter.write { db in
            let user = User(id: id, email: "\(id)@example.com", name: id.capitalized, createdAt: .databaseNow())
            try user.insert(db)
            return user
        }
    }
}

func sampleAsset(id: String = Identifier.make(), userId: String, projectId: String, kind: Asset.Kind = .video) -> Asset {
    Asset(
        id: id, userId: userId, projectId: projectId, name: "clip-\(id).mp4", kind: kind, size: 123_456,
        duration: 10.5, width: 1920, height: 1080, fps: 29.97, hasVideo: true, hasAudio: true,
        mediaInfo: #"{"streams":2}"#, storageKey: "users/\(userId)/assets/\(id)/original.mp4",
        thumbnailKey: nil, createdAt: Date())
}

func sampleRender(userId: String, projectId: String? = nil, timelineId: String? = nil) -> RenderRecord {
    RenderRecord(
        id: Identifier.make(), userId: userId, projectId: projectId, timelineId: timelineId,
        format: "mp4", document: #"{"version":1,"tracks":[]}"#)
}
