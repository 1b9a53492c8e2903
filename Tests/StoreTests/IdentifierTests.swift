import Foundation
import Testing
@testable import Store

@Suite struct IdentifierTests {
    @Test func idsAreCrockfordBase32AndValidKeySegments() throws {
        let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        for _ in 0..<200 {
            let id = Identifier.make()
            #expect(id.count == 26)
            #expect(id.allSatisfy { alphabet.contains($0) })
            // 128 bits in 130: the first character carries only 3 bits.
            #expect("01234567".contains(try #require(id.first)))
            _ = try BlobKey(validating: "users/\(id)/x")
        }
    }

    @Test func idsSortInCreationOrderEvenWithinOneMillisecond() {
        let ids = (0..<5_000).map { _ in Identifier.make() }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test func prefixEncodesTheCurrentTimeInMilliseconds() throws {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = Identifier.make()
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var time: UInt64 = 0
        for character in id.prefix(10) {
            let digit = try #require(alphabet.firstIndex(of: character))
            time = time << 5 | UInt64(digit)
        }
        #expect(time >= before && time <= after + 1)
    }

    @Test func encodingMatchesTheULIDLayout() {
        // All-zero and all-one values pin the bit layout: 26 characters, the first holding 3 bits.
        #expect(Identifier.encode(time: 0, randomHigh: 0, randomLow: 0) == String(repeating: "0", count: 26))
        #expect(Identifier.encode(time: 0xFFFF_FFFF_FFFF, randomHigh: .max, randomLow: .max)
            == "7" + String(repeating: "Z", count: 25))
        // Time 1 ms is the lowest bit of the 10-character time part.
        #expect(Identifier.encode(time: 1, randomHigh: 0, randomLow: 0) == "0000000001" + String(repeating: "0", count: 16))
    }
}

@Suite struct PageTests {
    @Test func totalPagesRoundsUp() {
        #expect(Page(items: [1, 2], page: 1, limit: 2, total: 5).totalPages == 3)
        #expect(Page(items: [Int](), page: 1, limit: 20, total: 0).totalPages == 0)
        #expect(Page(items: [1], page: 1, limit: 20, total: 20).totalPages == 1)
    }

    @Test func mapKeepsThePagination() {
        let page = Page(items: [1, 2], page: 3, limit: 2, total: 6).map { "\($0)" }
        #expect(page == Page(items: ["1", "2"], page: 3, limit: 2, total: 6))
    }

    @Test func clampKeepsPagesAndLimitsSane() {
        #expect(Page<Int>.clamp(page: 0, limit: 0) == (1, 1, 0))
        #expect(Page<Int>.clamp(page: 3, limit: 10_000) == (3, 500, 1_000))
        #expect(Page<Int>.clamp(page: Int.max, limit: 50).offset == Int.max)
    }
}
