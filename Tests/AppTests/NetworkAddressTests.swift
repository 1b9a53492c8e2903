import Testing

@testable import App

/// The one rule for addresses a webhook may not reach, on every spelling of them.
@Suite("Network addresses")
struct NetworkAddressTests {
    @Test("private, loopback, link-local and reserved addresses in every spelling", arguments: [
        "127.0.0.1", "2130706433", "0x7f.1", "127.1", "017700000001", "10.1.2.3", "172.16.0.1", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "0.0.0.0", "198.18.0.1", "224.0.0.1", "255.255.255.255",
        "::1", "::", "[::1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[::ffff:0:7f00:1]", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "64:ff9b:1::a00:1", "2002:7f00:1::", "2001:0:4136:e378::1", "fe80::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "localhost", "LOCALHOST", "api.localhost", "",
    ])
    func refused(host: String) {
        #expect(NetworkAddress.isPrivate(host: host), "\(host)")
    }

    @Test("public addresses and names pass (names are checked again after DNS)", arguments: [
        "8.8.8.8", "93.184.216.34", "2606:4700::1111", "[64:ff9b::808:808]", "2002:808:808::1", "example.com", "hooks.example.org",
    ])
    func allowed(host: String) {
        #expect(!NetworkAddress.isPrivate(host: host), "\(host)")
    }
}
