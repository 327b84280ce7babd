import Foundation

/// An amount in a currency's minor unit (pence, cents), so sums never drift.
public struct Money: Sendable, Equatable, Hashable, Codable {
    /// Amount in minor units (1/100 of the currency unit).
    public var minor: Int
    /// ISO 4217 code, such as `GBP`.
    public var currency: String

    public init(minor: Int, currency: String) {
        self.minor = minor
        self.currency = currency
    }

    /// The cost in minor units of `minutes` at `ratePerHour` (minor units per hour), rounded half up.
    public static func minor(forMinutes minutes: Int, ratePerHour: Int) -> Int {
        (minutes * ratePerHour + 30) / 60
    }

    /// `GBP 1234.50`: the code, then the amount with two decimals (no grouping, so it reads the same in any locale).
    public var text: String { "\(currency) \(Self.decimal(minor))" }

    /// The amount alone with two decimals, as CSV and JSON carry it: `1234.50`, `-3.05`.
    public static func decimal(_ minor: Int) -> String {
        let sign = minor < 0 ? "-" : ""
        let value = minor.magnitude
        return "\(sign)\(value / 100).\(String(format: "%02d", Int(value % 100)))"
    }

    /// Whether a currency code is three capital letters.
    public static func isCurrencyCode(_ code: String) -> Bool {
        code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }
    }

    /// Parses an amount as people type it in a form: `1,450.00` (comma for thousands) or `70,50` (a decimal
    /// comma, when it is the only separator and one or two digits follow it).
    public static func minorUnits(typed text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        if !trimmed.contains("."), let comma = trimmed.lastIndex(of: ","),
            (1...2).contains(trimmed.distance(from: comma, to: trimmed.endIndex) - 1),
            trimmed.filter({ $0 == "," }).count == 1
        {
            return minorUnits(trimmed.replacingOccurrences(of: ",", with: "."))
        }
        return minorUnits(trimmed.replacingOccurrences(of: ",", with: ""))
    }

    /// Parses a decimal amount such as `85`, `85.5` or `85.50` into minor units; nil for anything else
    /// (negative, more than two decimals, more than a billion).
    public static func minorUnits(_ text: String) -> Int? {
        let parts = text.trimmingWhitespace().split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole <= 1_000_000_000,
            parts[0].allSatisfy(\.isNumber)
        else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        let fraction = parts[1]
        guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isNumber), let cents = Int(fraction) else {
            return nil
        }
        return whole * 100 + (fraction.count == 1 ? cents * 10 : cents)
    }
}
