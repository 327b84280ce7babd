import Foundation

/// Small charts drawn on the server as inline SVG: no script, readable in a screenshot, and accessible
/// through a title and a description that spell out every value.
enum SVGChart {
    /// A series of values over labelled points, e.g. a control's share over twelve periods.
    struct Series {
        var name: String
        var values: [Double?]
    }

    static let width = 560.0
    static let height = 180.0
    static let left = 40.0
    static let bottom = 24.0
    static let top = 10.0
    static let palette = ["#0b5cad", "#1a7f37", "#b54708", "#8250df", "#57606a"]

    /// A line of shares (0 to 1) with the threshold drawn across; gaps where a period has no value.
    static func shareLine(id: String, title: String, labels: [String], values: [Double?], threshold: Double?)
        -> String
    {
        let plot = plotArea()
        let step = labels.count > 1 ? plot.width / Double(labels.count - 1) : 0
        var body = axis(maximum: 1, format: { "\(Int(($0 * 100).rounded())) %" })
        if let threshold {
            let y = plot.y(threshold, of: 1)
            body +=
                "<line x1=\"\(left)\" x2=\"\(width)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#b42318\" stroke-dasharray=\"4 3\"/>"
        }
        var segment: [String] = []
        var segments: [[String]] = []
        for (index, value) in values.enumerated() {
            guard let value else {
                if !segment.isEmpty { segments.append(segment) }
                segment = []
                continue
            }
            segment.append("\(fmt(left + Double(index) * step)),\(fmt(plot.y(value, of: 1)))")
        }
        if !segment.isEmpty { segments.append(segment) }
        for points in segments {
            body +=
                "<polyline fill=\"none\" stroke=\"\(palette[0])\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            for point in points {
                let xy = point.split(separator: ",")
                body += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(palette[0])\"/>"
            }
        }
        body += xLabels(labels, step: step, centred: false)
        let description = zip(labels, values)
            .map { "\($0): \($1.map { "\(Int(($0 * 100).rounded())) %" } ?? "no data")" }
            .joined(separator: "; ")
        return svg(id: id, title: title, description: description, body: body)
    }

    /// Bars side by side per label, one per series (e.g. opened and resolved per period).
    static func bars(id: String, title: String, labels: [String], series: [Series]) -> String {
        let plot = plotArea()
        let maximum = max(1, series.flatMap { $0.values.compactMap { $0 } }.max() ?? 1)
        let group = plot.width / Double(max(labels.count, 1))
        let bar = group * 0.8 / Double(max(series.count, 1))
        var body = axis(maximum: maximum, format: { String(Int($0.rounded())) })
        for (s, line) in series.enumerated() {
            for (index, value) in line.values.enumerated() {
                let value = value ?? 0
                let x = left + Double(index) * group + group * 0.1 + Double(s) * bar
                let y = plot.y(value, of: maximum)
                body +=
                    "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(bar))\" height=\"\(fmt(plot.bottom - y))\" fill=\"\(palette[s % palette.count])\"/>"
            }
        }
        body += xLabels(labels, step: group, centred: true)
        body += legend(series.map(\.name))
        let description = labels.enumerated()
            .map { index, label in
                "\(label): "
                    + series.map { "\($0.name) \(Int(($0.values[index] ?? 0).rounded()))" }.joined(separator: ", ")
            }
            .joined(separator: "; ")
        return svg(id: id, title: title, description: description, body: body)
    }

    /// One bar per label, each split into the series' shares of the label's total (e.g. tickets resolved per
    /// tier in each period).
    static func stackedShare(id: String, title: String, labels: [String], series: [Series]) -> String {
        let plot = plotArea()
        let group = plot.width / Double(max(labels.count, 1))
        var body = axis(maximum: 1, format: { "\(Int(($0 * 100).rounded())) %" })
        var description: [String] = []
        for index in labels.indices {
            let total = series.reduce(0) { $0 + ($1.values[index] ?? 0) }
            var base = 0.0
            var parts: [String] = []
            for (s, line) in series.enumerated() {
                let value = line.values[index] ?? 0
                guard total > 0 else { continue }
                let share = value / total
                let y = plot.y(base + share, of: 1)
                let x = left + Double(index) * group + group * 0.15
                body +=
                    "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(group * 0.7))\" height=\"\(fmt(plot.y(base, of: 1) - y))\" fill=\"\(palette[s % palette.count])\"/>"
                base += share
                parts.append("\(line.name) \(Int((share * 100).rounded())) %")
            }
            description.append("\(labels[index]): " + (total > 0 ? parts.joined(separator: ", ") : "none"))
        }
        body += xLabels(labels, step: group, centred: true)
        body += legend(series.map(\.name))
        return svg(id: id, title: title, description: description.joined(separator: "; "), body: body)
    }

    struct Plot {
        var width: Double
        var bottom: Double
        var height: Double
        func y(_ value: Double, of maximum: Double) -> Double { bottom - height * min(max(value / maximum, 0), 1) }
    }

    static func plotArea() -> Plot {
        Plot(width: width - left - 8, bottom: height - bottom, height: height - bottom - top - 14)
    }

    static func axis(maximum: Double, format: (Double) -> String) -> String {
        let plot = plotArea()
        var body = ""
        for fraction in [0, 0.5, 1.0] {
            let y = plot.y(fraction * maximum, of: maximum)
            body += "<line x1=\"\(left)\" x2=\"\(width)\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\" stroke=\"#d0d7de\"/>"
            body +=
                "<text x=\"\(left - 4)\" y=\"\(fmt(y + 4))\" text-anchor=\"end\" font-size=\"10\">\(escape(format(fraction * maximum)))</text>"
        }
        return body
    }

    static func xLabels(_ labels: [String], step: Double, centred: Bool) -> String {
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        return labels.enumerated().filter { $0.offset % every == 0 || $0.offset == labels.count - 1 }
            .map {
                let x = left + Double($0.offset) * step + (centred ? step / 2 : 0)
                return
                    "<text x=\"\(fmt(x))\" y=\"\(fmt(height - 6))\" text-anchor=\"middle\" font-size=\"10\">\(escape($0.element))</text>"
            }
            .joined()
    }

    static func legend(_ names: [String]) -> String {
        names.enumerated()
            .map { index, name in
                let x = left + Double(index) * 90
                return
                    "<rect x=\"\(fmt(x))\" y=\"0\" width=\"10\" height=\"10\" fill=\"\(palette[index % palette.count])\"/>"
                    + "<text x=\"\(fmt(x + 14))\" y=\"9\" font-size=\"10\">\(escape(name))</text>"
            }
            .joined()
    }

    static func svg(id: String, title: String, description: String, body: String) -> String {
        "<svg class=\"chart\" id=\"\(escape(id))\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "aria-labelledby=\"\(escape(id))-title \(escape(id))-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title id=\"\(escape(id))-title\">\(escape(title))</title>"
            + "<desc id=\"\(escape(id))-desc\">\(escape(description))</desc>" + body + "</svg>"
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Escapes text for SVG (XML) content and attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
