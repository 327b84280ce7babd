/// Serialises write transactions. SQLite allows one writer at a time; taking turns in the process
/// avoids lock-upgrade failures between pooled connections. PostgreSQL writers run concurrently.
actor WriteGate {
    private let serialises: Bool
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(serialises: Bool) {
        self.serialises = serialises
    }

    /// Writers waiting for their turn.
    var waiting: Int { waiters.count }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard serialises else { return try await body() }
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
