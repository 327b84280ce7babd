import Foundation
import TierdeskCore

/// A realistic demo: a car-parts manufacturer with an MES and an ERP interface, a SaaS customer,
/// agents on every tier, a vendor, and a few dozen tickets in every state, written through the same
/// rules as real work so their histories are genuine.
public enum DemoData {
    /// The password of every demo account.
    public static let password = "tierdesk-demo"

    /// The demo accounts, for the start-up banner and the README.
    public static let accounts: [(email: String, role: String)] = [
        ("anna.l1@tierdesk.example", "L1 agent (service desk)"),
        ("ben.l2@tierdesk.example", "L2 agent (application support)"),
        ("chen.l3@tierdesk.example", "L3 agent (engineering)"),
        ("maria.manager@tierdesk.example", "support manager"),
        ("admin@tierdesk.example", "admin"),
        ("vera@norderp.example", "vendor contact, NordERP Systems (L4)"),
        ("jonas.weber@kessler-automotive.example", "requester, Kessler Automotive (sees the organisation's tickets)"),
        ("petra.lang@kessler-automotive.example", "requester, Kessler Automotive"),
        ("sam.ortiz@brightcart.example", "requester, BrightCart (sees own tickets)"),
    ]

    private struct Script {
        var title: String
        var description: String
        var requester: String
        var service: String
        var impact: Level
        var urgency: Level
        var type: TicketType = .incident
        var channel: Channel = .portal
        var tier: Tier = .l1
        var owner: String?
        var group: String?
        var status: TicketStatus
        var reply: String?
        var vendor: Bool = false
    }

    /// Loads the demo into an empty database. Returns false, changing nothing, when people exist already.
    @discardableResult
    public static func loadIfEmpty(_ components: AppComponents) async throws -> Bool {
        guard try await components.directory.people().isEmpty else { return false }
        let now = components.clock.now()
        let start = now.addingTimeInterval(-14 * 86400)
        // The desk is set up before its history begins.
        let past = components.with(clock: FixedClock(now.addingTimeInterval(-(DemoHistory.days + 10) * 86_400)))
        let directory = past.directoryDesk
        // The loader sets the desk up as an administrator would, through the same desks.
        let setUp = Actor(personID: UUID(), roles: [.admin])

        let kessler = try await directory.createOrganisation(name: "Kessler Automotive", sharesTickets: true, by: setUp)
        let brightcart = try await directory.createOrganisation(name: "BrightCart", sharesTickets: false, by: setUp)
        let vendor = try await directory.createVendor(name: "NordERP Systems", by: setUp)
        var services: [String: Service] = [:]
        for (name, model) in [
            ("MES", SupportModel.tiered), ("ERP interface", .tiered), ("Customer portal", .tiered),
            ("Shop-floor scanners", .swarm), ("Data platform", .internal),
        ] {
            services[name] = try await directory.createService(name: name, supportModel: model, by: setUp)
        }

        var people: [String: Person] = [:]
        func add(
            _ key: String,
            _ email: String,
            _ name: String,
            _ roles: Set<Role>,
            tier: Tier? = nil,
            organisation: UUID? = nil,
            vendor: UUID? = nil
        ) async throws {
            people[key] = try await directory.createPerson(
                email: email,
                name: name,
                roles: roles,
                tier: tier,
                organisationID: organisation,
                vendorID: vendor,
                password: password
            )
        }
        try await add("anna", "anna.l1@tierdesk.example", "Anna Berg", [.agent], tier: .l1)
        try await add("luis", "luis.l1@tierdesk.example", "Luis Romero", [.agent], tier: .l1)
        try await add("ben", "ben.l2@tierdesk.example", "Ben Okafor", [.agent], tier: .l2)
        try await add("chen", "chen.l3@tierdesk.example", "Chen Wei", [.agent], tier: .l3)
        try await add("maria", "maria.manager@tierdesk.example", "Maria Santos", [.manager])
        try await add("admin", "admin@tierdesk.example", "Alex Admin", [.admin])
        try await add("vera", "vera@norderp.example", "Vera Lindqvist", [.vendor], vendor: vendor.id)
        try await add(
            "jonas",
            "jonas.weber@kessler-automotive.example",
            "Jonas Weber",
            [.requester],
            organisation: kessler.id
        )
        try await add(
            "petra",
            "petra.lang@kessler-automotive.example",
            "Petra Lang",
            [.requester],
            organisation: kessler.id
        )
        try await add("sam", "sam.ortiz@brightcart.example", "Sam Ortiz", [.requester], organisation: brightcart.id)
        try await add("lee", "lee.chan@brightcart.example", "Lee Chan", [.requester], organisation: brightcart.id)
        for (group, tier, lead) in [
            ("Service desk", Tier.l1, "anna"), ("MES engineering", .l3, "chen"), ("ERP integration", .l3, "chen"),
        ] {
            _ = try await directory.saveGroup(named: group, tier: tier, leadID: people[lead]!.id, by: setUp)
        }
        // Monitoring alerts open tickets as the L1 desk in its queue (tokens: `tierdesk integration add`).
        try await past.alertIntakeDesk.save(
            AlertIntakeSettings(reporterId: people["anna"]!.id, group: "Service desk"),
            by: setUp
        )
        // Documented fixes L1 applies, and a defect whose fix is with the vendor.
        for (draft, author) in [
            (
                KnownErrorDraft(
                    title: "Scanner unresponsive at goods receipt",
                    symptom: "Handheld scanners freeze or stop reading barcodes, often after a battery change.",
                    rootCause: "A battery below 10 % drops the Wi-Fi profile and the scanner app hangs.",
                    workaround:
                        "Replace the battery with a charged one, restart the scanner, then re-join the GR-WLAN Wi-Fi profile.",
                    serviceIDs: [services["Shop-floor scanners"]!.id],
                    isPublic: true
                ), "anna"
            ),
            (
                KnownErrorDraft(
                    title: "Cannot log in to the MES terminal: unknown user",
                    symptom: "Badge or password login at an MES terminal fails with 'unknown user'.",
                    rootCause: "The account is missing from the MES-Operators directory group after an HR change.",
                    workaround:
                        "Reset the password if it expired, add the user to the MES-Operators directory group, and ask them to log in again.",
                    serviceIDs: [services["MES"]!.id]
                ), "anna"
            ),
            (
                KnownErrorDraft(
                    title: "ERP posting of goods movements fails with M7 021",
                    symptom:
                        "Goods movements from MES are rejected with error M7 021 since the ERP support package update.",
                    rootCause: "Defect in the standard ERP product (NordERP case NE-88231).",
                    workaround: "Post the goods movements manually in the ERP until the vendor patch is installed.",
                    fixStatus: .fixInProgress,
                    serviceIDs: [services["ERP interface"]!.id],
                    lowestTier: .l2
                ), "chen"
            ),
            (
                KnownErrorDraft(
                    title: "Label printer prints blank labels",
                    symptom: "Labels come out empty after a ribbon change.",
                    rootCause: "The ribbon sensor is not calibrated after the change.",
                    workaround: "Run 'Calibrate media' from the printer menu, then print a test label.",
                    serviceIDs: [services["Shop-floor scanners"]!.id],
                    isPublic: true
                ), "anna"
            ),
        ] {
            _ = try await past.knownErrorDesk.create(draft, problemTicket: nil, by: people[author]!.actor)
        }
        // Kessler's plant works two shifts six days a week; its tickets count in that calendar.
        let shifts = CalendarSpec(
            timeZone: "Europe/Berlin",
            weekly: Dictionary(
                uniqueKeysWithValues: ["mon", "tue", "wed", "thu", "fri", "sat"]
                    .map { ($0, [CalendarSpec.Window(start: "06:00", end: "22:00")]) }
            ),
            holidays: ["01-01", "05-01", "10-03", "12-25", "12-26"]
        )
        var plant = SLAPolicy.standard
        plant.name = "kessler-plant"
        plant.scope = .organisation(kessler.id)
        plant.targets = plant.targets.mapValues {
            $0.mapValues {
                $0.calendar == SLAPolicy.officeCalendarName
                    ? SLATarget(minutes: $0.minutes, calendar: "plant-shifts") : $0
            }
        }
        _ = try await past.slaSettingsDesk.update { [plant] configuration in
            try configuration.setting(calendar: try shifts.calendar(), named: "plant-shifts").setting(policy: plant)
        }

        // The history's and the scripts' Sev1 tickets are the past; the one major incident of the story is
        // declared by hand below.
        let incidentPolicy = try await components.incidentDesk.policy()
        var scripted = incidentPolicy
        scripted.declareOnSev1 = false
        _ = try await components.incidentDesk.save(scripted, by: setUp)
        try await DemoBilling.setUp(
            organisations: (kessler.id, brightcart.id),
            accountManager: people["maria"]!.id,
            today: now,
            components: past,
            by: setUp
        )
        try await DemoHistory.play(people: people, services: services, vendor: vendor.id, components: components)

        let scripts: [Script] = [
            Script(
                title: "Line 3 stopped: MES receives no production orders",
                description:
                    "Line utilisation is 0 % since 06:10. The MES order queue on line 3 is empty although ERP shows released orders.",
                requester: "jonas",
                service: "MES",
                impact: .high,
                urgency: .high,
                channel: .phone,
                tier: .l2,
                owner: "ben",
                status: .inProgress,
                reply: "We are checking the ERP-MES interface logs now and will update you every hour."
            ),
            Script(
                title: "Cannot log in to MES terminal at station 12",
                description: "Operator badge login fails with 'unknown user' since this morning.",
                requester: "petra",
                service: "MES",
                impact: .low,
                urgency: .high,
                owner: "anna",
                status: .resolved,
                reply:
                    "Your account was missing from the MES-Operators directory group; it is added again. Please try once more."
            ),
            Script(
                title: "Scanner unresponsive at goods receipt",
                description: "Handheld scanner GR-04 shows a frozen screen and does not read labels.",
                requester: "jonas",
                service: "Shop-floor scanners",
                impact: .medium,
                urgency: .medium,
                owner: "luis",
                status: .closed,
                reply: "Battery replaced and Wi-Fi profile re-applied; the scanner works again."
            ),
            Script(
                title: "Order 4711 not visible on line 2",
                description:
                    "Order 4711 was released in ERP yesterday but does not appear on the line 2 dispatch list.",
                requester: "petra",
                service: "ERP interface",
                impact: .medium,
                urgency: .high,
                tier: .l2,
                owner: "ben",
                status: .pendingCustomer,
                reply:
                    "The interface log shows the order was rejected for a missing routing. Can you confirm which routing version planning released?"
            ),
            Script(
                title: "ERP posting of goods movements fails with error M7 021",
                description:
                    "Since the ERP support package update, goods movements from MES fail with M7 021. Reproduced in QA.",
                requester: "jonas",
                service: "ERP interface",
                impact: .high,
                urgency: .medium,
                tier: .l4,
                owner: "chen",
                group: "ERP integration",
                status: .onHold,
                reply:
                    "This is a defect in the standard ERP product; NordERP has it as case NE-88231. We will update you as soon as the vendor answers.",
                vendor: true
            ),
            Script(
                title: "MES screens slow during shift change",
                description: "Opening the work order screen takes 20-30 s between 13:45 and 14:15.",
                requester: "petra",
                service: "MES",
                impact: .medium,
                urgency: .medium,
                tier: .l3,
                owner: "chen",
                group: "MES engineering",
                status: .inProgress,
                reply: "We reproduced the slowdown in staging and are analysing the database locks."
            ),
            Script(
                title: "Label printer on line 1 prints blank labels",
                description: "The Zebra printer prints empty labels after the ribbon change.",
                requester: "jonas",
                service: "Shop-floor scanners",
                impact: .low,
                urgency: .medium,
                status: .new
            ),
            Script(
                title: "New operator accounts for the night shift",
                description:
                    "Please create MES accounts for 4 new operators starting Monday (list attached in the HR ticket).",
                requester: "petra",
                service: "MES",
                impact: .low,
                urgency: .low,
                type: .serviceRequest,
                owner: "anna",
                status: .acknowledged
            ),
            Script(
                title: "Checkout returns HTTP 500 for some customers",
                description: "About 3 % of checkouts fail with a 500 error since the release at 09:00.",
                requester: "sam",
                service: "Customer portal",
                impact: .high,
                urgency: .high,
                channel: .email,
                tier: .l3,
                owner: "chen",
                status: .inProgress,
                reply: "We rolled back the release; failures stopped at 10:42. Root cause analysis is ongoing."
            ),
            Script(
                title: "CSV export misses the VAT column",
                description: "The order export has no VAT column since last week.",
                requester: "sam",
                service: "Customer portal",
                impact: .low,
                urgency: .medium,
                tier: .l2,
                owner: "ben",
                status: .resolved,
                reply: "The export template is corrected; the VAT column is back."
            ),
            Script(
                title: "How do I add a second admin to our account?",
                description: "We want a colleague to manage users too.",
                requester: "lee",
                service: "Customer portal",
                impact: .low,
                urgency: .low,
                type: .serviceRequest,
                owner: "luis",
                status: .closed,
                reply: "Under Settings → Users choose 'Invite' and give the role Admin. Done!"
            ),
            Script(
                title: "Password reset mail does not arrive",
                description: "I requested a reset three times; nothing in inbox or spam.",
                requester: "lee",
                service: "Customer portal",
                impact: .low,
                urgency: .high,
                status: .new
            ),
            Script(
                title: "Disk usage alert on reporting database",
                description: "Disk usage above 85 % on the reporting replica.",
                requester: "ben",
                service: "Data platform",
                impact: .medium,
                urgency: .medium,
                type: .alert,
                channel: .monitoring,
                tier: .l2,
                status: .acknowledged
            ),
            Script(
                title: "Shift report shows wrong scrap quantities",
                description: "Scrap in the shift report is doubled for line 4 since Tuesday.",
                requester: "jonas",
                service: "MES",
                impact: .medium,
                urgency: .low,
                tier: .l2,
                status: .new
            ),
            Script(
                title: "Wi-Fi drops in hall B near dock 7",
                description: "Scanners lose connection near dock 7 several times per hour.",
                requester: "petra",
                service: "Shop-floor scanners",
                impact: .medium,
                urgency: .medium,
                owner: "luis",
                status: .inProgress,
                reply: "An access point in hall B is faulty; a replacement is ordered."
            ),
            Script(
                title: "Invoice PDF shows old company address",
                description: "Our invoices still show the address we changed last month.",
                requester: "sam",
                service: "Customer portal",
                impact: .low,
                urgency: .low,
                status: .pendingCustomer,
                reply: "Which invoice numbers are affected? The change applies to invoices created after it was saved."
            ),
        ]

        // Finished and waiting tickets are spread over the last fortnight; the ones being worked on are placed
        // back from the moment of loading (``workingAges``), so the queue shows a mix of fresh, due-soon and
        // a few overdue tickets whenever the demo is loaded.
        var number = 0
        var working = 0
        var references: [String] = []
        for round in 0..<2 {
            for script in scripts {
                number += 1
                let status = Self.status(of: script, variant: round)
                let at: Date
                let step: TimeInterval
                if status.isOpen, status != .pendingCustomer, status != .onHold {
                    at = now.addingTimeInterval(-Self.workingAges[working % Self.workingAges.count] * 3600)
                    step = 2 * 60
                    working += 1
                } else {
                    at = start.addingTimeInterval(Double(number) * 9 * 3600 + Double(round) * 3600)
                    step = 20 * 60
                }
                references += try await play(
                    script,
                    variant: round,
                    at: at,
                    step: step,
                    people: people,
                    services: services,
                    vendor: vendor.id,
                    components: components
                )
            }
        }
        _ = try await components.incidentDesk.save(incidentPolicy, by: setUp)
        try await DemoBilling.logTime(people: people, components: components)
        // The first script's ticket: line 3 stopped.
        let night = try await onCall(people: people, line3: references[0], components: components, by: setUp)
        try await majorIncident(
            line3: references[0],
            at: night,
            people: people,
            services: services,
            organisation: kessler.id,
            components: components,
            by: setUp
        )
        return true
    }

    /// The night line 3 stopped was a major incident: Anna declared it, Ben led it, Anna kept the plant's
    /// production leads informed every hour until it was resolved; its review is still to be written.
    private static func majorIncident(
        line3: String,
        at night: Date,
        people: [String: Person],
        services: [String: Service],
        organisation: UUID,
        components: AppComponents,
        by setUp: Actor
    ) async throws {
        func desk(_ minutes: Double) -> IncidentDesk {
            components.with(clock: FixedClock(night.addingTimeInterval(minutes * 60))).incidentDesk
        }
        let anna = people["anna"]!.actor
        _ = try await desk(0)
            .subscribe(
                IncidentDesk.NewSubscriber(
                    kind: .email,
                    target: "production-leads@kessler.example",
                    serviceID: services["MES"]?.id,
                    organisationID: organisation
                ),
                by: setUp
            )
        var incident = try await desk(2)
            .declare(
                IncidentDesk.Declaration(
                    title: "Line 3 stopped: no production orders from ERP",
                    publicTitle: "MES: production orders delayed",
                    severity: .sev1,
                    services: [services["MES"]!.id, services["ERP interface"]!.id],
                    tickets: [line3],
                    leadID: people["ben"]!.id,
                    commsLeadID: anna.personID
                ),
                by: anna
            )
        for (minutes, state, symptom, message) in [
            (8.0, MajorIncident.State.investigating, "production orders not reaching line 3", ""),
            (
                65, .identified, "production orders not reaching line 3",
                "The ERP-MES interface stopped after a certificate renewal; we are restarting it and replaying the orders."
            ),
            (
                130, .resolved, "production orders not reaching line 3",
                "All stuck orders are replayed and line 3 is producing again."
            ),
        ] {
            incident = try await desk(minutes)
                .post(
                    incident.reference,
                    IncidentDesk.UpdateInput(
                        version: incident.version,
                        state: state,
                        symptom: symptom,
                        impact: state == .resolved ? "" : "Line 3 halted",
                        message: message
                    ),
                    by: anna
                )
                .0
        }
    }

    /// Ben and Chen share production on call week by week (one primary, the other secondary); L1 and L2
    /// take turns as the week's operations owner. Sev1 and Sev2 tickets page through a policy that ends
    /// with the manager. Two nights ago Ben answered a page about line 3 and logged his work.
    /// Returns 02:00 of that night.
    private static func onCall(
        people: [String: Person],
        line3: String,
        components: AppComponents,
        by setUp: Actor
    ) async throws -> Date {
        let now = components.clock.now()
        let desk = components.oncallDesk
        let id = { (key: String) in people[key]!.id.uuidString }
        func schedule(_ json: String) async throws -> UUID {
            let id = UUID()
            _ = try await desk.saveSchedule(
                try JSONDecoder().decode(OnCallScheduleSpec.self, from: Data(json.utf8)),
                id: id,
                replacing: false,
                at: now
            )
            return id
        }
        let production = try await schedule(
            #"{"name":"Production support","timeZone":"Europe/Berlin","layers":[{"role":"primary","members":["\#(id("ben"))","\#(id("chen"))"],"startsOn":"2026-01-05"},{"role":"secondary","members":["\#(id("chen"))","\#(id("ben"))"],"startsOn":"2026-01-05"}]}"#
        )
        let operations = try await schedule(
            #"{"name":"Operations owner","timeZone":"Europe/Berlin","layers":[{"role":"primary","members":["\#(id("anna"))","\#(id("luis"))","\#(id("ben"))"],"startsOn":"2026-01-05"}]}"#
        )
        let spec = try JSONDecoder()
            .decode(
                EscalationPolicySpec.self,
                from: Data(
                    #"{"name":"Production Sev1/Sev2","steps":[{"scheduleId":"\#(production)","role":"primary","waitMinutes":10},{"scheduleId":"\#(production)","role":"secondary","waitMinutes":10},{"personId":"\#(id("maria"))","waitMinutes":15}],"repeats":1}"#
                        .utf8
                )
            )
        let (policy, _) = try await desk.savePolicy(spec, id: UUID(), replacing: false, at: now)
        _ = try await components.pagingDesk.save(
            PagingSettings(sev1PolicyId: policy.id, sev2PolicyId: policy.id, operationsScheduleId: operations),
            by: setUp
        )

        // 02:00 in Berlin two nights ago: paged, acknowledged six minutes later, resolved at 04:10.
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let night = LocalDateTime.instant(
            String(LocalDateTime.text(now.addingTimeInterval(-2 * 86_400), in: berlin).prefix(10)) + "T02:00",
            in: berlin
        )!
        let ben = people["ben"]!.actor
        func at(_ minutes: Double) -> AppComponents {
            components.with(clock: FixedClock(night.addingTimeInterval(minutes * 60)))
        }
        let page = try await at(0).pagingDesk
            .start(
                PagingDesk.NewPage(
                    ticket: line3,
                    severity: .sev1,
                    policyID: policy.id,
                    title: "Line 3 stopped: MES receives no production orders"
                ),
                by: people["anna"]!.actor
            )
            .page
        _ = try await at(6).pagingDesk.acknowledge(page.id, by: ben)
        _ = try await at(130).pagingDesk.resolve(page.id, by: ben)
        _ = try await at(160).billingDesk
            .logTime(
                on: line3,
                BillingDesk.TimeInput(
                    start: night.addingTimeInterval(10 * 60),
                    end: night.addingTimeInterval(150 * 60),
                    note: "Restarted the ERP-MES interface and replayed the stuck production orders"
                ),
                by: ben
            )
        return night
    }

    /// How long before loading each ticket still being worked on was opened, in hours, in the order they
    /// are played: the first round within the day, the second ("again") with a few that ran out of time.
    static let workingAges: [Double] = [
        0.5, 1.5, 3, 0.75, 1, 2, 4, 6, 8,
        74, 100, 30, 10, 1, 1.25, 12, 0.3, 2.5, 7, 28,
    ]

    /// The status a script's ticket ends in: later rounds leave more tickets open, so every queue has work.
    private static func status(of script: Script, variant: Int) -> TicketStatus {
        guard variant > 0 else { return script.status }
        switch script.status {
        case .closed: return .resolved
        case .resolved: return .inProgress
        default: return script.status
        }
    }

    private static func play(
        _ script: Script,
        variant: Int,
        at start: Date,
        step: TimeInterval,
        people: [String: Person],
        services: [String: Service],
        vendor: UUID,
        components: AppComponents
    ) async throws -> [String] {
        let requester = people[script.requester]!
        let agent = people[script.owner ?? "anna"]!
        var clockTime = start
        func desk() -> TicketDesk {
            clockTime = clockTime.addingTimeInterval(step)
            return components.with(clock: FixedClock(clockTime)).ticketDesk
        }
        let title = variant == 0 ? script.title : script.title + " (again)"
        // Requesters open their own tickets; staff-opened ones are opened by an L1 agent for the requester.
        let opener = requester.roles.contains(.requester) ? requester : people["anna"]!
        var draft = TicketDraft(
            title: title,
            description: script.description,
            type: script.type,
            channel: script.channel,
            impact: script.impact,
            urgency: script.urgency,
            serviceID: services[script.service]?.id
        )
        if opener.id != requester.id { draft.requesterID = requester.id }
        let ticket = try await desk().open(draft, by: opener)
        let reference = ticket.reference
        let status = Self.status(of: script, variant: variant)
        if status == .new { return [reference] }

        var version = ticket.version
        let admin = people["admin"]!.actor
        if script.tier > ticket.tier {
            // Up the tiers one at a time, with the evidence each gate asks for; the last tier takes it over.
            var tier = ticket.tier
            while tier < script.tier, let next = tier.next {
                let last = next == script.tier
                var request = EscalationRequest(
                    ownerID: last ? script.owner.map { people[$0]!.id } : nil,
                    reason: "Needs \(next.rawValue): beyond what \(tier.rawValue) can fix."
                )
                request.group = last ? script.group : nil
                addEvidence(to: &request, for: next, vendor: vendor, vendorReference: "NE-88231")
                version = try await desk().escalate(reference, request: request, expectedVersion: version, by: admin)
                    .version
                tier = next
            }
        } else {
            var changes = TicketChanges()
            if let owner = script.owner { changes.ownerID = .some(people[owner]!.id) }
            if let group = script.group { changes.group = .some(group) }
            if changes != TicketChanges() {
                version = try await desk().update(reference, with: changes, expectedVersion: version, by: admin).version
            }
        }
        version = try await desk()
            .changeStatus(reference, to: .acknowledged, comment: nil, expectedVersion: version, by: agent.actor).version
        if status == .acknowledged { return [reference] }
        version = try await desk()
            .changeStatus(reference, to: .inProgress, comment: nil, expectedVersion: version, by: agent.actor).version
        if let reply = script.reply {
            _ = try await desk().addMessage(reference, body: reply, isInternal: false, by: agent.actor)
        }
        if script.tier >= .l2 {
            _ = try await desk()
                .addMessage(
                    reference,
                    body: "Logs checked; see the interface trace for details.",
                    isInternal: true,
                    by: agent.actor
                )
        }
        if script.tier == .l4, let contact = people["vera"] {
            // The vendor thread: the owner shares the L4 checklist, the vendor answers there, apart from the customer.
            _ = try await desk()
                .messageVendor(
                    reference,
                    body: "Could you confirm when the fix for NE-88231 ships? Every goods movement from MES fails.",
                    share: .init(checklist: true),
                    newFiles: [],
                    by: agent.actor
                )
            _ = try await desk()
                .addMessage(
                    reference,
                    body: "Reproduced on our side; the fix ships with the next support package.",
                    isInternal: false,
                    by: contact.actor
                )
        }
        switch status {
        case .inProgress:
            return [reference]
        case .pendingCustomer, .onHold:
            _ = try await desk()
                .changeStatus(reference, to: status, comment: nil, expectedVersion: version, by: agent.actor)
        case .resolved, .closed:
            version = try await desk()
                .changeStatus(reference, to: .resolved, comment: nil, expectedVersion: version, by: agent.actor).version
            if status == .closed {
                _ = try await desk()
                    .changeStatus(reference, to: .closed, comment: nil, expectedVersion: version, by: agent.actor)
            }
        case .new, .acknowledged:
            return [reference]
        }
        return [reference]
    }

    /// The evidence each gate asks for when handing to `tier`: what L1 tried and a log excerpt, L3's
    /// reproduction steps and log extract, the vendor checklist.
    static func addEvidence(to request: inout EscalationRequest, for tier: Tier, vendor: UUID, vendorReference: String)
    {
        switch tier {
        case .l2:
            request.tried = "Checked the runbook steps and the known errors; restarted the client."
            request.logExcerpt = "ERROR 2026-05-04 09:12:44 request failed (see attached trace)"
        case .l3:
            request.reproductionSteps =
                "1. Log in as a test operator in staging.\n2. Repeat the user's steps.\n3. The error appears every time."
            request.logExtract = "09:12:44.120 ERROR com.example.mes.Posting - rejected: M7 021"
        case .l4:
            request.reproducedIn = "QA system Q01"
            request.rootCause = .standardProduct
            request.vendorID = vendor
            request.vendorReference = vendorReference
            request.businessImpact = BusinessImpact(amountPerHour: 12_000, currency: "EUR")
        case .l1:
            break
        }
    }
}
