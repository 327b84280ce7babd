import Foundation
import TierdeskCore

/// The settings page: the priority matrix as a grid of choices and the escalation gates per service.
struct AdminSettingsView {
    var title = "Priority matrix and escalation gates"
    var user: UserView?
    var notice: String?
    var error: String?
    var csrf: String
    var urgencies: [String]
    var matrix: [MatrixRowView]
    var gates: [GateRowView]
}

/// One impact's row of the matrix: a choice of priority per urgency.
struct MatrixRowView {
    var impact: String
    var cells: [MatrixCellView]
}

struct MatrixCellView {
    var field: String
    var label: String
    var options: [OptionView]
}

/// The gates of the default or of one service.
struct GateRowView {
    /// `default`, or the service's id.
    var key: String
    var label: String
    var isDefault: Bool
    /// A service without its own gates uses the default ones.
    var ownGates: Bool
    var l1ToL2: Bool
    var l2ToL3: Bool
    var l3ToL4: Bool
}

/// Reading the settings forms, whose fields are named by the grid (`cell-high-medium`) and the gate rows
/// (`gate-default-l1ToL2`, `own-<service id>`).
enum AdminSettingsForm {
    static func matrix(_ values: [String: String]) throws -> PriorityMatrix {
        var entries: [PriorityMatrix.Entry] = []
        for impact in Level.allCases {
            for urgency in Level.allCases {
                let field = "cell-\(impact.rawValue)-\(urgency.rawValue)"
                guard let priority = values[field].flatMap(Priority.init(rawValue:)) else {
                    throw TierdeskError.invalid(
                        field: field,
                        "choose a priority for impact \(impact.rawValue) × urgency \(urgency.rawValue)"
                    )
                }
                entries.append(.init(impact: impact, urgency: urgency, priority: priority))
            }
        }
        do {
            return try PriorityMatrix(entries: entries)
        } catch {
            throw TierdeskError.invalid(error)
        }
    }

    static func gates(_ values: [String: String], services: [Service]) -> EscalationGateSettings {
        func gates(_ key: String) -> EscalationGates {
            EscalationGates(
                l1ToL2: values["gate-\(key)-l1ToL2"] == "1",
                l2ToL3: values["gate-\(key)-l2ToL3"] == "1",
                l3ToL4: values["gate-\(key)-l3ToL4"] == "1"
            )
        }
        var settings = EscalationGateSettings(defaults: gates("default"))
        for service in services where values["own-\(service.id.uuidString)"] == "1" {
            settings.services[service.id] = gates(service.id.uuidString)
        }
        return settings
    }

    static func matrixRows(_ matrix: PriorityMatrix) -> [MatrixRowView] {
        Level.allCases.map { impact in
            MatrixRowView(
                impact: impact.rawValue,
                cells: Level.allCases.map { urgency in
                    let chosen = matrix.priority(impact: impact, urgency: urgency)
                    return MatrixCellView(
                        field: "cell-\(impact.rawValue)-\(urgency.rawValue)",
                        label: "Priority for impact \(impact.rawValue), urgency \(urgency.rawValue)",
                        options: Priority.allCases.map {
                            OptionView(value: $0.rawValue, label: $0.rawValue, selected: $0 == chosen)
                        }
                    )
                }
            )
        }
    }

    static func gateRows(_ settings: EscalationGateSettings, services: [Service]) -> [GateRowView] {
        func row(_ key: String, _ label: String, _ gates: EscalationGates, isDefault: Bool, own: Bool) -> GateRowView {
            GateRowView(
                key: key,
                label: label,
                isDefault: isDefault,
                ownGates: own,
                l1ToL2: gates.l1ToL2,
                l2ToL3: gates.l2ToL3,
                l3ToL4: gates.l3ToL4
            )
        }
        return [row("default", "Every service without its own", settings.defaults, isDefault: true, own: true)]
            + services.map {
                row(
                    $0.id.uuidString,
                    $0.name,
                    settings.gates(for: $0.id),
                    isDefault: false,
                    own: settings.services[$0.id] != nil
                )
            }
    }
}
