import Foundation

extension OperatingReport {
    /// The seven controls of the checklist over `period`, each with its trend over the trailing periods.
    public func checklist(for period: ReportPeriod) -> [ChecklistControl] {
        let trailing = period.trailing(Self.trendLength)
        let tallies = trailing.map { counting.tally($0) }
        return ChecklistControl.ID.allCases.map { id in
            var control = measure(id, in: period, tally: tallies[tallies.count - 1])
            control.trend = zip(trailing, tallies)
                .map { earlier, tally in
                    let measured = earlier == period ? control : measure(id, in: earlier, tally: tally)
                    return ChecklistControl.Point(period: earlier.label, value: measured.value, status: measured.status)
                }
            return control
        }
    }

    /// One control over one period, without its trend.
    public func measure(_ id: ChecklistControl.ID, in period: ReportPeriod) -> ChecklistControl {
        measure(id, in: period, tally: counting.tally(period))
    }

    func measure(_ id: ChecklistControl.ID, in period: ReportPeriod, tally: ReportTally) -> ChecklistControl {
        func count(_ slice: ReportSlice) -> Int { self.count(slice, in: period, tally: tally) }
        func share(_ measured: ReportSlice, _ offending: ReportSlice, pending: Int = 0) -> ChecklistControl {
            let total = count(measured)
            let count = total - count(offending)
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
            let total = count(.resolved)
            let count = count(.resolvedAt(.l1))
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
            return share(.sev1, .sev1Late, pending: tally.tickets(ReportKey.sev1Waiting))
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
}
