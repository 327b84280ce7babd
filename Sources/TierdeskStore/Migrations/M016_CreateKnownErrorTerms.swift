import FluentKit
import SQLKit

/// On PostgreSQL, a narrow word → article table beside the full-text index: suggestion search looks each
/// word's newest articles up in its B-tree alone, where the GIN index sent every lookup to the table rows.
/// Statement-level triggers keep it in step with `known_errors.search`. SQLite's FTS5 index needs nothing.
struct M016_CreateKnownErrorTerms: AsyncMigration {
    var name: String { "M016_CreateKnownErrorTerms" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.engine == .postgresql else { return }
        for statement in [
            "CREATE TABLE known_error_terms (term text NOT NULL, number bigint NOT NULL, PRIMARY KEY (term, number))",
            "CREATE INDEX known_error_terms_number_idx ON known_error_terms (number)",
            """
            CREATE FUNCTION known_error_terms_add() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO known_error_terms (term, number) SELECT DISTINCT unnest(tsvector_to_array(search)), number FROM changed;
              RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION known_error_terms_replace() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              DELETE FROM known_error_terms WHERE number IN (SELECT number FROM gone);
              INSERT INTO known_error_terms (term, number) SELECT DISTINCT unnest(tsvector_to_array(search)), number FROM changed;
              RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION known_error_terms_remove() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              DELETE FROM known_error_terms WHERE number IN (SELECT number FROM gone);
              RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER known_error_terms_on_insert AFTER INSERT ON known_errors REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION known_error_terms_add()",
            "CREATE TRIGGER known_error_terms_on_update AFTER UPDATE ON known_errors REFERENCING OLD TABLE AS gone NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION known_error_terms_replace()",
            "CREATE TRIGGER known_error_terms_on_delete AFTER DELETE ON known_errors REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION known_error_terms_remove()",
            "INSERT INTO known_error_terms (term, number) SELECT DISTINCT unnest(tsvector_to_array(search)), number FROM known_errors",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.engine == .postgresql else { return }
        for statement in [
            "DROP TRIGGER known_error_terms_on_delete ON known_errors",
            "DROP TRIGGER known_error_terms_on_update ON known_errors",
            "DROP TRIGGER known_error_terms_on_insert ON known_errors",
            "DROP FUNCTION known_error_terms_remove()",
            "DROP FUNCTION known_error_terms_replace()",
            "DROP FUNCTION known_error_terms_add()",
            "DROP TABLE known_error_terms",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }
}
