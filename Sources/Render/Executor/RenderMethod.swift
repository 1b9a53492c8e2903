import Compiler
import TimelineModel
/// How the executor made a file.
public enum RenderMethod: Sendable, Hashable, CustomStringConvertible {
    /// One pass: decode, one filter graph, encode.
    case pipeline
    /// Packets of the sources copied with rebased timestamps; nothing decoded or encoded.
    case streamCopy
    /// Packets copied, except `reencodedFrames` frames at cuts off keyframes, rendered and encoded.
    case spliced(reencodedFrames: Int)
    /// The picture rendered in `segments` parallel range renders joined by stream copy, the sound once.
    case segmented(segments: Int)

    public var description: String {
        switch self {
        case .pipeline: return "single pass"
        case .streamCopy: return "stream copy"
        case .spliced(let frames): return "stream copy, \(frames) frames re-encoded at cuts off keyframes"
        case .segmented(let segments): return "\(segments) parallel segments"
        }
    }
}
