import Foundation
import GRDB

/// What an account change came to; the rules that keep an installation reachable are checked in
/// the same transaction as the change.
public enum AccountChange: Sendable, Hashable {
    case done(User)
    case notFound
    /// It would leave no active admin.
    case lastAdmin
    /// Another account already uses the email.
    case emailTaken
    /// The first account exists already.
    case setupDone
}

extension AppDatabase {
    /// Whether anyone can sign in yet: false on a new installation (first-run setup is open).
    public func hasAccounts() async throws -> Bool {
        try await read { db in try User.filter(User.Columns.passwordHash != nil).isEmpty(db) == false }
    }

    /// Creates the first admin, only while no account exists (one transaction, so two racing
    /// first visits make one admin). The pre-accounts local user, if any, becomes that admin and
    /// keeps everything it owns.
    public func createFirstAdmin(email: String, name: String, passwordHash: String) async throws -> AccountChange {
        try await change { db in
            guard try User.filter(User.Columns.passwordHash != nil).isEmpty(db) else { return .setupDone }
            if var local = try User.fetchOne(db, id: User.localUserId) {
                if try User.filter(User.Columns.email == email).filter(User.Columns.id != local.id).isEmpty(db) == false {
                    return .emailTaken
                }
                local.email = email
                local.name = name
                local.passwordHash = passwordHash
                local.role = .admin
                local.disabledAt = nil
                try local.update(db)
                return .done(local)
            }
            if try User.filter(User.Columns.email == email).isEmpty(db) == false { return .emailTaken }
            let user = User(id: Identifier.make(), email: email, name: name, createdAt: .databaseNow(), passwordHash: passwordHash, role: .admin)
            try user.insert(db)
            return .done(user)
        }
    }

    /// A user by email, compared without regard to ASCII case.
    public func user(email: String) async throws -> User? {
        try await read { db in try User.filter(User.Columns.email == email).fetchOne(db) }
    }

    /// Every user, oldest first.
    public func users() async throws -> [User] {
        try await read { db in try User.order(User.Columns.createdAt, User.Columns.id).fetchAll(db) }
    }

    /// Adds an invited user (no password yet) and its invite in one transaction.
    public func inviteUser(_ user: User, invite: Credential) async throws -> AccountChange {
        try await change { db in
            if try User.filter(User.Columns.email == user.email).isEmpty(db) == false { return .emailTaken }
            try user.insert(db)
            try invite.insert(db)
            return .done(user)
        }
    }

    /// Replaces an invited user's invites with `invite`; `.lastAdmin` is never answered here, and
    /// `.setupDone` means the user has accepted already.
    public func reissueInvite(userId: String, invite: Credential) async throws -> AccountChange {
        try await change { db in
            guard let user = try User.fetchOne(db, id: userId) else { return .notFound }
            guard user.passwordHash == nil else { return .setupDone }
            try Credential.filter(Credential.Columns.userId == userId).filter(Credential.Columns.kind == Credential.Kind.invite).deleteAll(db)
            try invite.insert(db)
            return .done(user)
        }
    }

    /// The invite with this secret and its user, while it is unexpired and not yet accepted.
    public func invite(secretHash: String, now: Date) async throws -> SignedIn? {
        try await read { db in
            guard let invite = try Credential.filter(Credential.Columns.secretHash == secretHash)
                .filter(Credential.Columns.kind == Credential.Kind.invite).fetchOne(db),
                !invite.isExpired(at: now),
                let user = try User.fetchOne(db, id: invite.userId), user.status == .invited
            else { return nil }
            return SignedIn(credential: invite, user: user)
        }
    }

    /// Accepts an invite: sets the password (and name), spends the invite, and adds `session` (made
    /// for the invite's user), in one transaction so an invite works once.
    public func acceptInvite(secretHash: String, passwordHash: String, name: String?, session: Credential) async throws -> User? {
        try await write { db in
            let now = Date.databaseNow()
            guard let invite = try Credential.filter(Credential.Columns.secretHash == secretHash)
                .filter(Credential.Columns.kind == Credential.Kind.invite).fetchOne(db),
                !invite.isExpired(at: now),
                var user = try User.fetchOne(db, id: invite.userId), user.status == .invited, session.userId == user.id
            else { return nil }
            user.passwordHash = passwordHash
            if let name, !name.isEmpty { user.name = name }
            user.lastSignInAt = now
            try user.update(db)
            try Credential.filter(Credential.Columns.userId == user.id).filter(Credential.Columns.kind == Credential.Kind.invite).deleteAll(db)
            try session.insert(db)
            return user
        }
    }

    /// Changes one user; refused when afterwards no active admin would remain.
    public func updateUser(id: String, _ edit: @Sendable (inout User) -> Void) async throws -> AccountChange {
        try await change { db in
            guard var user = try User.fetchOne(db, id: id) else { return .notFound }
            edit(&user)
            try user.update(db)
            if try Self.activeAdmins(db) == 0 { throw Rollback.lastAdmin }
            // A disabled account's sessions and tokens end now, not when they expire.
            if user.disabledAt != nil {
                try Credential.filter(Credential.Columns.userId == id).filter(Credential.Columns.kind != Credential.Kind.invite).deleteAll(db)
            }
            return .done(user)
        }
    }

    /// Deletes a user and, by cascade, everything it owns; refused for the last active admin.
    /// Returns the user as it was. The caller removes the files under `users/{id}/`.
    public func deleteUser(id: String) async throws -> AccountChange {
        try await change { db in
            guard let user = try User.fetchOne(db, id: id) else { return .notFound }
            try user.delete(db)
            if try Self.activeAdmins(db) == 0 { throw Rollback.lastAdmin }
            return .done(user)
        }
    }

    /// Sets a new password and ends every session but `keep`.
    public func setPassword(userId: String, passwordHash: String, keepingSession keep: String?) async throws {
        try await write { db in
            guard var user = try User.fetchOne(db, id: userId) else { throw StoreError.notFound("user") }
            user.passwordHash = passwordHash
            try user.update(db)
            var sessions = Credential.filter(Credential.Columns.userId == userId).filter(Credential.Columns.kind == Credential.Kind.session)
            if let keep { sessions = sessions.filter(Credential.Columns.id != keep) }
            try sessions.deleteAll(db)
        }
    }

    /// Records a sign-in and adds its session.
    public func signIn(userId: String, session: Credential) async throws {
        try await write { db in
            try session.insert(db)
            try User.filter(id: userId).updateAll(db, Column("lastSignInAt").set(to: Date.databaseNow()))
        }
    }

    // MARK: Credentials

    public func insertCredential(_ credential: Credential) async throws {
        try await write { db in try credential.insert(db) }
    }

    /// The session or token with this secret and its user, when unexpired and the user active.
    public func signedIn(secretHash: String, now: Date) async throws -> SignedIn? {
        try await read { db in
            guard let credential = try Credential.filter(Credential.Columns.secretHash == secretHash)
                .filter(Credential.Columns.kind != Credential.Kind.invite).fetchOne(db),
                !credential.isExpired(at: now),
                let user = try User.fetchOne(db, id: credential.userId), user.status == .active
            else { return nil }
            return SignedIn(credential: credential, user: user)
        }
    }

    /// Notes that a credential was used (the caller limits how often).
    public func touchCredential(id: String, at date: Date) async throws {
        try await write { db in
            try Credential.filter(id: id).updateAll(db, Credential.Columns.lastUsedAt.set(to: date))
        }
    }

    /// A user's credentials of one kind, newest first.
    public func credentials(userId: String, kind: Credential.Kind) async throws -> [Credential] {
        try await read { db in
            try Credential.filter(Credential.Columns.userId == userId).filter(Credential.Columns.kind == kind)
                .order(Credential.Columns.createdAt.desc, Credential.Columns.id.desc).fetchAll(db)
        }
    }

    /// Deletes one of the user's credentials of a kind; false when absent or someone else's.
    @discardableResult
    public func deleteCredential(id: String, userId: String, kind: Credential.Kind) async throws -> Bool {
        try await write { db in
            try Credential.filter(id: id).filter(Credential.Columns.userId == userId).filter(Credential.Columns.kind == kind).deleteAll(db) > 0
        }
    }

    /// Removes sessions, tokens and invites that have expired.
    @discardableResult
    public func deleteExpiredCredentials(now: Date) async throws -> Int {
        try await write { db in try Credential.filter(Credential.Columns.expiresAt <= now).deleteAll(db) }
    }

    private static func activeAdmins(_ db: Database) throws -> Int {
        try User.filter(User.Columns.role == User.Role.admin).filter(User.Columns.passwordHash != nil)
            .filter(User.Columns.disabledAt == nil).fetchCount(db)
    }
}

/// Thrown inside a write to roll it back, then turned into its answer by `write`'s caller.
private enum Rollback: Error {
    case lastAdmin
}

extension AppDatabase {
    /// A write transaction answering an `AccountChange`, with a rule-violation rollback answered as `.lastAdmin`.
    fileprivate func change(_ updates: @Sendable (Database) throws -> AccountChange) async throws -> AccountChange {
        do {
            return try await dbWriter.write(updates)
        } catch Rollback.lastAdmin {
            return .lastAdmin
        } catch {
            throw Self.storeError(error)
        }
    }
}
