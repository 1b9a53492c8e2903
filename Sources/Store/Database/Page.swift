/// One page of a list, with what a client needs to ask for the others.
public struct Page<T: Sendable>: Sendable {
    /// The rows on this page.
    public var items: [T]
    /// 1-based page number.
    public var page: Int
    /// Rows per page.
    public var limit: Int
    /// Rows across all pages.
    public var total: Int
    /// Number of pages (0 when there are no rows).
    public var totalPages: Int

    public init(items: [T], page: Int, limit: Int, total: Int) {
        self.items = items
        self.page = page
        self.limit = limit
        self.total = total
        self.totalPages = limit > 0 ? (total + limit - 1) / limit : 0
    }

    /// The same page with every item transformed, e.g. records into response bodies.
    public func map<U: Sendable>(_ transform: (T) throws -> U) rethrows -> Page<U> {
        Page<U>(items: try items.map(transform), page: page, limit: limit, total: total)
    }

    /// Largest page size the store hands out.
    public static var maximumLimit: Int { 500 }

    /// Clamps a requested page number and size to 1... and 1...`maximumLimit`.
    static func clamp(page: Int, limit: Int) -> (page: Int, limit: Int, offset: Int) {
        let page = max(1, page)
        let limit = min(max(1, limit), maximumLimit)
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        return (page, limit, overflow ? Int.max : offset)
    }
}

extension Page: Equatable where T: Equatable {}
extension Page: Hashable where T: Hashable {}
