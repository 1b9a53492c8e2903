import EngineTestSupport
import Testing
@testable import Compiler
@testable import TimelineModel

@Suite("Filter text helpers")
struct FilterTextTests {
    @Test("option values escape both parsing levels")
    func escaping() {
        #expect(FilterEscaping.optionLevel("a:b'c\\d e") == #"a\:b\'c\\d\ e"#)
        #expect(FilterEscaping.graphLevel(#"x,y;[z]\'"#) == #"x\,y\;\[z\]\\\'"#)
        #expect(FilterEscaping.optionValue("plain") == "plain")
    }

    @Test("numbers print in fixed notation with at most 6 decimals", arguments: [
        (2.0, "2"), (0.5, "0.5"), (-0.25, "-0.25"), (1001.0 / 30000, "0.033367"), (1e-9, "0"), (123456.0, "123456"),
    ])
    func decimals(value: Double, text: String) {
        #expect(decimal(value) == text)
    }

    @Test("colours parse and composite over black")
    func colours() throws {
        let c = try #require(RGBAColor("#FF800080"))
        #expect(c.ffmpeg == "0xFF800080")
        #expect(c.overBlack.ffmpeg == "0x804000FF")
        #expect(RGBAColor("#abcdef")?.ffmpeg == "0xABCDEFFF")
        for bad in ["red", "#12345", "#1234567", "FF0000", "#GG0000", "#+12345"] {
            #expect(RGBAColor(bad) == nil, "\(bad)")
        }
    }

    @Test("the frame clock rounds on the exact grid")
    func clock() {
        let ntsc = FrameClock(rate: Rational(30000, 1001))
        #expect(ntsc.frame(at: 10) == 300)
        #expect(ntsc.frame(at: 1.5015) == 45)
        #expect(ntsc.sample(frame: 300, sampleRate: 48000) == 480_480)
        #expect(ntsc.seconds(frame: 30000) == 1001)
    }
}
