import Foundation

/// What one due step of a page does: whom it notifies, the steps it skipped because nobody held the
/// role, and where the chain goes next. Pure: the caller stores the outcome and queues the messages in
/// one transaction.
public struct PageDispatch: Sendable, Equatable {
    /// The step that notifies, or nil if the chain ran out without finding anyone.
    public var step: Int?
    public var recipients: [UUID]
    /// Steps passed over because nobody who can be paged was on call for them.
    public var skipped: [Int]
    public var nextStep: Int
    public var nextStepAt: Date?

    /// The due step of a triggered page at `now`, or nil if nothing is due. A step whose schedule has
    /// nobody, or whose people cannot be paged (`reachable` says no: they left or no longer exist), moves
    /// on at once rather than waiting for an acknowledgement nobody can give.
    public static func due(
        _ page: OnCallPage,
        policy: EscalationPolicy,
        schedules: [UUID: OnCallSchedule],
        at now: Date,
        reachable: (UUID) -> Bool = { _ in true }
    ) -> PageDispatch? {
        guard page.status == .triggered, let due = page.nextStepAt, due <= now else { return nil }
        var index = page.nextStep
        var skipped: [Int] = []
        while let step = policy.step(index) {
            let recipients = recipients(of: step.target, schedules: schedules, at: now).filter(reachable)
            if recipients.isEmpty {
                skipped.append(index)
                index += 1
                continue
            }
            let next = index + 1
            return PageDispatch(
                step: index,
                recipients: recipients,
                skipped: skipped,
                nextStep: next,
                nextStepAt: policy.step(next) == nil ? nil : now.addingTimeInterval(TimeInterval(step.waitMinutes * 60))
            )
        }
        return PageDispatch(step: nil, recipients: [], skipped: skipped, nextStep: index, nextStepAt: nil)
    }

    /// Who a step's target names at `now`: the person, or the role's holder in the schedule.
    public static func recipients(of target: EscalationPolicy.Target, schedules: [UUID: OnCallSchedule], at now: Date)
        -> [UUID]
    {
        switch target {
        case .person(let id): [id]
        case .schedule(let id, let role): schedules[id]?.onCall(role, at: now).map { [$0] } ?? []
        }
    }
}
