import Foundation
import Synchronization
import HummingbirdBcrypt

/// Password hashing with bcrypt, on a lane of its own: one hash costs a quarter second of CPU at
/// cost 12, which must never run on the request threads.
struct Passwords: Sendable {
    let lane: BlockingWork
    let cost: UInt8

    /// bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused.
    static let lengths = 8...72

    /// Why `password` cannot be used, or nil when it can.
    static func problem(_ password: String) -> String? {
        let bytes = password.utf8.count
        if bytes < lengths.lowerBound { return "the password must have at least \(lengths.lowerBound) characters" }
        if bytes > lengths.upperBound { return "the password must be at most \(lengths.upperBound) bytes long" }
        return nil
    }

    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await lane.run { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks `password` against `hash`; with no hash (unknown email) it checks against a decoy
    /// so an unknown email takes as long as a wrong password.
    func verify(_ password: String, hash: String?) async throws -> Bool {
        let cost = cost
        let matches = try await lane.run { Bcrypt.verify(password, hash: hash ?? Self.decoy(cost: cost)) }
        return hash != nil && matches
    }

    /// A hash of a random string at `cost`, made once per process (on the lane, like every hash).
    private static func decoy(cost: UInt8) -> String {
        decoys.withLock { decoys in
            if let known = decoys[cost] { return known }
            let made = Bcrypt.hash(Secret.make(), cost: cost)
            decoys[cost] = made
            return made
        }
    }

    private static let decoys = Mutex<[UInt8: String]>([:])
}
