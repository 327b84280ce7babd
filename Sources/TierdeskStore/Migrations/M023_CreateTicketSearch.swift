import FluentKit
import SQLKit

/// Full-text search over tickets, one index row per ticket kept in step by triggers, so every way a ticket
/// or its history is written (the API, mail, imports, batches) is searchable without the code remembering:
/// - the subject (title, weighted highest), the public body (description and public replies) and the staff
///   notes (internal notes, escalation and de-escalation texts) — requesters and vendors match only the first
///   two;
/// - a changed title replaces the old one; a changed description and every reply or note are added (each part
///   holds at most ``maxCharacters`` of text on SQLite and ``maxLexemes`` words on PostgreSQL, so a long
///   thread cannot make each write slower);
/// - SQLite: an FTS5 table whose rowid is the ticket number (Porter stems, diacritics removed, prefix
///   indexes for starts of three to six letters, so the last word of a search is read as a word start in
///   order, like a word). Its `scope` column holds who may see the ticket as words (``scope``):
///   a requester's or vendor's search is then one full-text query, which FTS5 answers from its own index,
///   where a join would run the full-text query again for every ticket they may see;
/// - PostgreSQL: `ticket_search` with `tsvector`s (`english`) and GIN indexes on the public part and on the
///   whole; its planner checks a few visible tickets' vectors directly.
///
/// The organisation index gains the ticket number, so an organisation's newest tickets are a range of it.
struct M023_CreateTicketSearch: AsyncMigration {
    var name: String { "M023_CreateTicketSearch" }

    static let maxCharacters = 100_000
    /// SQLite keeps prefix indexes for word starts of three to this many letters.
    static let longestPrefix = 6
    static let maxLexemes = 20_000
    /// Event kinds whose text is a staff note.
    static let noteKinds = "'internal_note', 'escalated', 'deescalated'"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let statements = sql.engine == .postgresql ? Self.postgres : Self.sqlite
        for statement in statements + Self.organisationIndex {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let statements =
            sql.engine == .postgresql
            ? [
                "DROP TRIGGER ticket_search_on_event ON ticket_events",
                "DROP TRIGGER ticket_search_on_update ON tickets",
                "DROP TRIGGER ticket_search_on_insert ON tickets",
                "DROP FUNCTION ticket_search_append()",
                "DROP FUNCTION ticket_search_retext()",
                "DROP FUNCTION ticket_search_add()",
                "DROP TABLE ticket_search",
            ]
            : [
                "DROP TRIGGER ticket_search_on_note", "DROP TRIGGER ticket_search_on_reply",
                "DROP TRIGGER ticket_search_on_delete", "DROP TRIGGER ticket_search_on_scope",
                "DROP TRIGGER ticket_search_on_description",
                "DROP TRIGGER ticket_search_on_title", "DROP TRIGGER ticket_search_on_insert",
                "DROP TABLE ticket_search",
            ]
        for statement in statements + [
            "DROP INDEX tickets_organisation_number_idx",
            "CREATE INDEX tickets_organisation_idx ON tickets (organisation_id)",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    static let organisationIndex = [
        "CREATE INDEX tickets_organisation_number_idx ON tickets (organisation_id, number)",
        "DROP INDEX tickets_organisation_idx",
    ]

    /// The words that say who may see a ticket: `r`, `o` or `v` and the requester's, organisation's or
    /// vendor's id without dashes, ending in `0` so the Porter stemmer leaves them whole
    /// (``TicketRepository/scopeWord(_:_:)`` writes the same words for a query).
    static let scope = """
        'r' || replace(new.requester_id, '-', '') || '0 o' || replace(new.organisation_id, '-', '') || '0'
        || coalesce(' v' || replace(new.vendor_id, '-', '') || '0', '')
        """

    /// The ticket number of an event's ticket.
    static let eventTicket = "(SELECT number FROM tickets WHERE id = new.ticket_id)"

    static let sqlite = [
        """
        CREATE VIRTUAL TABLE ticket_search USING fts5(subject, body, notes, scope,
        tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3 4 5 6', detail = column)
        """,
        """
        CREATE TRIGGER ticket_search_on_insert AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_search (rowid, subject, body, notes, scope)
        VALUES (new.number, new.title, new.description, '', \(scope));
        END
        """,
        """
        CREATE TRIGGER ticket_search_on_scope AFTER UPDATE OF requester_id, organisation_id, vendor_id ON tickets
        WHEN new.requester_id IS NOT old.requester_id OR new.organisation_id IS NOT old.organisation_id
        OR new.vendor_id IS NOT old.vendor_id BEGIN
        UPDATE ticket_search SET scope = \(scope) WHERE rowid = new.number;
        END
        """,
        """
        CREATE TRIGGER ticket_search_on_title AFTER UPDATE OF title ON tickets WHEN new.title <> old.title BEGIN
        UPDATE ticket_search SET subject = new.title WHERE rowid = new.number;
        END
        """,
        """
        CREATE TRIGGER ticket_search_on_description AFTER UPDATE OF description ON tickets
        WHEN new.description <> old.description BEGIN
        UPDATE ticket_search SET body = body || char(10) || new.description
        WHERE rowid = new.number AND length(body) < \(maxCharacters);
        END
        """,
        """
        CREATE TRIGGER ticket_search_on_delete AFTER DELETE ON tickets BEGIN
        DELETE FROM ticket_search WHERE rowid = old.number;
        END
        """,
        """
        CREATE TRIGGER ticket_search_on_reply AFTER INSERT ON ticket_events
        WHEN new.kind = 'public_reply' AND new.body IS NOT NULL BEGIN
        UPDATE ticket_search SET body = body || char(10) || new.body
        WHERE rowid = \(eventTicket) AND length(body) < \(maxCharacters);
        END
        """,
        """
        CREATE TRIGGER ticket_search_on_note AFTER INSERT ON ticket_events
        WHEN new.kind IN (\(noteKinds)) AND new.body IS NOT NULL BEGIN
        UPDATE ticket_search SET notes = notes || char(10) || new.body
        WHERE rowid = \(eventTicket) AND length(notes) < \(maxCharacters);
        END
        """,
        """
        INSERT INTO ticket_search (rowid, subject, body, notes, scope)
        SELECT new.number, new.title,
        new.description || coalesce((SELECT char(10) || group_concat(e.body, char(10)) FROM ticket_events e
          WHERE e.ticket_id = new.id AND e.kind = 'public_reply' AND e.body IS NOT NULL), ''),
        coalesce((SELECT group_concat(e.body, char(10)) FROM ticket_events e
          WHERE e.ticket_id = new.id AND e.kind IN (\(noteKinds)) AND e.body IS NOT NULL), ''),
        \(scope)
        FROM tickets new
        """,
    ]

    static let postgres = [
        """
        CREATE TABLE ticket_search (
        ticket_number bigint PRIMARY KEY REFERENCES tickets (number) ON DELETE CASCADE,
        public tsvector NOT NULL, internal tsvector NOT NULL)
        """,
        "CREATE INDEX ticket_search_public_idx ON ticket_search USING GIN (public)",
        "CREATE INDEX ticket_search_staff_idx ON ticket_search USING GIN ((public || internal))",
        """
        CREATE FUNCTION ticket_search_add() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO ticket_search (ticket_number, public, internal)
          SELECT number, setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', description), 'B'), ''::tsvector FROM changed;
          RETURN NULL;
        END $$
        """,
        """
        CREATE FUNCTION ticket_search_retext() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE ticket_search SET public = setweight(to_tsvector('english', NEW.title), 'A')
            || ts_filter(public, '{b}')
            || CASE WHEN NEW.description IS DISTINCT FROM OLD.description AND length(public) < \(maxLexemes)
              THEN setweight(to_tsvector('english', NEW.description), 'B') ELSE ''::tsvector END
          WHERE ticket_number = NEW.number;
          RETURN NULL;
        END $$
        """,
        """
        CREATE FUNCTION ticket_search_append() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.kind = 'public_reply' THEN
            UPDATE ticket_search s SET public = s.public || setweight(to_tsvector('english', NEW.body), 'B')
            FROM tickets t WHERE t.id = NEW.ticket_id AND s.ticket_number = t.number
            AND length(s.public) < \(maxLexemes);
          ELSE
            UPDATE ticket_search s SET internal = s.internal || to_tsvector('english', NEW.body)
            FROM tickets t WHERE t.id = NEW.ticket_id AND s.ticket_number = t.number
            AND length(s.internal) < \(maxLexemes);
          END IF;
          RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER ticket_search_on_insert AFTER INSERT ON tickets
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_search_add()
        """,
        """
        CREATE TRIGGER ticket_search_on_update AFTER UPDATE OF title, description ON tickets FOR EACH ROW
        WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description)
        EXECUTE FUNCTION ticket_search_retext()
        """,
        """
        CREATE TRIGGER ticket_search_on_event AFTER INSERT ON ticket_events FOR EACH ROW
        WHEN (NEW.body IS NOT NULL AND NEW.kind IN ('public_reply', \(noteKinds)))
        EXECUTE FUNCTION ticket_search_append()
        """,
        """
        INSERT INTO ticket_search (ticket_number, public, internal)
        SELECT t.number, setweight(to_tsvector('english', t.title), 'A')
          || setweight(to_tsvector('english', t.description || ' ' || coalesce((SELECT string_agg(e.body, ' ')
            FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'public_reply'), '')), 'B'),
          to_tsvector('english', coalesce((SELECT string_agg(e.body, ' ') FROM ticket_events e
            WHERE e.ticket_id = t.id AND e.kind IN (\(noteKinds))), ''))
        FROM tickets t
        """,
    ]
}
