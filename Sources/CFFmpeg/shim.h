#ifndef CUTROOM_CFFMPEG_SHIM_H
#define CUTROOM_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersrc.h>
#include <libavfilter/buffersink.h>
#include <libavutil/avutil.h>
#include <libavutil/opt.h>
#include <libavutil/imgutils.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/pixdesc.h>
#include <libavutil/samplefmt.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>

// AVERROR is a function-like macro; Swift cannot import it.
static inline int cutroom_averror(int e) { return AVERROR(e); }

// AVERROR_EOF is built with FFERRTAG, a macro Swift cannot evaluate.
static inline int cutroom_averror_eof(void) { return AVERROR_EOF; }

// EAGAIN as an FFmpeg error code, for send/receive loops.
static inline int cutroom_averror_eagain(void) { return AVERROR(EAGAIN); }

// AV_NOPTS_VALUE is a cast expression macro (INT64_C(0x8000000000000000)).
static inline int64_t cutroom_nopts_value(void) { return AV_NOPTS_VALUE; }

// AV_TIME_BASE_Q is a compound literal macro.
static inline AVRational cutroom_time_base_q(void) { return AV_TIME_BASE_Q; }

// av_err2str uses a compound literal array; wrap av_strerror into a caller buffer instead.
static inline void cutroom_err2str(int errnum, char *buf, size_t size) { av_strerror(errnum, buf, size); }

// AV_CHANNEL_LAYOUT_STEREO / MONO are compound literal macros.
static inline AVChannelLayout cutroom_layout_stereo(void) { AVChannelLayout l = AV_CHANNEL_LAYOUT_STEREO; return l; }
static inline AVChannelLayout cutroom_layout_mono(void) { AVChannelLayout l = AV_CHANNEL_LAYOUT_MONO; return l; }

// av_opt_set_int_list is a macro that measures the list with a terminator; expose the pixel-format case.
static inline int cutroom_buffersink_set_pix_fmt(AVFilterContext *ctx, enum AVPixelFormat fmt) {
    enum AVPixelFormat fmts[] = { fmt, AV_PIX_FMT_NONE };
    return av_opt_set_int_list(ctx, "pix_fmts", fmts, AV_PIX_FMT_NONE, AV_OPT_SEARCH_CHILDREN);
}

// AVERROR_EXIT (returned when the interrupt callback aborts I/O) is built with FFERRTAG.
static inline int cutroom_averror_exit(void) { return AVERROR_EXIT; }

// AVERROR_INVALIDDATA is built with FFERRTAG; corrupt packets return it and are skipped, not fatal.
static inline int cutroom_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }

#endif
