import Foundation
import TierdeskCore
import TierdeskStore

/// A schedule edited field by field: its name and zone, and each rotation layer with its members chosen by
/// name in order. Fields are named by layer and place (`layer0-member2`), so a form is a flat map.
struct ScheduleFieldForm {
    /// Members a layer's form offers at least (one more than it has, when it has more).
    static let memberSlots = 8
    /// Most members a layer's form is read for.
    static let maxMembers = 100
    /// Layers a form offers beyond the stored ones.
    static let spareLayers = 1

    var name: String
    var timeZone: String
    var layers: [LayerFields]

    struct LayerFields {
        var index: Int
        var used: Bool
        var name: String
        var role: String
        var members: [String]
        var startsOn: String
        var handoffDay: String
        var handoffTime: String
        var shiftDays: String
        /// Hours the layer is limited to, kept as they are (edited in the JSON).
        var supportHours: [String: [CalendarSpec.Window]]?
    }

    init(_ spec: OnCallScheduleSpec, startsOn: String) {
        name = spec.name
        timeZone = spec.timeZone
        layers = spec.layers.enumerated()
            .map { index, layer in
                LayerFields(
                    index: index,
                    used: true,
                    name: layer.name ?? "",
                    role: layer.role.rawValue,
                    members: layer.members.map(\.uuidString),
                    startsOn: layer.startsOn,
                    handoffDay: (layer.handoffDay ?? .mon).rawValue,
                    handoffTime: layer.handoffTime ?? "09:00",
                    shiftDays: layer.shiftDays.map(String.init) ?? "7",
                    supportHours: layer.supportHours
                )
            }
        for spare in 0..<Self.spareLayers {
            layers.append(
                LayerFields(
                    index: layers.count + spare,
                    used: false,
                    name: "",
                    role: OnCallRole.secondary.rawValue,
                    members: [],
                    startsOn: startsOn,
                    handoffDay: Weekday.mon.rawValue,
                    handoffTime: "09:00",
                    shiftDays: "7",
                    supportHours: nil
                )
            )
        }
    }

    /// What was sent; `stored` gives the support hours of the layers it had.
    init(_ values: [String: String], stored: OnCallScheduleSpec?) {
        name = values["name"] ?? ""
        timeZone = values["timeZone"] ?? ""
        let count = Int(values["layers"] ?? "") ?? 0
        layers = (0..<min(count, 20))
            .map { index in
                let key = "layer\(index)-"
                return LayerFields(
                    index: index,
                    used: values[key + "used"] == "1",
                    name: values[key + "name"] ?? "",
                    role: values[key + "role"] ?? "",
                    members: (0..<Self.maxMembers).compactMap { values[key + "member\($0)"] }.filter { !$0.isEmpty },
                    startsOn: values[key + "startsOn"] ?? "",
                    handoffDay: values[key + "handoffDay"] ?? "",
                    handoffTime: values[key + "handoffTime"] ?? "",
                    shiftDays: values[key + "shiftDays"] ?? "",
                    supportHours: stored.flatMap {
                        $0.layers.indices.contains(index) ? $0.layers[index].supportHours : nil
                    }
                )
            }
    }

    /// The schedule the fields describe; a choice that names nothing known is refused with its field, the
    /// rest is checked when the schedule is saved.
    func spec() throws -> OnCallScheduleSpec {
        var errors: [FieldError] = []
        var result: [OnCallScheduleSpec.Layer] = []
        for layer in layers where layer.used {
            let field = "layers[\(result.count)]"
            let role = OnCallRole(rawValue: layer.role)
            if role == nil { errors.append(FieldError(field: field + ".role", message: "choose primary or secondary")) }
            let members = layer.members.compactMap(UUID.init(uuidString:))
            if members.count != layer.members.count {
                errors.append(FieldError(field: field + ".members", message: "choose members from the list"))
            }
            let shiftDays = Int(layer.shiftDays.trimmingWhitespace())
            if shiftDays == nil {
                errors.append(FieldError(field: field + ".shiftDays", message: "must be a whole number of days"))
            }
            result.append(
                .init(
                    name: layer.name.trimmingWhitespace().isEmpty ? nil : layer.name.trimmingWhitespace(),
                    role: role ?? .primary,
                    members: members,
                    startsOn: layer.startsOn,
                    handoffDay: Weekday(rawValue: layer.handoffDay),
                    handoffTime: layer.handoffTime.isEmpty ? nil : layer.handoffTime,
                    shiftDays: shiftDays,
                    supportHours: layer.supportHours
                )
            )
        }
        if result.isEmpty { errors.append(FieldError(field: "layers", message: "use at least one layer")) }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return OnCallScheduleSpec(name: name, timeZone: timeZone, layers: result)
    }
}

/// An escalation policy edited field by field: each step notifies a schedule's role or a person, chosen by
/// name, then waits.
struct PolicyFieldForm {
    static let spareSteps = 2

    var name: String
    var repeats: String
    var steps: [(target: String, wait: String)]

    init(_ spec: EscalationPolicySpec) {
        name = spec.name
        repeats = String(spec.repeats ?? 0)
        steps = spec.steps.map { step in
            let target =
                step.personId.map { "person:\($0.uuidString)" }
                ?? "schedule:\(step.scheduleId?.uuidString ?? ""):\(step.role?.rawValue ?? OnCallRole.primary.rawValue)"
            return (target, String(step.waitMinutes))
        }
        steps += Array(repeating: ("", "10"), count: Self.spareSteps)
    }

    init(_ values: [String: String]) {
        name = values["name"] ?? ""
        repeats = values["repeats"] ?? "0"
        let count = Int(values["steps"] ?? "") ?? 0
        steps = (0..<min(count, 20)).map { (values["step\($0)-target"] ?? "", values["step\($0)-wait"] ?? "") }
    }

    func spec() throws -> EscalationPolicySpec {
        var errors: [FieldError] = []
        var result: [EscalationPolicySpec.Step] = []
        for (target, wait) in steps where !target.isEmpty {
            let field = "steps[\(result.count)]"
            guard let minutes = Int(wait.trimmingWhitespace()) else {
                errors.append(FieldError(field: field + ".waitMinutes", message: "must be a whole number of minutes"))
                continue
            }
            let parts = target.split(separator: ":").map(String.init)
            if parts.count == 2, parts[0] == "person", let person = UUID(uuidString: parts[1]) {
                result.append(.init(personId: person, waitMinutes: minutes))
            } else if parts.count == 3, parts[0] == "schedule", let schedule = UUID(uuidString: parts[1]),
                let role = OnCallRole(rawValue: parts[2])
            {
                result.append(.init(scheduleId: schedule, role: role, waitMinutes: minutes))
            } else {
                errors.append(FieldError(field: field, message: "choose whom the step notifies"))
            }
        }
        guard let repeats = Int(repeats.trimmingWhitespace()) else {
            throw TierdeskError.invalid(field: "repeats", "must be a whole number")
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return EscalationPolicySpec(name: name, steps: result, repeats: repeats)
    }
}

/// The views of the field forms.
struct ScheduleFieldsView {
    var name: String
    var timeZone: String
    var layerCount: Int
    var layers: [LayerView]

    struct LayerView {
        var index: Int
        var number: Int
        var used: Bool
        var name: String
        var roles: [OptionView]
        var members: [MemberSlot]
        var startsOn: String
        var days: [OptionView]
        var handoffTime: String
        var shiftDays: String
        var limited: Bool
    }

    struct MemberSlot {
        var field: String
        var label: String
        var options: [OptionView]
    }

    init(_ form: ScheduleFieldForm, staff: [Person]) {
        name = form.name
        timeZone = form.timeZone
        layerCount = form.layers.count
        layers = form.layers.map { layer in
            LayerView(
                index: layer.index,
                number: layer.index + 1,
                used: layer.used,
                name: layer.name,
                roles: OnCallRole.allCases.map {
                    OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == layer.role)
                },
                members: (0..<max(ScheduleFieldForm.memberSlots, layer.members.count + 1))
                    .map { slot in
                        let chosen = layer.members.indices.contains(slot) ? layer.members[slot] : ""
                        // A member who is no longer active staff stays chosen until someone changes it.
                        let kept =
                            chosen.isEmpty || staff.contains { $0.id.uuidString == chosen }
                            ? [] : [OptionView(value: chosen, label: "someone no longer active", selected: true)]
                        return MemberSlot(
                            field: "layer\(layer.index)-member\(slot)",
                            label: "Layer \(layer.index + 1), turn \(slot + 1)",
                            options: [OptionView(value: "", label: "—", selected: chosen.isEmpty)] + kept
                                + staff.map {
                                    OptionView(
                                        value: $0.id.uuidString,
                                        label: $0.name,
                                        selected: $0.id.uuidString == chosen
                                    )
                                }
                        )
                    },
                startsOn: layer.startsOn,
                days: Weekday.allCases.map {
                    OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == layer.handoffDay)
                },
                handoffTime: layer.handoffTime,
                shiftDays: layer.shiftDays,
                limited: layer.supportHours != nil
            )
        }
    }
}

struct PolicyFieldsView {
    var name: String
    var repeats: String
    var stepCount: Int
    var steps: [StepView]

    struct StepView {
        var index: Int
        var number: Int
        var targets: [OptionView]
        var wait: String
    }

    init(_ form: PolicyFieldForm, schedules: [OnCallRepository.StoredSchedule], staff: [Person]) {
        name = form.name
        repeats = form.repeats
        stepCount = form.steps.count
        steps = form.steps.enumerated()
            .map { index, step in
                let targets =
                    schedules.flatMap { schedule in
                        OnCallRole.allCases.map {
                            (
                                "schedule:\(schedule.id.uuidString):\($0.rawValue)",
                                "\(schedule.spec.name): \($0.rawValue)"
                            )
                        }
                    } + staff.map { ("person:\($0.id.uuidString)", $0.name) }
                // A target no longer offered (someone inactive, a schedule gone) stays until someone changes it.
                let known = step.target.isEmpty || targets.contains { $0.0.lowercased() == step.target.lowercased() }
                let kept =
                    known
                    ? [] : [OptionView(value: step.target, label: "as before (no longer offered)", selected: true)]
                return StepView(
                    index: index,
                    number: index + 1,
                    targets: [OptionView(value: "", label: "— (no step)", selected: step.target.isEmpty)] + kept
                        + targets.map {
                            OptionView(
                                value: $0.0,
                                label: $0.1,
                                selected: $0.0.lowercased() == step.target.lowercased()
                            )
                        },
                    wait: step.wait
                )
            }
    }
}

/// The coming week of a schedule: who holds each role on each local day ("Ben → Chen" on a hand-off day).
struct RotationWeekView {
    var days: [String]
    var rows: [Row]

    struct Row {
        var role: String
        var cells: [String]
    }

    init(shifts: [OnCallShift], names: [UUID: String], from today: LocalDate, zone: TimeZone) {
        let dates = (0..<7).map { today.adding(days: $0) }
        days = dates.map(\.description)
        rows = OnCallRole.allCases.map { role in
            Row(
                role: role.rawValue,
                cells: dates.map { date in
                    let start = date.start(in: zone)
                    let end = date.adding(days: 1).start(in: zone)
                    let holders = shifts.filter { $0.role == role && $0.start < end && $0.end > start }
                        .sorted { $0.start < $1.start }.map { names[$0.personID] ?? "?" }
                    return holders.isEmpty ? "nobody" : holders.joined(separator: " → ")
                }
            )
        }
    }
}
