import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Tells addresses a webhook must not reach (loopback, private, link-local, unspecified).
enum NetworkAddress {
    /// True when `host` is such an address literal, or `localhost`.
    static func isPrivate(host: String) -> Bool {
        let trimmed = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if trimmed == "localhost" || trimmed.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 { return isPrivate(v4: UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, trimmed, &v6) == 1 { return isPrivate(v6: v6) }
        return false
    }

    /// Resolves `host` on `lane` (getaddrinfo blocks) and tells whether any address is private.
    static func resolvesPrivate(host: String, on lane: BlockingWork) async throws -> Bool {
        if isPrivate(host: host) { return true }
        return try await lane.run {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &result) == 0 else { return false }
            defer { freeaddrinfo(result) }
            var node = result
            while let info = node {
                if let address = info.pointee.ai_addr {
                    if info.pointee.ai_family == AF_INET {
                        let v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        if isPrivate(v4: UInt32(bigEndian: v4.s_addr)) { return true }
                    } else if info.pointee.ai_family == AF_INET6 {
                        let v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        if isPrivate(v6: v6) { return true }
                    }
                }
                node = info.pointee.ai_next
            }
            return false
        }
    }

    private static func isPrivate(v4 address: UInt32) -> Bool {
        let a = address >> 24, b = (address >> 16) & 0xFF
        return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b))
            || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b))
    }

    private static func isPrivate(v6 address: in6_addr) -> Bool {
        let bytes = withUnsafeBytes(of: address) { Array($0) }
        if bytes.allSatisfy({ $0 == 0 }) { return true }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        if bytes[0] & 0xFE == 0xFC { return true }
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return true }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            let v4 = UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15])
            return isPrivate(v4: v4)
        }
        return false
    }
}
