import Foundation

extension OperatingReport {
    /// The seven controls of the checklist over `period`, each with its trend over the trailing periods.
    public func checklist(for period: ReportPeriod) -> [ChecklistControl] {
        let trailing = period.trailing(Self.trendLength)
        return ChecklistControl.ID.allCases.map { id in
            var control = measure(id, in: period)
            control.trend = trailing.map { earlier in
                let measured = earlier == period ? control : measure(id, in: earlier)
                return ChecklistControl.Point(period: earlier.label, value: measured.value, status: measured.status)
            }
            return control
        }
    }

    /// One control over one period, without its trend.
    public func measure(_ id: ChecklistControl.ID, in period: ReportPeriod) -> ChecklistControl {
        func share(_ measured: ReportSlice, _ offending: ReportSlice, pending: Int = 0) -> ChecklistControl {
            let total = count(measured, in: period)
            let count = total - self.count(offending, in: period)
            let (value, status) = ChecklistControl.status(of: id, count: count, total: total, pending: pending > 0)
            return ChecklistControl(
                id: id,
                value: value,
                count: count,
                total: total,
                status: status,
                measured: measured,
                offending: offending,
                trend: []
            )
        }
        switch id {
        case .l1Resolution:
            let total = count(.resolved, in: period)
            let count = self.count(.resolvedAt(.l1), in: period)
            let (value, status) = ChecklistControl.status(of: id, count: count, total: total)
            return ChecklistControl(
                id: id,
                value: value,
                count: count,
                total: total,
                status: status,
                measured: .resolved,
                offending: nil,
                trend: []
            )
        case .escalationQuality:
            return share(.escalatedToL3, .escalatedToL3WithoutEvidence)
        case .sev1Response:
            return share(.sev1, .sev1Late, pending: sev1Waiting(in: period))
        case .vendorTickets:
            return share(.escalatedToVendor, .escalatedToVendorOutsideStandardProduct)
        case .privilegedAccess:
            return share(.corrected, .correctedWithoutPrivilege)
        case .knownErrors:
            return share(.confirmedFixes, .confirmedFixesWithoutNewArticle)
        case .onCallCoverage:
            let ratio = onCallCoverage[period.start]
            let status: ChecklistControl.Status =
                ratio.map { $0 + 1e-9 >= id.threshold ? .met : .missed } ?? .noData
            return ChecklistControl(
                id: id,
                value: ratio,
                count: 0,
                total: 0,
                status: status,
                measured: nil,
                offending: nil,
                trend: []
            )
        }
    }

    /// Sev1 tickets of the period still waiting for their response, inside their 15 minutes.
    func sev1Waiting(in period: ReportPeriod) -> Int {
        facts.reduce(0) { waiting, facts in
            guard let since = facts.sev1Since, period.contains(since), facts.sev1AnsweredAt == nil,
                now.timeIntervalSince(since) <= Self.sev1ResponseLimit
            else { return waiting }
            return waiting + 1
        }
    }
}
