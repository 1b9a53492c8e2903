import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Tells addresses a webhook must not reach (loopback, private, link-local, unspecified).
enum NetworkAddress {
    /// True when `host` is such an address literal, or `localhost`. IPv4 is read the way the
    /// resolver reads it (`inet_aton`: `2130706433`, `0x7f.1` and `127.1` are all 127.0.0.1), IPv6
    /// with every form that embeds an IPv4 address (mapped, compatible, translated, NAT64, 6to4).
    /// The same rule runs on submitted URLs and, after DNS, on every address a delivery would use.
    static func isPrivate(host: String) -> Bool {
        let trimmed = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if trimmed.isEmpty || trimmed == "localhost" || trimmed.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_aton(trimmed, &v4) != 0 { return isPrivate(v4: UInt32(bigEndian: v4.s_addr)) }
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
        let a = address >> 24, b = (address >> 16) & 0xFF, c = (address >> 8) & 0xFF
        return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && (16...31).contains(b))
            || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b))
            || (a == 192 && b == 0 && c == 0) || (a == 198 && (18...19).contains(b)) || a >= 224
    }

    private static func isPrivate(v6 address: in6_addr) -> Bool {
        let bytes = withUnsafeBytes(of: address) { Array($0) }
        func v4(at offset: Int) -> UInt32 {
            UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
        }
        func zero(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0 } }
        // Unspecified, loopback, and IPv4-compatible (::a.b.c.d, deprecated but still routed by some stacks).
        if zero(0..<12) { return zero(12..<15) || isPrivate(v4: v4(at: 12)) }
        // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d.
        if zero(0..<10), bytes[10] == 0xFF, bytes[11] == 0xFF { return isPrivate(v4: v4(at: 12)) }
        if zero(0..<8), bytes[8] == 0xFF, bytes[9] == 0xFF, zero(10..<12) { return isPrivate(v4: v4(at: 12)) }
        // NAT64: the well-known 64:ff9b::/96 and the local-use 64:ff9b:1::/48 carry the IPv4 address last.
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B {
            if zero(4..<12) { return isPrivate(v4: v4(at: 12)) }
            if bytes[4] == 0x00, bytes[5] == 0x01 { return true }
        }
        // 6to4 (2002::/16) carries it in bytes 2...5; Teredo (2001::/32) hides it: refused outright.
        if bytes[0] == 0x20, bytes[1] == 0x02 { return isPrivate(v4: v4(at: 2)) }
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x00, bytes[3] == 0x00 { return true }
        // Unique local fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8.
        if bytes[0] & 0xFE == 0xFC { return true }
        if bytes[0] == 0xFE && bytes[1] & 0x80 == 0x80 { return true }
        if bytes[0] == 0xFF { return true }
        return false
    }
}
