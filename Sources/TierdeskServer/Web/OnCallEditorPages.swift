import Foundation
import Hummingbird
import Mustache
import TierdeskCore
import TierdeskStore

/// The console's editors for managers: a schedule or an escalation policy field by field, people and
/// schedules chosen by name (`/console/oncall/schedules/<id|new>`, `/console/oncall/policies/<id|new>`),
/// or as the JSON document the API takes; a schedule's coming week, and its overrides with a form in the
/// schedule's local time.
struct OnCallEditorPages {
    let desk: OnCallDesk
    /// Who may be on call, for the member and override choices.
    let directory: DirectoryDesk
    let templates: MustacheLibrary

    struct OverrideInput: Decodable {
        var csrf: String
        var role: String
        var person: String
        var start: String
        var end: String
        enum CodingKeys: String, CodingKey { case csrf = "_csrf", role, person, start, end }
    }

    func register(_ router: Router<TierdeskRequestContext>) {
        router.get("/console/oncall/schedules/:scheduleId") { request, context in
            let identity = try Self.manager(context)
            guard let id = try Self.scheduleKey(context) else {
                let spec = newSchedule()
                return try await schedulePage(
                    identity,
                    stored: nil,
                    document: try OnCallEditorView.document(spec),
                    fields: ScheduleFieldForm(spec, startsOn: thisMonday)
                )
            }
            let stored = try await desk.storedSchedule(id, for: identity.actor)
            return try await schedulePage(
                identity,
                stored: stored,
                document: try OnCallEditorView.document(stored.spec),
                fields: ScheduleFieldForm(stored.spec, startsOn: thisMonday),
                notice: Self.notice(request)
            )
        }
        router.post("/console/oncall/schedules/:scheduleId") { request, context in
            let values = try await WebForm.decode([String: String].self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: values["_csrf"] ?? "")
            try OnCallDesk.require(.manageOnCall, identity.actor)
            let stored = try Self.scheduleKey(context)
            let current = try await stored.asyncMap { try await desk.storedSchedule($0, for: identity.actor) }
            let byFields = values["mode"] == "fields"
            let fields = ScheduleFieldForm(values, stored: current?.spec)
            return try await WebForm.submit(
                {
                    let spec =
                        byFields
                        ? try fields.spec() : try Self.document(OnCallScheduleSpec.self, values["document"] ?? "")
                    let id = try await desk.saveSchedule(spec, id: stored, by: identity.actor)
                    return "/console/oncall/schedules/\(id.uuidString.lowercased())?notice=saved"
                },
                orShow: { problem in
                    try await schedulePage(
                        identity,
                        stored: current,
                        document: byFields
                            ? try OnCallEditorView.document(current?.spec ?? newSchedule()) : values["document"] ?? "",
                        fields: byFields
                            ? fields : ScheduleFieldForm(current?.spec ?? newSchedule(), startsOn: thisMonday),
                        error: problem.detail,
                        status: problem.status
                    )
                }
            )
        }
        router.post("/console/oncall/schedules/:scheduleId/overrides") { request, context in
            let form = try await WebForm.decode(OverrideInput.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            try OnCallDesk.require(.manageOnCall, identity.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            let stored = try await desk.storedSchedule(id, for: identity.actor)
            let zone = TimeZone(identifier: stored.spec.timeZone) ?? .gmt
            return try await WebForm.submit(
                {
                    var errors: [FieldError] = []
                    let role = OnCallRole(rawValue: form.role)
                    let person = UUID(uuidString: form.person)
                    let start = LocalDateTime.instant(form.start, in: zone)
                    let end = LocalDateTime.instant(form.end, in: zone)
                    if role == nil { errors.append(FieldError(field: "role", message: "must be primary or secondary")) }
                    if person == nil { errors.append(FieldError(field: "personId", message: "choose who covers")) }
                    if start == nil {
                        errors.append(
                            FieldError(field: "start", message: "must be a date and time such as 2026-11-17T09:00")
                        )
                    }
                    if end == nil {
                        errors.append(
                            FieldError(field: "end", message: "must be a date and time such as 2026-11-18T09:00")
                        )
                    }
                    guard let role, let person, let start, let end, errors.isEmpty else {
                        throw TierdeskError.invalid(ValidationFailure(errors))
                    }
                    _ = try await desk.addOverride(
                        role: role,
                        personID: person,
                        start: start,
                        end: end,
                        to: id,
                        by: identity.actor
                    )
                    return "/console/oncall/schedules/\(id.uuidString.lowercased())?notice=override"
                },
                orShow: { problem in
                    try await schedulePage(
                        identity,
                        stored: stored,
                        document: try OnCallEditorView.document(stored.spec),
                        fields: ScheduleFieldForm(stored.spec, startsOn: thisMonday),
                        error: problem.detail,
                        status: problem.status,
                        overrideForm: OnCallEditorView.OverrideForm(start: form.start, end: form.end)
                    )
                }
            )
        }
        router.post("/console/oncall/schedules/:scheduleId/overrides/:overrideId/remove") { request, context in
            let form = try await WebForm.decode(CSRFForm.self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: form.csrf)
            try OnCallDesk.require(.manageOnCall, identity.actor)
            let id = try context.uuidParameter("scheduleId", what: "schedule")
            try await desk.removeOverride(
                try context.uuidParameter("overrideId", what: "override"),
                of: id,
                by: identity.actor
            )
            return Response.redirect(
                to: "/console/oncall/schedules/\(id.uuidString.lowercased())?notice=removed",
                type: .normal
            )
        }

        router.get("/console/oncall/policies/:policyId") { request, context in
            let identity = try Self.manager(context)
            guard let id = try Self.policyKey(context) else {
                let spec = try await newPolicy(for: identity.actor)
                return try await policyPage(
                    identity,
                    id: nil,
                    name: nil,
                    document: try OnCallEditorView.document(spec),
                    fields: PolicyFieldForm(spec)
                )
            }
            let spec = EscalationPolicySpec(try await desk.policy(id, for: identity.actor))
            return try await policyPage(
                identity,
                id: id,
                name: spec.name,
                document: try OnCallEditorView.document(spec),
                fields: PolicyFieldForm(spec),
                notice: Self.notice(request)
            )
        }
        router.post("/console/oncall/policies/:policyId") { request, context in
            let values = try await WebForm.decode([String: String].self, from: request)
            let identity = try WebForm.checkedIdentity(context, token: values["_csrf"] ?? "")
            try OnCallDesk.require(.manageOnCall, identity.actor)
            let stored = try Self.policyKey(context)
            let byFields = values["mode"] == "fields"
            let fields = PolicyFieldForm(values)
            return try await WebForm.submit(
                {
                    let spec =
                        byFields
                        ? try fields.spec() : try Self.document(EscalationPolicySpec.self, values["document"] ?? "")
                    let id = try await desk.savePolicy(spec, id: stored, by: identity.actor).id
                    return "/console/oncall/policies/\(id.uuidString.lowercased())?notice=saved"
                },
                orShow: { problem in
                    let current = try await stored.asyncMap {
                        EscalationPolicySpec(try await desk.policy($0, for: identity.actor))
                    }
                    let fallback: EscalationPolicySpec
                    if let current { fallback = current } else { fallback = try await newPolicy(for: identity.actor) }
                    return try await policyPage(
                        identity,
                        id: stored,
                        name: current?.name,
                        document: byFields ? try OnCallEditorView.document(fallback) : values["document"] ?? "",
                        fields: byFields ? fields : PolicyFieldForm(fallback),
                        error: problem.detail,
                        status: problem.status
                    )
                }
            )
        }
    }

    private static func manager(_ context: TierdeskRequestContext) throws -> Identity {
        let identity = try ConsolePages.staff(context)
        try OnCallDesk.require(.manageOnCall, identity.actor)
        return identity
    }

    /// The schedule a path names; nil for `new`.
    private static func scheduleKey(_ context: TierdeskRequestContext) throws -> UUID? {
        try context.pathParameter("scheduleId") == "new"
            ? nil : try context.uuidParameter("scheduleId", what: "schedule")
    }

    private static func policyKey(_ context: TierdeskRequestContext) throws -> UUID? {
        try context.pathParameter("policyId") == "new"
            ? nil : try context.uuidParameter("policyId", what: "escalation policy")
    }

    private static func notice(_ request: Request) -> String? {
        switch request.uri.queryParameters.get("notice") {
        case "saved": "Saved; coverage is checked again."
        case "override": "The override is added."
        case "removed": "The override is removed."
        default: nil
        }
    }

    /// The pasted document as `T`. A JSON mistake is a field error of the form, so the editor shows it with
    /// the text kept.
    private static func document<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        do {
            return try JSONBody.decode(T.self, from: Data(text.utf8))
        } catch let problem as Problem {
            throw TierdeskError.invalid(
                ValidationFailure(
                    problem.errors.isEmpty
                        ? [FieldError(field: "document", message: "is not valid JSON")] : problem.errors
                )
            )
        }
    }

    /// The Monday of this week, where a new rotation starts.
    private var thisMonday: String { IsoWeek(containing: desk.clock.now()).monday.description }

    private func newSchedule() -> OnCallScheduleSpec {
        OnCallScheduleSpec(
            name: "New schedule",
            timeZone: "Europe/Berlin",
            layers: [
                .init(role: .primary, members: [], startsOn: thisMonday, handoffDay: .mon, handoffTime: "09:00"),
                .init(role: .secondary, members: [], startsOn: thisMonday, handoffDay: .mon, handoffTime: "09:00"),
            ]
        )
    }

    private func newPolicy(for actor: Actor) async throws -> EscalationPolicySpec {
        let schedule = try await desk.storedSchedules(for: actor).first?.id
        return EscalationPolicySpec(
            name: "New policy",
            steps: [
                .init(scheduleId: schedule, role: .primary, waitMinutes: 10),
                .init(scheduleId: schedule, role: .secondary, waitMinutes: 10),
            ],
            repeats: 1
        )
    }

    private func schedulePage(
        _ identity: Identity,
        stored: OnCallRepository.StoredSchedule?,
        document: String,
        fields: ScheduleFieldForm,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        overrideForm: OnCallEditorView.OverrideForm = .init()
    ) async throws -> Response {
        let staff = try await directory.activeStaff()
        let id = stored?.id
        let zone = stored.flatMap { TimeZone(identifier: $0.spec.timeZone) } ?? .gmt
        let names = Dictionary(staff.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let overrides = try await id.asyncMap { try await desk.overrides(of: $0, for: identity.actor) } ?? []
        let now = desk.clock.now()
        let today = LocalDate(containing: now, in: zone)
        let week = try await id.asyncMap { id in
            let window = today.start(in: zone)..<today.adding(days: 7).start(in: zone)
            let (shifts, shiftNames) = try await desk.shifts(of: id, in: window, for: identity.actor)
            return RotationWeekView(shifts: shifts, names: shiftNames, from: today, zone: zone)
        }
        var view = OnCallEditorView(
            title: stored?.spec.name ?? "New schedule",
            user: UserView(identity),
            notice: notice,
            error: error,
            heading: stored.map { "Schedule · \($0.spec.name)" } ?? "New schedule",
            action: "/console/oncall/schedules/\(id?.uuidString.lowercased() ?? "new")",
            document: document,
            help:
                "A time zone, and rotation layers for the primary and secondary roles: members in order, startsOn (a date), handoffDay and handoffTime (Monday 09:00 by default), shiftDays (7 by default), and supportHours to limit a layer to certain hours. Saving checks coverage over the next \(ScheduleCoverage.defaultWeeks) weeks.",
            people: OnCallEditorView.references(staff: staff),
            schedules: [],
            hasSchedules: false,
            overridesAction: id.map { "/console/oncall/schedules/\($0.uuidString.lowercased())/overrides" },
            overrides: overrides.sorted { $0.start < $1.start }
                .map {
                    OnCallEditorView.OverrideRow(
                        id: $0.id.uuidString.lowercased(),
                        role: $0.role.rawValue,
                        person: names[$0.personID] ?? $0.personID.uuidString,
                        start: DisplayTime.local($0.start, in: zone),
                        end: DisplayTime.local($0.end, in: zone)
                    )
                },
            hasOverrides: !overrides.isEmpty,
            timeZone: zone.identifier,
            staffOptions: staff.map { OptionView(value: $0.id.uuidString, label: $0.name, selected: false) },
            roles: OnCallRole.allCases.map { OptionView(value: $0.rawValue, label: $0.rawValue, selected: false) },
            overrideForm: overrideForm
        )
        view.scheduleFields = ScheduleFieldsView(fields, staff: staff)
        view.week = week
        return try Templates.page(templates, "oncall_editor", view, status: status)
    }

    private func policyPage(
        _ identity: Identity,
        id: UUID?,
        name: String?,
        document: String,
        fields: PolicyFieldForm,
        notice: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let staff = try await directory.activeStaff()
        let schedules = try await desk.storedSchedules(for: identity.actor)
        var view = OnCallEditorView(
            title: name ?? "New escalation policy",
            user: UserView(identity),
            notice: notice,
            error: error,
            heading: name.map { "Escalation policy · \($0)" } ?? "New escalation policy",
            action: "/console/oncall/policies/\(id?.uuidString.lowercased() ?? "new")",
            document: document,
            help:
                "Steps in order, each notifying a schedule's primary or secondary (scheduleId, role) or a person (personId), then waiting waitMinutes for an acknowledgement; repeats runs the steps again that many times.",
            people: OnCallEditorView.references(staff: staff),
            schedules: schedules.map {
                OnCallEditorView.Reference(name: $0.spec.name, detail: $0.spec.timeZone, id: $0.id.uuidString)
            },
            hasSchedules: !schedules.isEmpty,
            overridesAction: nil,
            overrides: [],
            hasOverrides: false,
            timeZone: "",
            staffOptions: [],
            roles: [],
            overrideForm: .init()
        )
        view.policyFields = PolicyFieldsView(fields, schedules: schedules, staff: staff)
        return try Templates.page(templates, "oncall_editor", view, status: status)
    }
}
