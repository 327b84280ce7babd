/// Words as a plant's and an office's support desk writes them, drawn with Zipf's law (the n-th most
/// common word n times rarer than the first), plus codes that name one machine, order or error: titles and
/// descriptions that full-text search meets in real desks, where a few words are everywhere and most are rare.
struct DeskText {
    static let things = [
        "printer", "scanner", "handheld", "terminal", "label", "conveyor", "laptop", "monitor", "keyboard", "badge",
        "vpn", "wifi", "network", "server", "database", "mailbox", "phone", "headset", "camera", "plc", "robot",
        "forklift", "scale", "barcode", "report", "invoice", "order", "shipment", "delivery", "pallet", "batch",
        "recipe", "workstation", "tablet", "dashboard", "export", "import", "interface", "certificate", "password",
        "account", "licence", "backup", "firewall", "proxy", "queue", "job", "sensor", "drive", "cable",
    ]
    static let symptoms = [
        "frozen", "jammed", "offline", "slow", "crashed", "missing", "wrong", "failed", "locked", "blank",
        "stuck", "timeout", "error", "duplicate", "corrupt", "unreachable", "expired", "rejected", "flickering",
        "overheating", "disconnected", "hanging", "delayed", "empty", "unreadable",
    ]
    static let places = [
        "dock", "warehouse", "line", "hall", "office", "reception", "lab", "canteen", "gate", "yard", "floor",
        "store", "plant", "site", "branch", "packing", "assembly", "goods", "receipt", "dispatch",
    ]
    static let common = [
        "since", "morning", "again", "after", "update", "restart", "users", "shift", "today", "yesterday", "every",
        "time", "still", "screen", "message", "shows", "cannot", "print", "login", "open", "save", "send", "start",
        "stops", "works", "tried", "replaced", "battery", "cable", "power", "colleague", "customer", "urgent",
        "production", "waiting", "trucks", "orders", "labels", "system", "version", "patch", "firmware", "driver",
        "settings", "profile", "permission", "access", "share", "folder", "file", "attachment", "email", "calendar",
        "meeting", "weekend", "night", "team", "manager", "supplier", "vendor", "invoice", "payment", "stock",
        "count", "cycle", "inventory", "location", "bin", "pick", "pack", "ship", "route", "carrier", "tracking",
    ]
    static let words = things + symptoms + places + common
    /// Cumulative Zipf weights over ``words``, in the order the list gives them.
    static let cumulative: [Double] = {
        var total = 0.0
        return words.indices.map { index in
            total += 1 / Double(index + 1)
            return total
        }
    }()

    /// A word drawn with Zipf's law.
    static func word(_ random: inout SplitMix) -> String {
        let target = random.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return words[low]
    }

    /// A code only a few tickets share: a machine, an order or an error number.
    static func code(_ random: inout SplitMix) -> String {
        let prefixes = ["GR", "PLC", "E", "PO", "SO", "LN", "WS"]
        return prefixes[random.below(prefixes.count)] + "-" + String(random.below(20_000))
    }

    /// "Printer jammed at dock 4".
    static func title(_ random: inout SplitMix) -> String {
        let thing = things[min(random.below(things.count), random.below(things.count))]
        let symptom = symptoms[random.below(symptoms.count)]
        let place = places[random.below(places.count)]
        return "\(thing.prefix(1).uppercased() + thing.dropFirst()) \(symptom) at \(place) \(1 + random.below(12))"
    }

    /// Twelve to thirty words with a code or two.
    static func description(_ random: inout SplitMix) -> String {
        var parts: [String] = []
        for index in 0..<(12 + random.below(19)) {
            parts.append(index % 9 == 4 ? code(&random) : word(&random))
        }
        return parts.joined(separator: " ")
    }

    /// Two to four words, as someone looking for a ticket types them.
    static func query(_ random: inout SplitMix) -> String {
        (0..<(2 + random.below(3))).map { _ in random.below(4) == 0 ? code(&random) : word(&random) }
            .joined(separator: " ")
    }
}
