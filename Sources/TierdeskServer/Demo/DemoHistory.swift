import Foundation
import TierdeskCore

/// Three months of finished work before the demo's open tickets, so the reports have a history: most
/// requests solved at L1 (some from the Known Error Database, one in twenty reopened), the rest escalated
/// with evidence to L2 and L3, Sev1 incidents answered within minutes (now and then too late), data
/// corrections by L2, a vendor defect and confirmed fixes with their articles. Laid out from the moment it
/// is loaded, written through the desks at the instants they happen.
enum DemoHistory {
    /// How many finished tickets the history holds.
    static let tickets = 150
    /// How far back the history starts, in days.
    static let days = 100.0

    /// What happens to one ticket of the history.
    enum Course: CaseIterable {
        case solvedAtL1, solvedFromKnownError, reopened, solvedAtL2, pausedAtL2, correctedAtL2, fixedAtL3, sev1,
            handedBackToL1, swarmWithoutGates, escalatedDespiteArticle, vendorDefect
    }

    /// The course of the `index`th ticket: twenty in a row make up the mix, with a vendor defect now and then.
    static func course(_ index: Int) -> Course {
        if index % 40 == 35 { return .vendorDefect }
        switch index % 20 {
        case 0...8: return .solvedAtL1
        case 9, 10: return .solvedFromKnownError
        case 11: return .reopened
        case 12: return .solvedAtL2
        case 13: return .pausedAtL2
        case 14: return .correctedAtL2
        case 15: return .fixedAtL3
        case 16: return .sev1
        case 17: return .handedBackToL1
        case 18: return .swarmWithoutGates
        default: return .escalatedDespiteArticle
        }
    }

    struct Topic {
        var title: String
        var service: String
        var requester: String
    }

    static let topics = [
        Topic(title: "Label printer on line 4 skips labels", service: "Shop-floor scanners", requester: "jonas"),
        Topic(title: "MES order list does not refresh", service: "MES", requester: "petra"),
        Topic(title: "Goods receipt posting stuck in the interface", service: "ERP interface", requester: "jonas"),
        Topic(title: "Customer cannot download invoices", service: "Customer portal", requester: "sam"),
        Topic(title: "Operator cannot log in at station 7", service: "MES", requester: "petra"),
        Topic(title: "Discount code rejected at checkout", service: "Customer portal", requester: "lee"),
        Topic(title: "Scanner drops the Wi-Fi at dock 2", service: "Shop-floor scanners", requester: "jonas"),
        Topic(title: "Batch numbers missing on the shift report", service: "MES", requester: "petra"),
    ]

    static let channels: [Channel] = [.portal, .email, .phone, .portal, .email, .api]
    /// Local hours at which requests arrive (Europe/Berlin); Sev1 incidents come at night.
    static let hours = [9, 10, 11, 14, 15, 8, 13, 16, 10, 11, 9, 14]

    /// Plays the history into `components`, whose clock is the moment the demo is loaded.
    static func play(
        people: [String: Person],
        services: [String: Service],
        vendor: UUID,
        components: AppComponents
    ) async throws {
        let now = components.clock.now()
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let firstDay = LocalDate(
            String(LocalDateTime.text(now.addingTimeInterval(-days * 86_400), in: berlin).prefix(10))
        )!
        for index in 0..<tickets {
            let course = course(index)
            var day = firstDay.adding(days: Int(Double(index) * (days - 3) / Double(tickets)))
            if course != .sev1 {
                // Requests come on working days.
                while day.weekday == Weekday.sat || day.weekday == Weekday.sun { day = day.adding(days: 1) }
            }
            let hour = course == .sev1 ? 2 + index % 3 : hours[index % hours.count]
            let opened = LocalDateTime.instant(
                "\(day)T" + String(format: "%02d:%02d", hour, (index * 7) % 50),
                in: berlin
            )!
            try await Playback(
                index: index,
                course: course,
                opened: opened,
                people: people,
                services: services,
                vendor: vendor,
                components: components
            )
            .run()
        }
    }

    /// One ticket's course, written step by step at its own instants.
    struct Playback {
        var index: Int
        var course: Course
        var opened: Date
        var people: [String: Person]
        var services: [String: Service]
        var vendor: UUID
        var components: AppComponents

        /// The desk as it is `minutes` after the ticket was opened.
        func desk(_ minutes: Double) -> TicketDesk {
            components.with(clock: FixedClock(opened.addingTimeInterval(minutes * 60))).ticketDesk
        }

        func actor(_ key: String) -> Actor { people[key]!.actor }

        func version(_ reference: String, at minutes: Double) async throws -> Int {
            try await desk(minutes).ticket(reference, for: actor("admin")).0.version
        }

        /// Moves the ticket to `status` unless it is there already (a requester's reply reopens a resolved
        /// ticket and takes a waiting one back into progress by itself).
        func status(
            _ reference: String,
            _ status: TicketStatus,
            at minutes: Double,
            by key: String,
            comment: String? = nil,
            resolution: Resolution? = nil
        ) async throws {
            let (ticket, _) = try await desk(minutes).ticket(reference, for: actor("admin"))
            guard ticket.status != status else { return }
            _ = try await desk(minutes)
                .changeStatus(
                    reference,
                    to: status,
                    comment: comment,
                    resolution: resolution,
                    expectedVersion: ticket.version,
                    by: actor(key)
                )
        }

        func reply(_ reference: String, _ body: String, at minutes: Double, by key: String) async throws {
            _ = try await desk(minutes).addMessage(reference, body: body, isInternal: false, by: actor(key))
        }

        func escalate(
            _ reference: String,
            to tier: Tier,
            at minutes: Double,
            by key: String,
            evidence: Bool = true,
            owner: String? = nil
        ) async throws {
            var request = EscalationRequest(
                ownerID: owner.map { people[$0]!.id },
                reason: "Needs \(tier.rawValue): beyond what the current tier can fix."
            )
            if evidence {
                DemoData.addEvidence(to: &request, for: tier, vendor: vendor, vendorReference: "NE-9\(1000 + index)")
            }
            _ = try await desk(minutes)
                .escalate(
                    reference,
                    request: request,
                    expectedVersion: try await version(reference, at: minutes),
                    by: actor(key)
                )
        }

        func run() async throws {
            let topic =
                course == .swarmWithoutGates
                ? topics[0] : course == .vendorDefect ? topics[2] : topics[index % topics.count]
            let l1 = index % 2 == 0 ? "anna" : "luis"
            var draft = TicketDraft(
                title: topic.title,
                description:
                    "Reported by the \(topic.requester == "sam" || topic.requester == "lee" ? "customer" : "plant"): \(topic.title.lowercased()).",
                channel: course == .sev1 ? (index % 2 == 0 ? .phone : .monitoring) : channels[index % channels.count],
                impact: course == .sev1 ? .high : .medium,
                urgency: course == .sev1 ? .high : index % 3 == 0 ? .high : .low,
                serviceID: services[topic.service]?.id
            )
            draft.requesterID = people[topic.requester]!.id
            if course == .sev1 { draft.severity = .sev1 }
            let reference = try await desk(0).open(draft, by: people["anna"]!).reference
            try await status(reference, .acknowledged, at: 4, by: l1)
            try await status(reference, .inProgress, at: 8, by: l1)
            switch course {
            case .solvedAtL1:
                try await reply(
                    reference,
                    "Found it: the setting was reset. Please try again.",
                    at: 20 + Double(index % 5) * 15,
                    by: l1
                )
                try await status(reference, .resolved, at: 95, by: l1, comment: "Solved.", resolution: .solved)
            case .solvedFromKnownError:
                let article = topic.service == "MES" ? "KE-2" : "KE-1"
                _ = try await desk(25)
                    .applyKnownError(
                        article,
                        to: reference,
                        resolve: true,
                        expectedVersion: try await version(reference, at: 25),
                        by: actor(l1)
                    )
            case .reopened:
                try await reply(reference, "Cleared the cache; it should work now.", at: 30, by: l1)
                try await status(reference, .resolved, at: 40, by: l1, comment: "Solved.", resolution: .solved)
                try await reply(reference, "It is back again this morning.", at: 18 * 60, by: topic.requester)
                try await status(reference, .inProgress, at: 18 * 60 + 20, by: l1)
                try await reply(reference, "The nightly job reset it; we turned that off.", at: 18 * 60 + 60, by: l1)
                try await status(
                    reference,
                    .resolved,
                    at: 18 * 60 + 70,
                    by: l1,
                    comment: "Solved for good.",
                    resolution: .solved
                )
            case .solvedAtL2, .pausedAtL2, .correctedAtL2:
                try await reply(reference, "We are looking into it.", at: 15, by: l1)
                try await escalate(reference, to: .l2, at: 40, by: l1, owner: "ben")
                if course == .pausedAtL2 {
                    try await status(
                        reference,
                        .pendingCustomer,
                        at: 90,
                        by: "ben",
                        comment: "Which orders are affected?"
                    )
                    try await reply(reference, "Orders 4711 to 4720.", at: 300, by: topic.requester)
                    try await status(reference, .inProgress, at: 310, by: "ben")
                }
                if course == .correctedAtL2 {
                    _ = try await desk(200)
                        .recordCorrection(
                            reference,
                            target: "stock of part \(4700 + index)",
                            change: "12 → 40",
                            reason: "Count after the cycle count; the interface dropped a goods receipt.",
                            by: actor("ben")
                        )
                }
                try await status(
                    reference,
                    .resolved,
                    at: 420,
                    by: "ben",
                    comment: "Data corrected and checked.",
                    resolution: .solved
                )
            case .fixedAtL3:
                try await reply(reference, "We are looking into it.", at: 15, by: l1)
                try await escalate(reference, to: .l2, at: 40, by: l1, owner: "ben")
                try await escalate(reference, to: .l3, at: 180, by: "ben", owner: "chen")
                if index % 60 == 15 {
                    // A confirmed defect: the fix ships with a new article for L1.
                    let article = try await components.with(clock: FixedClock(opened.addingTimeInterval(26 * 3600)))
                        .knownErrorDesk
                        .create(
                            KnownErrorDraft(
                                title: "\(topic.title): stale cursor after the night job",
                                symptom: topic.title,
                                rootCause: "The night job left a stale cursor; fixed in release 4.\(index / 15).",
                                workaround: "Reload the order list with F5 until the release is installed.",
                                fixStatus: .fixed,
                                serviceIDs: [services[topic.service]!.id],
                                lowestTier: .l1
                            ),
                            problemTicket: nil,
                            by: actor("chen")
                        )
                    _ = try await desk(26 * 60 + 5)
                        .applyKnownError(
                            article.reference,
                            to: reference,
                            resolve: false,
                            expectedVersion: try await version(reference, at: 26 * 60 + 5),
                            by: actor("chen")
                        )
                    try await status(
                        reference,
                        .resolved,
                        at: 26 * 60 + 10,
                        by: "chen",
                        comment: "Fixed in the release.",
                        resolution: .confirmedDefectFixed
                    )
                } else {
                    try await status(
                        reference,
                        .resolved,
                        at: 26 * 60,
                        by: "chen",
                        comment: "Configuration fixed.",
                        resolution: .solved
                    )
                }
            case .sev1:
                // Answered within minutes; one in four nights the answer comes after 25 minutes.
                let answer: Double = index % 80 == 16 ? 25 : Double(5 + index % 8)
                try await reply(reference, "We are on it; next update within the hour.", at: answer, by: "ben")
                try await escalate(reference, to: .l2, at: answer + 2, by: l1, owner: "ben")
                try await reply(reference, "Interface restarted; production orders flow again.", at: 70, by: "ben")
                try await status(
                    reference,
                    .resolved,
                    at: 110,
                    by: "ben",
                    comment: "Restored.",
                    resolution: .workaround
                )
            case .handedBackToL1:
                try await escalate(reference, to: .l2, at: 30, by: l1, owner: "ben")
                _ = try await desk(90)
                    .deescalate(
                        reference,
                        to: .l1,
                        note: "A user setting, not a defect: L1 can guide the user.",
                        expectedVersion: try await version(reference, at: 90),
                        by: actor("ben")
                    )
                try await reply(reference, "Please switch the view back to 'All lines'.", at: 120, by: l1)
                try await status(reference, .resolved, at: 130, by: l1, comment: "Explained.", resolution: .solved)
            case .swarmWithoutGates:
                // Swarm services have no gates: the scanner swarm hands over without steps or logs.
                try await escalate(reference, to: .l2, at: 20, by: l1, evidence: false, owner: "ben")
                try await escalate(reference, to: .l3, at: 60, by: "ben", evidence: false, owner: "chen")
                try await status(
                    reference,
                    .resolved,
                    at: 240,
                    by: "chen",
                    comment: "Firmware rolled back.",
                    resolution: .solved
                )
            case .escalatedDespiteArticle:
                _ = try await desk(12)
                    .applyKnownError(
                        "KE-1",
                        to: reference,
                        resolve: false,
                        expectedVersion: try await version(reference, at: 12),
                        by: actor(l1)
                    )
                try await escalate(reference, to: .l2, at: 30, by: l1, owner: "ben")
                try await status(
                    reference,
                    .resolved,
                    at: 60,
                    by: "ben",
                    comment: "Battery swapped as KE-1 says.",
                    resolution: .knownError
                )
            case .vendorDefect:
                try await escalate(reference, to: .l2, at: 20, by: l1, owner: "ben")
                try await escalate(reference, to: .l3, at: 120, by: "ben", owner: "chen")
                try await escalate(reference, to: .l4, at: 24 * 60, by: "chen")
                _ = try await desk(5 * 24 * 60)
                    .deescalate(
                        reference,
                        to: .l3,
                        note: "NordERP shipped the patch.",
                        expectedVersion: try await version(reference, at: 5 * 24 * 60),
                        by: actor("chen")
                    )
                try await status(
                    reference,
                    .resolved,
                    at: 5 * 24 * 60 + 60,
                    by: "chen",
                    comment: "Patch installed.",
                    resolution: .solved
                )
            }
        }
    }
}
