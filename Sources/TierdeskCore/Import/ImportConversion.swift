import Foundation

/// Who an imported person is in Tierdesk.
public struct ImportedActor: Sendable, Equatable {
    public var id: UUID
    public var isStaff: Bool

    public init(id: UUID, isStaff: Bool) {
        self.id = id
        self.isStaff = isStaff
    }
}

/// A support group an imported queue became, with the tier it works on if the desk set one.
public struct ImportedGroup: Sendable, Equatable {
    public var name: String
    public var tier: Tier?

    public init(name: String, tier: Tier?) {
        self.name = name
        self.tier = tier
    }
}

/// A file placed in an imported ticket's history.
public struct ImportedAttachment: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: Data
    public var at: Date
    public var by: UUID

    public init(filename: String, contentType: String, data: Data, at: Date, by: UUID) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
        self.at = at
        self.by = by
    }
}

/// A Tierdesk ticket made from an imported one: the row, its events and files, and what had to be adjusted.
public struct ConvertedTicket: Sendable {
    public var ticket: Ticket
    public var events: [TicketEvent]
    public var files: [ImportedAttachment]
    /// Plain sentences on what did not fit (a status the vocabulary lacks, a file too large, a cut text).
    public var notes: [String]
}

/// Turns another desk's ticket into Tierdesk's: statuses and priorities through the source's
/// ``ImportVocabulary``, people and queues through what the import already stored, every event at its
/// original instant by its original author, text and files within Tierdesk's limits. Pure: the caller
/// gives the ids, the number and the people.
public struct ImportConversion: Sendable {
    public var vocabulary: ImportVocabulary
    public var matrix: PriorityMatrix
    /// Names the source in each ticket's `importedFrom` attribute, e.g. `RT rt.example.com`.
    public var sourceLabel: String
    public var maxFileBytes: Int

    public init(vocabulary: ImportVocabulary, matrix: PriorityMatrix, sourceLabel: String, maxFileBytes: Int) {
        self.vocabulary = vocabulary
        self.matrix = matrix
        self.sourceLabel = sourceLabel
        self.maxFileBytes = maxFileBytes
    }

    /// The source people and queues a ticket needs before it can be converted.
    public static func references(of ticket: ImportedTicket) -> (people: Set<String>, queues: Set<String>) {
        var people: Set<String> = [ticket.requester]
        var queues: Set<String> = []
        if let owner = ticket.owner { people.insert(owner) }
        if let queue = ticket.queue { queues.insert(queue) }
        for entry in ticket.entries {
            if let author = entry.author { people.insert(author) }
            switch entry.change {
            case .owner(let from, let to): people.formUnion([from, to].compactMap { $0 })
            case .queue(let from, let to): queues.formUnion([from, to].compactMap { $0 })
            default: break
            }
        }
        return (people, queues)
    }

    /// Converts `source`. `requester` must be a person with an organisation; `people` and `queues` map the
    /// source ids stored so far (an unknown id is reported and left out).
    public func convert(
        _ source: ImportedTicket,
        id: UUID,
        number: Int,
        requester: (id: UUID, organisationID: UUID),
        people: [String: ImportedActor],
        queues: [String: ImportedGroup]
    ) -> ConvertedTicket {
        var notes: [String] = []
        let (status, knownStatus) = vocabulary.status(source.status)
        if !knownStatus { notes.append("status \"\(source.status.prefix(40))\" read as \(status.rawValue)") }
        let priority = priority(source.priority, notes: &notes) ?? .p3
        let (impact, urgency) = matrix.levels(for: priority)
        let group = source.queue.flatMap { queues[$0] }
        var ownerID: UUID?
        if let owner = source.owner {
            if let actor = people[owner], actor.isStaff { ownerID = actor.id } else { notes.append("owner left out") }
        }
        var entries = source.entries[...]
        var description = source.description
        var opener = requester.id
        var openerIsStaff = false
        var openingFiles: [ImportedFile] = []
        if description == nil, let first = entries.first, first.change == .message(isPublic: true) {
            description = first.body
            openingFiles = first.files
            if let author = first.author.flatMap({ people[$0] }) {
                opener = author.id
                openerIsStaff = author.isStaff
            }
            entries = entries.dropFirst()
        }
        var ticket = Ticket(
            id: id,
            number: number,
            type: .incident,
            channel: .api,
            title: Self.title(source.title),
            description: Self.body(description ?? "", notes: &notes),
            requesterID: requester.id,
            organisationID: requester.organisationID,
            serviceID: nil,
            impact: impact,
            urgency: urgency,
            priority: priority,
            severity: Severity(derivedFrom: priority),
            status: status,
            tier: group?.tier ?? .l1,
            group: group?.name,
            ownerID: ownerID,
            vendorID: nil,
            workaroundApplied: false,
            requestedBy: nil,
            version: 1,
            createdAt: source.createdAt,
            updatedAt: source.createdAt
        )
        ticket.attributes = attributes(source, notes: &notes)
        ticket.tags = Array(Set(source.tags.compactMap(TicketAttributes.tag))).sorted()
            .prefix(TicketAttributes.maxTags).map { $0 }

        var events = [
            TicketEvent(
                ticketID: id,
                kind: .created,
                actorID: opener,
                at: source.createdAt,
                after: ticket.reference,
                byStaff: openerIsStaff
            )
        ]
        var files: [ImportedAttachment] = []
        place(
            openingFiles,
            at: source.createdAt,
            by: opener,
            ticketID: id,
            events: &events,
            files: &files,
            notes: &notes
        )
        var current = (status: TicketStatus.new, owner: UUID?.none, group: String?.none)
        if !entries.contains(where: { if case .owner = $0.change { true } else { false } }) {
            current.owner = ownerID
        }
        if !entries.contains(where: { if case .queue = $0.change { true } else { false } }) {
            current.group = group?.name
        }
        for entry in entries {
            let author = entry.author.flatMap { people[$0] }
            if entry.author != nil, author == nil { notes.append("an author of entry \(entry.sourceID) is unknown") }
            func event(_ kind: TicketEventKind, _ field: String?, _ before: String?, _ after: String?) -> TicketEvent {
                TicketEvent(
                    ticketID: id,
                    kind: kind,
                    actorID: author?.id,
                    at: entry.at,
                    field: field,
                    before: before,
                    after: after,
                    byStaff: author?.isStaff ?? false
                )
            }
            switch entry.change {
            case .message(let isPublic):
                let text = Self.body(entry.body ?? "", notes: &notes)
                if !text.trimmingWhitespace().isEmpty {
                    var message = event(isPublic ? .publicReply : .internalNote, nil, nil, nil)
                    message.body = text
                    events.append(message)
                }
            case .status(_, let to):
                let (next, known) = vocabulary.status(to)
                if !known { notes.append("status \"\(to.prefix(40))\" read as \(next.rawValue)") }
                if next != current.status {
                    events.append(event(.statusChanged, "status", current.status.rawValue, next.rawValue))
                    current.status = next
                }
            case .owner(_, let to):
                let next = to.flatMap { people[$0] }.flatMap { $0.isStaff ? $0.id : nil }
                if next != current.owner {
                    events.append(event(.assigned, "ownerId", current.owner?.uuidString, next?.uuidString))
                    current.owner = next
                }
            case .queue(_, let to):
                let next = to.flatMap { queues[$0] }?.name
                if next != current.group {
                    events.append(event(.assigned, "group", current.group, next))
                    current.group = next
                }
            case .title(let from, let to):
                events.append(event(.fieldChanged, "title", from.map(Self.title), Self.title(to)))
            case .priority(let from, let to):
                let before = from.flatMap(vocabulary.priority)?.rawValue
                let after = to.flatMap(vocabulary.priority)?.rawValue
                if before != after { events.append(event(.fieldChanged, "priority", before, after)) }
            case .field(let name, let from, let to):
                guard let key = Self.attributeName(name) else { continue }
                events.append(
                    event(
                        .fieldChanged,
                        "attributes.\(key)",
                        from.map(Self.attributeValue),
                        to.map(Self.attributeValue)
                    )
                )
            }
            // A ticket's files are visible to everyone who sees the ticket: an internal note's stay behind.
            if entry.change == .message(isPublic: false), !entry.files.isEmpty {
                notes.append(
                    "\(entry.files.count) file\(entry.files.count == 1 ? "" : "s") of internal entry \(entry.sourceID) left out: files are visible to the requester"
                )
                continue
            }
            place(
                entry.files,
                at: entry.at,
                by: author?.id ?? requester.id,
                ticketID: id,
                events: &events,
                files: &files,
                notes: &notes
            )
        }
        // The history ends where the source says the ticket stands now.
        let end = max(source.updatedAt ?? source.createdAt, events.last?.at ?? source.createdAt)
        func settle(_ kind: TicketEventKind, _ field: String, _ before: String?, _ after: String?) {
            events.append(
                TicketEvent(ticketID: id, kind: kind, actorID: nil, at: end, field: field, before: before, after: after)
            )
        }
        if current.status != status { settle(.statusChanged, "status", current.status.rawValue, status.rawValue) }
        if current.owner != ownerID { settle(.assigned, "ownerId", current.owner?.uuidString, ownerID?.uuidString) }
        if current.group != group?.name { settle(.assigned, "group", current.group, group?.name) }
        ticket.updatedAt = end
        return ConvertedTicket(ticket: ticket, events: events, files: files, notes: notes)
    }

    private func priority(_ text: String?, notes: inout [String]) -> Priority? {
        guard let text, !text.trimmingWhitespace().isEmpty else { return nil }
        guard let priority = vocabulary.priority(text) else {
            notes.append("priority \"\(text.prefix(40))\" read as P3")
            return nil
        }
        return priority
    }

    private func attributes(_ source: ImportedTicket, notes: inout [String]) -> [String: String] {
        var attributes: [String: String] = [:]
        let origin = "\(sourceLabel) #\(source.sourceID)"
        attributes["importedFrom"] = Self.attributeValue(origin)
        for (name, value) in source.fields.sorted(by: { $0.key < $1.key }) {
            let value = Self.attributeValue(value)
            guard !value.isEmpty else { continue }
            guard let key = Self.attributeName(name), attributes[key] == nil else {
                notes.append("field \"\(name.prefix(40))\" left out: its name does not fit")
                continue
            }
            guard attributes.count < TicketAttributes.maxCount else {
                notes.append("field \"\(name.prefix(40))\" left out: at most \(TicketAttributes.maxCount) attributes")
                continue
            }
            attributes[key] = value
        }
        return attributes
    }

    private func place(
        _ incoming: [ImportedFile],
        at: Date,
        by: UUID,
        ticketID: UUID,
        events: inout [TicketEvent],
        files: inout [ImportedAttachment],
        notes: inout [String]
    ) {
        for file in incoming {
            let name = FileName.cleaned(file.filename).map { String($0.prefix(TextLimits.name)) } ?? "attachment"
            guard !file.data.isEmpty else { continue }
            guard file.data.count <= maxFileBytes else {
                notes.append(
                    "file \"\(name.prefix(80))\" left out: \(file.data.count) bytes, more than \(maxFileBytes)"
                )
                continue
            }
            let type = Self.contentType(file.contentType)
            files.append(ImportedAttachment(filename: name, contentType: type, data: file.data, at: at, by: by))
            events.append(
                TicketEvent(
                    ticketID: ticketID,
                    kind: .attachmentAdded,
                    actorID: by,
                    at: at,
                    field: "attachment",
                    after: name
                )
            )
        }
    }

    /// One line of at most ``TextLimits/title`` characters; "(no subject)" when nothing is left.
    public static func title(_ text: String) -> String {
        let line = singleLine(text)
        return line.isEmpty ? "(no subject)" : String(line.prefix(TextLimits.title))
    }

    /// Text within ``TextLimits/body`` bytes, without NUL characters.
    static func body(_ text: String, notes: inout [String]) -> String {
        var text = text.replacingOccurrences(of: "\u{0}", with: "")
        if text.utf8.count > TextLimits.body {
            notes.append("a text of \(text.utf8.count) bytes was cut to \(TextLimits.body)")
            var cut = Substring(text)
            while cut.utf8.count > TextLimits.body {
                cut = cut.dropLast(max(1, (cut.utf8.count - TextLimits.body) / 4))
            }
            text = String(cut)
        }
        return text
    }

    /// An attribute name from a source field name: letters, digits and `_`, starting with a letter.
    public static func attributeName(_ name: String) -> String? {
        var key = String(
            name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }
        )
        while key.contains("__") { key = key.replacingOccurrences(of: "__", with: "_") }
        key = String(key.drop(while: { !$0.isLetter }))
        while key.hasSuffix("_") { key.removeLast() }
        guard !key.isEmpty else { return nil }
        return String(key.prefix(40))
    }

    static func attributeValue(_ value: String) -> String {
        String(singleLine(value).prefix(TicketAttributes.maxValueCharacters))
    }

    static func contentType(_ type: String) -> String {
        let cleaned = singleLine(type).lowercased()
        return cleaned.isEmpty || cleaned.count > TextLimits.label ? "application/octet-stream" : cleaned
    }

    static func singleLine(_ text: String) -> String {
        let scalars = text.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? " " : Character($0)
        }
        return String(scalars).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
