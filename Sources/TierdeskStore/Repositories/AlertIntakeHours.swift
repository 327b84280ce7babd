import Foundation
import SQLKit

/// The alert tickets opened in each clock hour (UTC), one row per hour, so the storm limit costs one short
/// statement per batch whatever the number of tickets. The row stays locked until the batch's transaction
/// ends, so instances sharing PostgreSQL count together.
enum AlertIntakeHours {
    /// Reserves up to `wanted` openings in the hour of `now` under `limit`; returns how many were granted.
    static func reserve(_ wanted: Int, limit: Int, at now: Date, on sql: any SQLDatabase) async throws -> Int {
        let hour = Int64((now.timeIntervalSince1970 / 3600).rounded(.down))
        let query: SQLQueryString = """
            INSERT INTO "alert_intake_hours" ("hour", "opened") VALUES (\(bind: hour), \(bind: wanted))
            ON CONFLICT ("hour") DO UPDATE SET "opened" = "alert_intake_hours"."opened" + \(bind: wanted)
            RETURNING "opened"
            """
        let total = try await sql.raw(query).first(decodingColumn: "opened", as: Int.self) ?? wanted
        guard total > limit else { return wanted }
        // Past the limit: keep the count at the limit, and grant what was left below it.
        try await sql.update("alert_intake_hours").set("opened", to: SQLBind(max(limit, total - wanted)))
            .where("hour", .equal, SQLBind(hour)).run()
        return max(0, limit - (total - wanted))
    }
}
