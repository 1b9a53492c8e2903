import HummingbirdCore
import NIOHTTPTypes
import NIOCore
import Synchronization

/// What a connection must do to keep its place: send a request's head within `headerTimeout` of
/// connecting (or of its last response), send its body at least `minimumBodyRate` bytes per second
/// while the server waits for it, and share the server with at most `maxPerAddress - 1` other
/// connections from its address. Idle keep-alive connections are Hummingbird's `idleTimeout`.
struct ConnectionLimits: Sendable {
    var headerTimeout: TimeAmount = .seconds(15)
    var minimumBodyRate = 1024
    var rateWindow: TimeAmount = .seconds(10)
    var maxPerAddress = 64
}

/// Live connections per remote address, shared by every connection's guard.
final class ConnectionCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts one more connection from `address`; false (and not counted) beyond `limit`.
    func open(_ address: String, limit: Int) -> Bool {
        counts.withLock { counts in
            let count = counts[address, default: 0]
            guard count < limit else { return false }
            counts[address] = count + 1
            return true
        }
    }

    func close(_ address: String) {
        counts.withLock { counts in
            let count = counts[address, default: 1] - 1
            counts[address] = count > 0 ? count : nil
        }
    }
}

/// Enforces `ConnectionLimits` on one connection (slow-loris heads, trickled bodies, floods from
/// one address) by closing it; sits right after HTTP decoding.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private var address: String?
    private var headerDeadline: Scheduled<Void>?
    private var rateCheck: RepeatedTask?
    private var inBody = false
    /// Body bytes received in the current window, and whether the server asked for more and
    /// waited all through it (backpressure from a slow store must not count against the client).
    private var windowBytes = 0
    private var readPending = false
    private var waitedWholeWindow = false
    /// Completed when the client closes its side of the connection, or the connection ends.
    private var left: EventLoopPromise<Void>?

    init(limits: ConnectionLimits, counter: ConnectionCounter) {
        self.limits = limits
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        left = context.eventLoop.makePromise()
        if let ip = context.channel.remoteAddress?.ipAddress {
            guard counter.open(ip, limit: limits.maxPerAddress) else {
                context.close(promise: nil)
                return
            }
            address = ip
        }
        armHeaderDeadline(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        rateCheck?.cancel()
        if let address { counter.close(address) }
        address = nil
        left?.succeed()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Hummingbird allows half-closure: a client's close arrives as this event, not as the end of the channel.
        if let event = event as? ChannelEvent, event == .inputClosed { left?.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        left?.succeed()
        context.fireChannelInactive()
    }

    /// Completes when the client of `channel` closes its side of the connection (or it ends); nil
    /// for a channel without a guard (the router-only test framework).
    static func clientLeft(_ channel: any Channel) async -> EventLoopFuture<Void>? {
        try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: ConnectionGuard.self).left?.futureResult
        }.get()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        readPending = false
        switch unwrapInboundIn(data) {
        case .head:
            headerDeadline?.cancel()
            inBody = true
            windowBytes = 0
            waitedWholeWindow = false
            startRateCheck(context)
        case .body(let buffer):
            windowBytes += buffer.readableBytes
        case .end:
            inBody = false
            rateCheck?.cancel()
            rateCheck = nil
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        readPending = true
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), !inBody {
            // The next request on this connection gets its own head deadline.
            armHeaderDeadline(context)
        }
        context.write(data, promise: promise)
    }

    private func armHeaderDeadline(_ context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        headerDeadline = context.eventLoop.scheduleTask(in: limits.headerTimeout) { [weak context] in
            context?.close(promise: nil)
        }
    }

    private func startRateCheck(_ context: ChannelHandlerContext) {
        rateCheck?.cancel()
        let window = limits.rateWindow
        let minimum = Int(Int64(limits.minimumBodyRate) * window.nanoseconds / 1_000_000_000)
        waitedWholeWindow = readPending
        rateCheck = context.eventLoop.scheduleRepeatedTask(initialDelay: window, delay: window) { [weak self, weak context] _ in
            guard let self, let context else { return }
            if self.inBody, self.waitedWholeWindow, self.readPending, self.windowBytes < minimum {
                context.close(promise: nil)
                return
            }
            self.windowBytes = 0
            self.waitedWholeWindow = self.readPending
        }
    }
}
