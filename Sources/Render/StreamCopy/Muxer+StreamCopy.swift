import Compiler
import TimelineModel
import CFFmpeg

extension Muxer {
    /// Adds a stream carrying packets copied from `source` (same codec parameters and time base, and
    /// `extradata` for the configuration bytes when given); returns its index.
    func addStream(copying source: UnsafeMutablePointer<AVStream>, extradata: [UInt8]? = nil) throws(RenderError) -> Int32 {
        guard let stream = avformat_new_stream(context, nil) else {
            throw LibAV.outOfMemory("avformat_new_stream")
        }
        try check("avcodec_parameters_copy", avcodec_parameters_copy(stream.pointee.codecpar, source.pointee.codecpar))
        // The tag names the codec in the source's container; the muxer picks its own.
        stream.pointee.codecpar.pointee.codec_tag = 0
        if let extradata {
            let parameters = stream.pointee.codecpar
            av_freep(&parameters!.pointee.extradata)
            // libav reads configuration bytes with zeroed padding after them.
            guard let bytes = av_mallocz(extradata.count + Int(AV_INPUT_BUFFER_PADDING_SIZE))?.assumingMemoryBound(to: UInt8.self) else {
                throw LibAV.outOfMemory("av_mallocz")
            }
            bytes.update(from: extradata, count: extradata.count)
            parameters?.pointee.extradata = bytes
            parameters?.pointee.extradata_size = Int32(extradata.count)
        }
        stream.pointee.time_base = source.pointee.time_base
        stream.pointee.avg_frame_rate = source.pointee.avg_frame_rate
        stream.pointee.sample_aspect_ratio = source.pointee.sample_aspect_ratio
        return stream.pointee.index
    }
}
