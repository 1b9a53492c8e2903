import Foundation
import Store

// MARK: Requests

/// `POST /auth/setup` and `POST /auth/login`: `{email, password, name?}` (login takes no name).
struct CredentialsRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case email, password, name }
    typealias Keys = CodingKeys
    var email: String
    var password: String
    var name: String?
}

/// `POST /auth/invites/{token}`: `{password, name?}`.
struct AcceptInviteRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case password, name }
    typealias Keys = CodingKeys
    var password: String
    var name: String?
}

/// `PATCH /me`: `{name}`.
struct ProfileRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case name }
    typealias Keys = CodingKeys
    var name: String
}

/// `POST /me/password`: `{currentPassword, newPassword}`.
struct PasswordChangeRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case currentPassword, newPassword }
    typealias Keys = CodingKeys
    var currentPassword: String
    var newPassword: String
}

/// `POST /tokens`: `{name, scope, expiresInDays?}`.
struct TokenRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, scope, expiresInDays }
    typealias Keys = CodingKeys
    var name: String
    var scope: Credential.Scope
    var expiresInDays: Int?
}

/// `POST /users`: `{email, role?, name?}`.
struct InviteRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case email, role, name }
    typealias Keys = CodingKeys
    var email: String
    var role: User.Role?
    var name: String?
}

/// `PATCH /users/{id}`: `{disabled?, role?}`.
struct UserChangeRequest: RequestDTO {
    enum CodingKeys: String, CodingKey, CaseIterable { case disabled, role }
    typealias Keys = CodingKeys
    var disabled: Bool?
    var role: User.Role?
}

// MARK: Responses

/// A user as the API shows it (never the password hash).
struct UserDTO: Encodable {
    var id: String
    var email: String
    var name: String
    var role: User.Role
    var status: User.Status
    var createdAt: Date
    var lastSignInAt: Date?

    init(_ user: User) {
        id = user.id
        email = user.email
        name = user.name
        role = user.role
        status = user.status
        createdAt = user.createdAt
        lastSignInAt = user.lastSignInAt
    }

    // Never-signed-in is an explicit null, as the contract shows it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastSignInAt, forKey: .lastSignInAt)
    }

    private enum CodingKeys: String, CodingKey { case id, email, name, role, status, createdAt, lastSignInAt }
}

/// What signing in answers: the session secret (also usable as a bearer token) and the user.
struct SignInDTO: Encodable {
    var token: String
    var user: UserDTO
}

/// An API token as listed; `token` (the secret) only in the answer that made it.
struct TokenDTO: Encodable {
    var id: String
    var name: String
    var scope: Credential.Scope
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?
    var token: String?

    init(_ credential: Credential, secret: String? = nil) {
        id = credential.id
        name = credential.name
        scope = credential.scope
        createdAt = credential.createdAt
        expiresAt = credential.expiresAt
        lastUsedAt = credential.lastUsedAt
        token = secret
    }

    // "Never expires" and "never used" are explicit nulls; the secret appears only when made.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(scope, forKey: .scope)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encodeIfPresent(token, forKey: .token)
    }

    private enum CodingKeys: String, CodingKey { case id, name, scope, createdAt, expiresAt, lastUsedAt, token }
}

/// An invite as made for an admin: the one-time link, shown once.
struct InviteDTO: Encodable {
    var user: UserDTO
    var inviteUrl: String
    var expiresAt: Date
}

/// What an invite link shows before it is accepted.
struct InviteInfoDTO: Encodable {
    var email: String
    var role: User.Role
    var expiresAt: Date?
}
