import Foundation

/// Ticket text made from alerts. Labels, annotations and summaries are untrusted: every piece is cut to
/// size and single-line pieces lose their control characters.
public enum AlertText {
    /// Longest label or annotation value shown, in characters.
    public static let maxValue = 1000
    /// Longest details text shown, in characters.
    public static let maxDetails = 16_000

    /// One line: control characters (line breaks included) become spaces, runs of spaces collapse, and
    /// the text is cut to `max` characters.
    public static func line(_ text: String, max: Int) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
                space = !out.isEmpty
                continue
            }
            if space {
                out.append(" ")
                space = false
            }
            out.append(scalar)
        }
        let line = String(out)
        return line.count > max ? String(line.prefix(max - 1)) + "…" : line
    }

    /// Multi-line text without NUL and other control characters except line breaks and tabs, cut to `max`.
    public static func block(_ text: String, max: Int) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars
        where scalar == "\n" || scalar == "\t" || scalar.properties.generalCategory != .control {
            out.append(scalar)
        }
        let block = String(out)
        return block.count > max ? String(block.prefix(max - 1)) + "…" : block
    }

    public static func sourceName(_ kind: Integration.Kind) -> String {
        switch kind {
        case .alertmanager: "Alertmanager"
        case .grafana: "Grafana"
        case .events: "Events API"
        case .mailgate: "Mail"
        }
    }

    public static func title(_ signal: AlertSignal) -> String {
        line("[\(sourceName(signal.source))] \(signal.summary)", max: TextLimits.title)
    }

    public static func description(_ signal: AlertSignal) -> String {
        var parts = [line(signal.summary, max: TextLimits.title)]
        let details = block(signal.details, max: maxDetails).trimmingWhitespace()
        if !details.isEmpty { parts.append(details) }
        if !signal.labels.isEmpty {
            parts.append(
                "Labels:\n"
                    + signal.labels.sorted { $0.key < $1.key }
                    .map { "  \(line($0.key, max: 100)) = \(line($0.value, max: maxValue))" }.joined(separator: "\n")
            )
        }
        var facts = ["Source: \(sourceName(signal.source))", "Key: \(line(signal.key, max: AlertSignal.maxKeyLength))"]
        if let started = signal.startedAt { facts.append("Started: \(Timestamp.format(started))") }
        if let link = signal.link, !link.isEmpty { facts.append("Link: \(line(link, max: 2000))") }
        parts.append(facts.joined(separator: "\n"))
        return parts.joined(separator: "\n\n")
    }
}
