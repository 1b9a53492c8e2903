import TimelineModel
/// The output frame grid: converts timeline seconds to frame indexes and sample counts with
/// integer arithmetic, so nothing drifts over a long timeline.
package struct FrameClock {
    package let rate: Rational

    package init(rate: Rational) {
        self.rate = rate
    }

    /// Timeline seconds → nearest frame index. Seconds are first taken to the millisecond
    /// (the documents' precision), then rounded half up to the grid exactly.
    package func frame(at seconds: Double) -> Int {
        let ms = Int(saturating: (max(0, seconds) * 1000).rounded())
        return (2 * ms * rate.num + 1000 * rate.den) / (2000 * rate.den)
    }

    /// Start time of a frame, in seconds.
    package func seconds(frame: Int) -> Double {
        Double(frame) * Double(rate.den) / Double(rate.num)
    }

    /// Audio samples from 0 to the start of `frame`, rounded half up.
    package func sample(frame: Int, sampleRate: Int) -> Int {
        (2 * frame * sampleRate * rate.den + rate.num) / (2 * rate.num)
    }
}

extension Rational {
    /// The frame rate a document's `fps` means: 29.97, 23.976, 59.94 (and 47.952, 119.88) are the
    /// NTSC rates n×1000/1001; anything else is taken to the millisecond and reduced.
    package init(fps: Double) {
        for base in [24, 30, 48, 60, 120] where abs(fps - Double(base) * 1000 / 1001) < 0.005 {
            self.init(base * 1000, 1001)
            return
        }
        let millis = Int(saturating: (fps * 1000).rounded())
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let divisor = max(1, gcd(millis, 1000))
        self.init(millis / divisor, 1000 / divisor)
    }
}
