import Crypto
import Foundation

/// Secrets that stand for a user (session tokens, API tokens, invite codes): 32 random bytes,
/// base64url, shown once. Only their SHA-256 is stored: they are long and random, so a fast hash
/// is enough (passwords, chosen by people, get bcrypt instead).
enum Secret {
    static let prefix = "cr_"

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `value` could be a secret at all (anything else is refused before a lookup).
    static func isWellFormed(_ value: Substring) -> Bool {
        value.count == prefix.count + 43 && value.hasPrefix(prefix)
            && value.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }
    }
}
