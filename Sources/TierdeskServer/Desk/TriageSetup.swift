import Foundation
import TierdeskCore
import TierdeskStore

/// The triage rules in force with the ids of the articles they link, read together and kept for a few
/// seconds (see ``SettingCache``), so a ticket write costs no article lookups.
struct TriageSetup: Sendable {
    var rules: TriageRules
    /// Article ids by number, for the rules' `then.knownError` references.
    var articles: [Int: UUID]

    static func load(_ settings: SettingsRepository, _ knownErrors: KnownErrorRepository) async throws -> TriageSetup {
        let rules = try await settings.triageRules()
        return TriageSetup(rules: rules, articles: try await knownErrors.ids(numbers: rules.articleNumbers))
    }

    /// Rules about to be saved, with their articles; a rule that names an article, a service or a group that
    /// does not exist, or a group of another tier than the one it sets, is refused with its field.
    static func checked(
        _ rules: TriageRules,
        _ knownErrors: KnownErrorRepository,
        _ directory: DirectoryRepository,
        _ groups: SupportGroupRepository
    ) async throws -> TriageSetup {
        let articles = try await knownErrors.ids(numbers: rules.articleNumbers)
        let services = Set(try await directory.services().map(\.id))
        let groupsByName = Dictionary(try await groups.all().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var errors: [FieldError] = []
        for (index, rule) in rules.rules.enumerated() {
            if let name = rule.then.group {
                if let group = groupsByName[name] {
                    if let tier = rule.then.tier, let refusal = group.refusal(at: tier) {
                        errors.append(FieldError(field: "rules[\(index)].then.group", message: refusal))
                    }
                } else {
                    errors.append(
                        FieldError(
                            field: "rules[\(index)].then.group",
                            message: "no support group is named \(name.prefix(TextLimits.label))"
                        )
                    )
                }
            }
            for id in rule.when.services ?? [] where !services.contains(id) {
                errors.append(
                    FieldError(
                        field: "rules[\(index)].when.services",
                        message: "no service has the id \(id.uuidString)"
                    )
                )
            }
            if let reference = rule.then.knownError, let number = KnownError.number(in: reference),
                articles[number] == nil
            {
                errors.append(
                    FieldError(
                        field: "rules[\(index)].then.knownError",
                        message: "no article is \(reference); link an existing Known Error Database article"
                    )
                )
            }
        }
        if !errors.isEmpty { throw TierdeskError.invalid(ValidationFailure(errors)) }
        return TriageSetup(rules: rules, articles: articles)
    }
}
