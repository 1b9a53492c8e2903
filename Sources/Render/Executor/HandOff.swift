import Compiler
import TimelineModel
import Foundation

/// A short first-in first-out queue between two threads of one render: `put` waits while it is
/// full (the back-pressure that bounds memory), `take` while it is empty; `close` ends both.
// @unchecked Sendable: every stored property is read and written only while `condition` is locked.
final class HandOff<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var closed = false

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Appends `item`, waiting for room; false (the item not taken) once the queue is closed.
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// Refuses further items; `take` still returns what is queued, then nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Closes the queue and returns what it still held (to be freed by the caller).
    func closeAndEmpty() -> [Element] {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        let rest = items
        items = []
        condition.broadcast()
        return rest
    }
}
