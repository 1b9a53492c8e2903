import Foundation
import Hummingbird
import Store

/// Per-request state: the request id echoed in every envelope's `meta`.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let requestId: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestId = Identifier.make()
    }

    /// JSON bodies (timelines are the largest) are read into memory up to this size; uploads stream instead.
    var maxUploadSize: Int { 16 * 1024 * 1024 }
}
