import TimelineModel
/// Compiles a timeline into a `RenderPlan`: the inputs to decode, one libavfilter graph
/// description, and the encoder settings. Pure: no FFmpeg calls, deterministic output.
///
/// Graph conventions (the executor's contract):
/// - Each `RenderPlan.Input` feeds a `buffer`/`abuffer` source whose output is the label
///   `[<pad>]`, with SOURCE timestamps (stream start_time subtracted) at the native size, pixel
///   format, sample rate and layout. Frames before `seek` may arrive; the graph drops them.
///   Image inputs (`isImage`) send one frame at pts 0 and EOF; the graph repeats it (`loop`).
/// - Labels: clip `k` of track `t` is `t<t>c<k>_<id>` (id reduced to `[A-Za-z0-9_]`); its pads
///   are `<key>_vin`/`<key>_ain`, its processed streams `<key>_v`/`<key>_a`. The canvas after
///   each layer is `canvas<n>`; the silent audio bed is `silence`.
/// - Video: a `color` canvas of the background at the output size and rate, exactly
///   `totalFrames` long. Each visual clip is re-timed to the output grid (`setpts` to source
///   time minus trim, divided by `speed`, then `fps` with `start_time=0`, so the frame on screen
///   at the in-point is held from the clip's first frame), cut to its frame count
///   (`trim=end_frame`), given its effects (below), scaled to its fitted size, cropped to the
///   part inside the canvas, given alpha (`format=yuva420p`, `colorchannelmixer=aa` for a fixed
///   opacity, `fade … alpha=1` for fades), shifted by its start frame (`setpts=PTS+<frame>`,
///   time base 1/fps) and overlaid with `eof_action=pass`. Text without effects is drawn
///   straight onto the canvas with `drawtext`, enabled by frame number. Tracks are layered in
///   order, index 0 at the bottom. The chain ends `setsar=1,format=yuv420p,setparams=…bt709…[vout]`.
/// - Colour (`GraphBuilder+Colour.swift`): the canvas is bt709 limited-range YUV. Sources not
///   already so are converted first (`scale` with their matrix and range in, bt709 out); solid
///   colours are drawn once in RGB, converted and repeated; text colours are handed to drawtext
///   as the RGB whose bt601 YCbCr is their bt709 one, or drawn on an RGBA layer when none is.
///   JPEG outputs are converted to full-range bt601, PNG and GIF to RGB.
/// - Effects (`GraphBuilder+Effects.swift`) run in document order at source size, before the
///   fit: `gblur` (sigma = amount in canvas pixels), `hue=s=0`, a sepia `colorchannelmixer`,
///   `eq`, `perspective … eval=frame` for Ken Burns (corners linear in the input frame number,
///   size kept), `crop`, `hflip`/`vflip`, `transpose`/`hflip,vflip` for quarter turns and
///   `rotate … c=none` into the bounding box otherwise, `format=yuva420p,chromakey`. `crop` and
///   `rotate` change the size that is fitted. Colour clips with effects are generated at canvas
///   size and fitted like a source. Text and captions clips with effects
///   (`GraphBuilder+TextLayers.swift`) are drawn onto a transparent layer (a text clip's just
///   larger than its block, centred, drawn at its largest scale; a captions clip's the canvas),
///   which is their source picture: unfitted, placed where drawtext alone would put the text.
///   On such a layer `gblur`, `perspective` and a free `rotate` run between `premultiply` and
///   `unpremultiply`, and chromakey is multiplied into its alpha (`split`, `blend=c3_mode=multiply`).
/// - Keyframes (`GraphBuilder+Keyframes.swift`) are nested `if(lt(…))` expressions of clip
///   time (no `;` in them: only `sendcmd`'s quoted commands hold one). Opacity: `sendcmd` sets
///   `lutyuv@<key>_opacity`'s `a` to `val*<opacity>` on each frame where the value changes.
///   Scale/offset: the picture is not cropped; it is scaled last with `scale … eval=frame`
///   (before the start shift, so `t` is stream time) and placed by `overlay` x/y expressions of
///   timeline `t`. Volume: `asetnsamples` (10 ms) then `volume … eval=frame`. Text: drawtext
///   `alpha` and x/y expressions of timeline `t`.
/// - Speed: sound is cut by source time, then `atempo` (one per factor in 0.5...2, two chained
///   for 0.25...0.5 and 2...4) keeps its pitch, and `asetpts=N/SR/TB` renumbers its samples
///   before resampling.
/// - Multi-line text that is centred or right-aligned is one `drawtext` per line, lines 1.2 em
///   apart, each placed by its baseline (`y = … - ascent`) and inside the block by the block's
///   width (its widest line, measured with FreeType as drawtext measures); left-aligned text is
///   one `drawtext`. A text clip's drawtexts share one chain. Keyframed `scale` on text: drawtext's
///   `fontsize` and x/y are expressions of `t`; box padding and outline width change through
///   `sendcmd` (`reinit` of `drawtext@<key>_<line>`) on the frames where they change.
/// - Captions (`GraphBuilder+Text.swift`) are text clips per cue (same layout, font, box, fades),
///   aligned to the side they are anchored to, 5% in from the canvas edge, outlined unless boxed;
///   a cue starting while others show (at a top or bottom anchor) stacks beyond them.
///   Cue lines share a few `drawtext@<key>_<slot>` filters, as many as show at once; a `sendcmd`
///   before them gives a slot its next line (`reinit` text/x/y, then `enable`) as the last one ends.
/// - Transitions (`GraphBuilder+Transitions.swift`): clips joined by transitions form one group.
///   Each member borrows frames around the cut (half the transition before it, half after; where
///   the source has no such frames the edge frame is held), is padded to a transparent canvas-size
///   frame (`pad`; a keyframed picture is overlaid onto one; text and captions are drawn onto one,
///   cues in stream time, through the borrowed head and tail too), and the
///   members are chained with `xfade=transition=<type>:duration=…:offset=…`; the group is then
///   shifted (`[<first>_g]`) and overlaid at 0,0. Unless every member covers the canvas opaquely,
///   the chain is blended premultiplied (`premultiply` … `unpremultiply`). A window (range, still)
///   starts every member at the window (`trim=start_frame`, the input seeks there); offsets count
///   from the chain's first frame, so one is negative when the window starts inside its transition.
///   Their sounds are extended the same way and crossfaded with linear `afade` ramps over the
///   whole transition.
/// - Audio (when the output has audio): each sound is cut by source time (`atrim`), resampled to
///   the output rate and layout, scaled (`volume` = clip × track), faded (`afade`), padded/cut
///   to its exact sample count and delayed to its start (`adelay … S`). All sounds are mixed with
///   `amix=normalize=0:duration=first` over an `anullsrc` bed of exactly the plan's duration,
///   ending `aformat=sample_fmts=fltp:sample_rates=<rate>:channel_layouts=<stereo|mono>[aout]`.
/// - Timing: every clip starts and ends on the output frame grid (`FrameClock`); sound uses the
///   same grid converted to samples, so picture and sound of a clip stay together.
/// - Clips whose picture lies wholly outside the canvas, or with opacity 0, add no picture;
///   sounds at volume 0, muted tracks and `audio: false` add no sound input.
/// - The background colour's alpha (if `#RRGGBBAA`) is composited over black: the output has no alpha.
/// - A path may appear in several inputs (a clip's picture and its sound, or clips sharing a
///   source); each input is decoded on its own. A branch closes when its `trim` is done, so
///   `av_buffersrc_add_frame` answering EOF means that input is finished, not an error.
/// - Like ffmpeg itself, the executor must feed inputs on demand (the source the graph asks for,
///   e.g. by `av_buffersrc_get_nb_failed_requests`): an overlay or the mixer needs a late clip's
///   first frame before it can pass earlier canvas frames.
public enum RenderCompiler {
    /// Validates `timeline` against its sources (throws every issue), then builds its plan:
    /// `build(prepare(…))`. Blocking (it reads files and asks fontconfig): run it off the
    /// concurrency pool.
    /// - Parameters:
    ///   - merge: placeholder values of the render request; they override the document's `merge`.
    ///   - resolve: finds each source's local file and media info.
    ///   - scaledWidth: the picture is composed at the document's size, then scaled to this width
    ///     (height as `Timeline.Output.previewSize`). Editor previews compose at the preview size
    ///     instead (`Timeline.Output.composedForPreview`), which is cheaper; this is the reference
    ///     they are checked against.
    public static func compile(
        _ timeline: Timeline, merge: [String: String] = [:], scaledWidth: Int? = nil, resolve: SourceResolver
    ) throws(RenderError) -> RenderPlan {
        build(try prepare(timeline, merge: merge, resolve: resolve), scaledWidth: scaledWidth)
    }

    /// Everything the plan needs from outside: validation against the sources (throws every issue),
    /// placeholders filled, font files found through fontconfig, captions files read and parsed.
    public static func prepare(_ timeline: Timeline, merge: [String: String] = [:], resolve: SourceResolver) throws(RenderError) -> PreparedTimeline {
        let issues = timeline.validate(merge: merge, resolve: resolve)
        if !issues.isEmpty { throw .invalidTimeline(issues) }
        let merged = timeline.applyingMerge(merge)
        let sources = merged.resolveSources(resolve)
        // Captions files are read here, not in validation: only the renderer has their bytes locally.
        let captions = merged.loadCaptions(sources)
        if !captions.issues.isEmpty { throw .invalidTimeline(captions.issues) }
        return PreparedTimeline(timeline: merged, sources: sources, fonts: merged.fontFiles(resolve).files, captions: captions.captions)
    }

    /// The plan of a prepared timeline: inputs, one filter graph, output settings. A function of
    /// `prepared` alone (text widths are measured in its font files with FreeType, cached).
    public static func build(_ prepared: PreparedTimeline, scaledWidth: Int? = nil) -> RenderPlan {
        var builder = GraphBuilder(
            timeline: prepared.timeline, sources: prepared.sources, fonts: prepared.fonts, captions: prepared.captions, scaledWidth: scaledWidth)
        var plan = builder.build()
        if scaledWidth == nil { plan.prepared = prepared }
        return plan
    }

    /// The exact frame rate a document's `fps` means (29.97 → 30000/1001).
    public static func frameRate(for fps: Double) -> Rational {
        Rational(fps: fps)
    }
}
