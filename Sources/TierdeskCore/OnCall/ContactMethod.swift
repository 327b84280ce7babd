import Foundation

/// One way to reach a person with a page. Without any, a person is paged by e-mail at their address.
public struct ContactMethod: Codable, Sendable, Equatable {
    public enum Kind: String, StringEnum, Sendable {
        /// A mail to `address`.
        case email
        /// A JSON POST to the URL in `address`.
        case webhook
        /// A text message through the SMS/voice gateway, to the E.164 number in `address`.
        case sms
        /// A call through the SMS/voice gateway, to the E.164 number in `address`.
        case voice
    }

    public var kind: Kind
    public var address: String

    public init(kind: Kind, address: String) {
        self.kind = kind
        self.address = address
    }

    public static let maxMethods = 5

    /// Checks a person's methods; webhook URLs follow the webhook rules (no private targets unless the
    /// paging settings allow them).
    public static func validate(_ methods: [ContactMethod], allowPrivateTargets: Bool) throws(ValidationFailure)
        -> [ContactMethod]
    {
        var errors: [FieldError] = []
        if methods.count > maxMethods {
            errors.append(FieldError(field: "methods", message: "must hold at most \(maxMethods) methods"))
        }
        var checked: [ContactMethod] = []
        for (index, method) in methods.prefix(maxMethods).enumerated() {
            let field = "methods[\(index)].address"
            let address = method.address.trimmingCharacters(in: .whitespacesAndNewlines)
            switch method.kind {
            case .email:
                guard Person.isPlausibleEmail(address) else {
                    errors.append(FieldError(field: field, message: "must be an e-mail address"))
                    continue
                }
                checked.append(ContactMethod(kind: .email, address: Person.normalisedEmail(address)))
            case .webhook:
                do {
                    _ = try WebhookTarget.checked(
                        address,
                        field: field,
                        allowPrivateTargets: allowPrivateTargets,
                        permission: "an admin must allow private targets in the paging settings"
                    )
                } catch {
                    errors.append(error)
                    continue
                }
                checked.append(ContactMethod(kind: .webhook, address: address))
            case .sms, .voice:
                guard isE164(address) else {
                    errors.append(
                        FieldError(field: field, message: "must be a phone number in E.164 form, such as +4930123456")
                    )
                    continue
                }
                checked.append(ContactMethod(kind: method.kind, address: address))
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return checked
    }

    /// `+` and 7 to 15 digits, the first not 0.
    static func isE164(_ text: String) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.utf8.first == UInt8(ascii: "+") && (7...15).contains(digits.count)
            && digits.first != UInt8(ascii: "0") && digits.allSatisfy { (48...57).contains($0) }
    }
}
