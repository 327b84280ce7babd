/// How many open tickets a queue holds, counted up to a cap: a queue longer than that reads "1000+".
public struct QueueCount: Sendable, Equatable {
    public var count: Int
    /// Whether there are more than ``count``.
    public var more: Bool

    public init(count: Int, more: Bool) {
        self.count = count
        self.more = more
    }

    /// `12`, or `1000+` past the cap.
    public var text: String { more ? "\(count)+" : String(count) }
}
