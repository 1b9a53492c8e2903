import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct AppDatabaseTests {
    // MARK: Connection and schema

    @Test func fileDatabaseRunsInWALModeWithForeignKeysAndABusyTimeout() async throws {
        let test = try TestDatabase(.file)
        let (mode, foreignKeys, timeout) = try await test.database.dbWriter.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try Int.fetchOne(db, sql: "PRAGMA busy_timeout"))
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
        #expect(timeout == 5_000)
        #expect(test.database.dbWriter is DatabasePool)
        #expect(FileManager.default.fileExists(atPath: test.directory.url.appendingPathComponent("nested/cutroom.sqlite").path))
    }

    @Test func inMemoryDatabaseHasForeignKeysAndTheSameMigrations() async throws {
        let database = try AppDatabase.inMemory()
        let (foreignKeys, migrations) = try await database.dbWriter.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try AppDatabase.migrator.appliedIdentifiers(db))
        }
        #expect(foreignKeys == 1)
        #expect(Set(migrations) == Set(AppDatabase.migrator.migrations))
        #expect(migrations.count == AppDatabase.migrator.migrations.count)
        #expect(database.dbWriter is DatabaseQueue)
    }

    @Test func schemaHasTheIndexesQueriesRelyOn() async throws {
        let database = try AppDatabase.inMemory()
        let indexes = try await database.dbWriter.read { db in
            Dictionary(uniqueKeysWithValues: try db.indexes(on: "render").map { ($0.name, $0.columns) })
        }
        #expect(indexes["render_on_status_queueSeq"] == ["status", "queueSeq"])
        #expect(indexes["render_on_userId_createdAt"] == ["userId", "createdAt"])
        #expect(indexes.values.contains(["queueSeq"]))
        let projectIndexes = try await database.dbWriter.read { db in try db.indexes(on: "project").map(\.columns) }
        #expect(projectIndexes.contains(["userId"]))
        let assetIndexes = try await database.dbWriter.read { db in try db.indexes(on: "asset").map(\.columns) }
        #expect(assetIndexes.contains(["projectId"]))
    }

    @Test func reopeningAFileKeepsDataAndDoesNotMigrateAgain() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("db.sqlite").path
        let project: Project
        do {
            let database = try AppDatabase(path: path)
            _ = try await database.ensureLocalUser()
            project = try await database.createProject(userId: User.localUserId, name: "Kept")
        }
        let reopened = try AppDatabase(path: path)
        #expect(try await reopened.project(id: project.id, userId: User.localUserId) == project)
        try await reopened.ping()
    }

    @Test(arguments: DatabaseKind.allCases)
    func constraintsLiveInTheSchema(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        let project = try await database.createProject(userId: "ann", name: "P")
        // Each statement breaks one constraint and must be refused by SQLite itself.
        let now = Date().databaseValue
        let broken: [(String, StatementArguments)] = [
            ("INSERT INTO user (id, email, name, createdAt) VALUES ('x', 'ANN@example.com', 'X', ?)", [now]),
            ("INSERT INTO project (id, userId, name, createdAt, updatedAt) VALUES ('p', 'nobody', 'P', ?, ?)", [now, now]),
            ("INSERT INTO project (id, userId, name, createdAt, updatedAt) VALUES ('p', 'ann', NULL, ?, ?)", [now, now]),
            ("""
             INSERT INTO asset (id, userId, projectId, name, kind, size, storageKey, createdAt)
             VALUES ('a', 'ann', ?, 'n', 'spreadsheet', 1, 'k', ?)
             """, [project.id, now]),
            ("""
             INSERT INTO render (id, userId, status, stage, format, document, queueSeq, createdAt, updatedAt)
             VALUES ('r', 'ann', 'paused', 'queued', 'mp4', '{}', 1, ?, ?)
             """, [now, now]),
            ("""
             INSERT INTO render (id, userId, status, stage, format, document, queueSeq, createdAt, updatedAt)
             VALUES ('r', 'ann', 'queued', 'exploding', 'mp4', '{}', 1, ?, ?)
             """, [now, now]),
            ("""
             INSERT INTO render (id, userId, timelineId, status, stage, format, document, queueSeq, createdAt, updatedAt)
             VALUES ('r', 'ann', 'no-such-timeline', 'queued', 'queued', 'mp4', '{}', 1, ?, ?)
             """, [now, now]),
            ("""
             INSERT INTO timeline (id, userId, projectId, name, version, document, createdAt, updatedAt)
             VALUES ('t', 'ann', ?, 'n', 0, '{}', ?, ?)
             """, [project.id, now, now]),
        ]
        for (sql, arguments) in broken {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try database.dbWriter.write { db in try db.execute(sql: sql, arguments: arguments) }
            }
        }
        // The duplicate queueSeq is refused too.
        _ = try await database.insertRender(sampleRender(userId: "ann"))
        #expect(throws: DatabaseError.self) {
            try database.dbWriter.write { db in
                var render = sampleRender(userId: "ann")
                render.queueSeq = 1
                try render.insert(db)
            }
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func databaseFailuresSurfaceAsStoreErrors(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        let project = try await database.createProject(userId: "ann", name: "P")
        let asset = sampleAsset(userId: "ann", projectId: project.id)
        try await database.insertAsset(asset)
        let error = try await #require(throws: StoreError.self) { try await database.insertAsset(asset) }
        guard case .io(let message) = error else {
            Issue.record("expected .io, got \(error)")
            return
        }
        #expect(message.contains("UNIQUE"))
    }

    // MARK: Users

    @Test(arguments: DatabaseKind.allCases)
    func ensureLocalUserIsIdempotent(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        let first = try await database.ensureLocalUser()
        let second = try await database.ensureLocalUser()
        #expect(first == second)
        #expect(first.id == "local")
        #expect(first.email == "local@cutroom.invalid")
        #expect(first.name == "Local user")
        #expect(try database.rowCount("user") == 1)
        #expect(try await database.user(id: "local") == first)
        #expect(try await database.user(id: "nobody") == nil)
    }

    // MARK: Projects

    @Test(arguments: DatabaseKind.allCases)
    func projectsAreCreatedListedSearchedAndPaged(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        var created: [Project] = []
        for name in ["Holiday", "Élan vital", "holiday 2", "Work", "HOLIDAY three"] {
            created.append(try await database.createProject(userId: "ann", name: name))
        }
        _ = try await database.createProject(userId: "bob", name: "Bob's holiday")

        let all = try await database.projects(userId: "ann", search: nil, page: 1, limit: 50)
        #expect(all.items == created.reversed())
        #expect(all.total == 5)
        #expect(all.totalPages == 1)

        let holidays = try await database.projects(userId: "ann", search: "hOLiday", page: 1, limit: 50)
        #expect(holidays.items.map(\.name) == ["HOLIDAY three", "holiday 2", "Holiday"])
        // Case folding beyond ASCII, which SQLite's LIKE and lower() do not do.
        #expect(try await database.projects(userId: "ann", search: "éLAN", page: 1, limit: 50).items.map(\.name) == ["Élan vital"])
        // Wildcards are plain characters in a search.
        #expect(try await database.projects(userId: "ann", search: "%", page: 1, limit: 50).total == 0)

        let second = try await database.projects(userId: "ann", search: nil, page: 2, limit: 2)
        #expect(second.items.map(\.name) == ["holiday 2", "Élan vital"])
        #expect(second.page == 2 && second.limit == 2 && second.total == 5 && second.totalPages == 3)
        #expect(try await database.projects(userId: "ann", search: nil, page: 4, limit: 2).items.isEmpty)

        #expect(try await database.project(id: created[0].id, userId: "ann") == created[0])
        #expect(try await database.project(id: created[0].id, userId: "bob") == nil)
        #expect(try await database.project(id: "missing", userId: "ann") == nil)
    }

    @Test(arguments: DatabaseKind.allCases)
    func projectsAreRenamedOnlyByTheirOwner(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "Old")
        #expect(try await database.renameProject(id: project.id, userId: "bob", name: "Stolen") == nil)
        let renamed = try #require(try await database.renameProject(id: project.id, userId: "ann", name: "New"))
        #expect(renamed.name == "New")
        #expect(renamed.createdAt == project.createdAt)
        #expect(renamed.updatedAt >= project.updatedAt)
        #expect(try await database.project(id: project.id, userId: "ann") == renamed)
        #expect(try await database.renameProject(id: "missing", userId: "ann", name: "X") == nil)
    }

    @Test(arguments: DatabaseKind.allCases)
    func creatingAProjectForAnUnknownUserFails(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        await #expect(throws: StoreError.notFound("user")) { try await database.createProject(userId: "ghost", name: "P") }
    }

    @Test(arguments: DatabaseKind.allCases)
    func deletingAProjectCascadesAndReportsItsBlobs(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let doomed = try await database.createProject(userId: "ann", name: "Doomed")
        let kept = try await database.createProject(userId: "ann", name: "Kept")
        var assets: [Asset] = []
        for _ in 0..<3 { assets.append(try await database.insertAsset(sampleAsset(userId: "ann", projectId: doomed.id))) }
        let keptAsset = try await database.insertAsset(sampleAsset(userId: "ann", projectId: kept.id))
        let timeline = try await database.createTimeline(projectId: doomed.id, userId: "ann", name: "T", document: "{}")
        let keptTimeline = try await database.createTimeline(projectId: kept.id, userId: "ann", name: "T", document: "{}")
        let renders = try await [
            database.insertRender(sampleRender(userId: "ann", projectId: doomed.id, timelineId: timeline.id)),
            database.insertRender(sampleRender(userId: "ann", projectId: doomed.id)),
        ]
        let keptRender = try await database.insertRender(sampleRender(userId: "ann", projectId: kept.id, timelineId: keptTimeline.id))
        let inlineRender = try await database.insertRender(sampleRender(userId: "ann"))

        #expect(try await database.deleteProject(id: doomed.id, userId: "bob") == nil)
        #expect(try database.rowCount("asset") == 4)

        let deleted = try #require(try await database.deleteProject(id: doomed.id, userId: "ann"))
        #expect(deleted.project == doomed)
        #expect(deleted.assets == assets)
        #expect(deleted.renders == renders)

        #expect(try await database.project(id: doomed.id, userId: "ann") == nil)
        #expect(try database.rowCount("asset") == 1)
        #expect(try database.rowCount("timeline") == 1)
        #expect(try database.rowCount("render") == 2)
        #expect(try await database.asset(id: keptAsset.id, userId: "ann") == keptAsset)
        #expect(try await database.render(id: keptRender.id) == keptRender)
        #expect(try await database.render(id: inlineRender.id) == inlineRender)
        #expect(try await database.deleteProject(id: doomed.id, userId: "ann") == nil)
    }

    // MARK: Assets

    @Test(arguments: DatabaseKind.allCases)
    func assetsRoundTripAndListOldestFirst(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "P")
        let other = try await database.createProject(userId: "ann", name: "Other")
        var inserted: [Asset] = []
        for kind in [Asset.Kind.video, .audio, .image, .font, .captions, .video] {
            inserted.append(try await database.insertAsset(sampleAsset(userId: "ann", projectId: project.id, kind: kind)))
        }
        let still = Asset(
            id: Identifier.make(), userId: "ann", projectId: other.id, name: "still.png", kind: .image, size: 42,
            storageKey: "users/ann/assets/x/original.png", createdAt: Date())
        let storedStill = try await database.insertAsset(still)
        #expect(storedStill.duration == nil && storedStill.width == nil && storedStill.mediaInfo == nil)
        #expect(try await database.asset(id: still.id, userId: "ann") == storedStill)

        let page = try await database.assets(projectId: project.id, userId: "ann", kind: nil, page: 1, limit: 50)
        #expect(page.items == inserted)
        #expect(page.total == 6)
        let videos = try await database.assets(projectId: project.id, userId: "ann", kind: .video, page: 1, limit: 50)
        #expect(videos.items == [inserted[0], inserted[5]])
        let paged = try await database.assets(projectId: project.id, userId: "ann", kind: nil, page: 2, limit: 4)
        #expect(paged.items == Array(inserted[4...]))
        #expect(paged.totalPages == 2)
        #expect(try await database.assets(projectId: project.id, userId: "bob", kind: nil, page: 1, limit: 50).total == 0)

        let fetched = try #require(try await database.asset(id: inserted[0].id, userId: "ann"))
        #expect(fetched == inserted[0])
        #expect(fetched.kind == .video && fetched.size == 123_456 && fetched.duration == 10.5)
        #expect(fetched.width == 1920 && fetched.height == 1080 && fetched.fps == 29.97)
        #expect(fetched.hasVideo && fetched.hasAudio && fetched.mediaInfo == #"{"streams":2}"#)
        #expect(try await database.asset(id: inserted[0].id, userId: "bob") == nil)
    }

    @Test(arguments: DatabaseKind.allCases)
    func assetsGoOnlyIntoTheOwnersProjects(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "P")
        await #expect(throws: StoreError.notFound("project")) {
            try await database.insertAsset(sampleAsset(userId: "bob", projectId: project.id))
        }
        await #expect(throws: StoreError.notFound("project")) {
            try await database.insertAsset(sampleAsset(userId: "ann", projectId: "missing"))
        }
        #expect(try database.rowCount("asset") == 0)
    }

    @Test(arguments: DatabaseKind.allCases)
    func assetsAreDeletedAndThumbnailed(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "P")
        let asset = try await database.insertAsset(sampleAsset(userId: "ann", projectId: project.id))

        try await database.setThumbnailKey(assetId: asset.id, key: "users/ann/assets/\(asset.id)/thumb.jpg")
        let thumbnailed = try #require(try await database.asset(id: asset.id, userId: "ann"))
        #expect(thumbnailed.thumbnailKey == "users/ann/assets/\(asset.id)/thumb.jpg")
        try await database.setThumbnailKey(assetId: asset.id, key: nil)
        #expect(try await database.asset(id: asset.id, userId: "ann")?.thumbnailKey == nil)
        await #expect(throws: StoreError.notFound("asset")) { try await database.setThumbnailKey(assetId: "missing", key: "k") }

        #expect(try await database.deleteAsset(id: asset.id, userId: "bob") == nil)
        #expect(try await database.deleteAsset(id: asset.id, userId: "ann") == asset)
        #expect(try await database.asset(id: asset.id, userId: "ann") == nil)
        #expect(try await database.deleteAsset(id: asset.id, userId: "ann") == nil)
    }

    // MARK: Timelines

    @Test(arguments: DatabaseKind.allCases)
    func timelinesAreVersionedAndConflictsAreCaught(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "P")
        let timeline = try await database.createTimeline(projectId: project.id, userId: "ann", name: "Cut 1", document: #"{"a":1}"#)
        #expect(timeline.version == 1)
        #expect(timeline.createdAt == timeline.updatedAt)
        #expect(try await database.timeline(id: timeline.id, userId: "ann") == timeline)
        #expect(try await database.timeline(id: timeline.id, userId: "bob") == nil)

        let updated = try await database.updateTimeline(
            id: timeline.id, userId: "ann", expectedVersion: 1, name: nil, document: #"{"a":2}"#)
        #expect(updated.version == 2)
        #expect(updated.name == "Cut 1")
        #expect(updated.document == #"{"a":2}"#)
        #expect(updated.createdAt == timeline.createdAt)
        #expect(try await database.timeline(id: timeline.id, userId: "ann") == updated)

        await #expect(throws: StoreError.versionConflict(expected: 1, current: 2)) {
            try await database.updateTimeline(id: timeline.id, userId: "ann", expectedVersion: 1, name: "Stale", document: "{}")
        }
        #expect(try await database.timeline(id: timeline.id, userId: "ann") == updated)

        let renamed = try await database.updateTimeline(
            id: timeline.id, userId: "ann", expectedVersion: 2, name: "Cut 2", document: #"{"a":3}"#)
        #expect(renamed.version == 3 && renamed.name == "Cut 2")

        await #expect(throws: StoreError.notFound("timeline")) {
            try await database.updateTimeline(id: timeline.id, userId: "bob", expectedVersion: 3, name: nil, document: "{}")
        }
        await #expect(throws: StoreError.notFound("timeline")) {
            try await database.updateTimeline(id: "missing", userId: "ann", expectedVersion: 1, name: nil, document: "{}")
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func concurrentUpdatesAtOneVersionLetExactlyOneWin(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        let project = try await database.createProject(userId: "ann", name: "P")
        let timeline = try await database.createTimeline(projectId: project.id, userId: "ann", name: "T", document: "{}")
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                group.addTask {
                    (try? await database.updateTimeline(
                        id: timeline.id, userId: "ann", expectedVersion: 1, name: nil, document: "{\"n\":\(index)}")) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await database.timeline(id: timeline.id, userId: "ann")?.version == 2)
    }

    @Test(arguments: DatabaseKind.allCases)
    func timelinesAreListedCreatedAndDeletedPerOwner(kind: DatabaseKind) async throws {
        let test = try TestDatabase(kind)
        defer { withExtendedLifetime(test) {} }
        let database = test.database
        _ = try database.makeUser("ann")
        _ = try database.makeUser("bob")
        let project = try await database.createProject(userId: "ann", name: "P")
        await #expect(throws: StoreError.notFound("project")) {
            try await database.createTimeline(projectId: project.id, userId: "bob", name: "T", document: "{}")
        }
        let first = try await database.createTimeline(projectId: project.id, userId: "ann", name: "First", document: "{}")
        let second = try await database.createTimeline(projectId: project.id, userId: "ann", name: "Second", document: "{}")
        let third = try await database.createTimeline(projectId: project.id, userId: "ann", name: "Third", document: "{}")
        // Timestamps keep milliseconds: make the edit visibly later than the creations.
        try await Task.sleep(for: .milliseconds(10))
        let edited = try await database.updateTimeline(id: first.id, userId: "ann", expectedVersion: 1, name: nil, document: "[]")

        let page = try await database.timelines(projectId: project.id, userId: "ann", page: 1, limit: 50)
        #expect(page.items == [edited, third, second])
        #expect(try await database.timelines(projectId: project.id, userId: "ann", page: 2, limit: 2).items == [second])
        #expect(try await database.timelines(projectId: project.id, userId: "bob", page: 1, limit: 50).total == 0)

        let render = try await database.insertRender(sampleRender(userId: "ann", projectId: project.id, timelineId: second.id))
        #expect(try await database.deleteTimeline(id: second.id, userId: "bob") == false)
        #expect(try await database.deleteTimeline(id: second.id, userId: "ann") == true)
        #expect(try await database.deleteTimeline(id: second.id, userId: "ann") == false)
        #expect(try await database.timeline(id: second.id, userId: "ann") == nil)
        // The render keeps its own copy of the document and only loses the link.
        let orphan = try #require(try await database.render(id: render.id))
        #expect(orphan.timelineId == nil)
        #expect(orphan.document == render.document)
    }
}
