/// How a ticket was resolved. Managers count these: how much L1 solves, how much is a confirmed defect.
public enum Resolution: String, StringEnum, Sendable {
    /// Solved (a documented fix, a change of data or configuration, an answer).
    case solved
    /// A workaround that keeps the business running; the cause remains.
    case workaround
    /// A Known Error Database article resolved it.
    case knownError = "known_error"
    /// A confirmed defect, fixed: needs a linked Known Error Database article (one per confirmed fix).
    case confirmedDefectFixed = "confirmed_defect_fixed"
    /// Nothing was wrong, or it was a duplicate.
    case noFault = "no_fault"
}
