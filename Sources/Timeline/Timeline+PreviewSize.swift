extension Timeline.Output {
    /// The size of this output shown `width` pixels wide: never wider than the output, even, at
    /// least 16, the height in proportion (even). Frame previews and playback segments use it.
    public func previewSize(width requested: Int) -> Timeline.Size {
        guard requested < width else { return Timeline.Size(width: width, height: height) }
        let previewWidth = max(16, requested / 2 * 2)
        let previewHeight = max(16, Int(saturating: (Double(height) * Double(previewWidth) / Double(width) / 2).rounded()) * 2)
        return Timeline.Size(width: previewWidth, height: previewHeight)
    }

    /// This output composed directly at the preview size (`previewSize(width:)`): the output
    /// becomes that size and `canvas` keeps the size the document is written for, so every layer
    /// is decoded, scaled and composed small (text sizes, padding, blur… scale by `canvasUnit`)
    /// instead of composed at full size and scaled down at the end.
    public func composedForPreview(width requested: Int) -> Timeline.Output {
        let size = previewSize(width: requested)
        guard size.width != width || size.height != height else { return self }
        var preview = self
        preview.canvas = canvas ?? Timeline.Size(width: width, height: height)
        preview.width = size.width
        preview.height = size.height
        return preview
    }
}
