import Foundation
import Testing
import TierdeskCore

@testable import TierdeskStore

/// The Known Error Database answers the same on SQLite (FTS5) and PostgreSQL (tsvector).
@Suite struct KnownErrorRepositoryTests {
    static let articles = [
        KnownErrorDraft(
            title: "Scanner unresponsive at goods receipt",
            symptom: "Handheld scanners freeze and stop reading barcodes.",
            rootCause: "Battery below 10 % drops the Wi-Fi profile.",
            workaround: "Replace the battery, then re-join the GR Wi-Fi profile."
        ),
        KnownErrorDraft(
            title: "Cannot log in to the MES terminal",
            symptom: "Badge login fails with 'unknown user'.",
            rootCause: "The account is missing from the MES-Operators directory group.",
            workaround: "Add the user to MES-Operators and let them log in again."
        ),
        KnownErrorDraft(
            title: "ERP posting of goods movements fails",
            symptom: "Posting rejected with error M7 021.",
            rootCause: "Defect in the ERP support package.",
            workaround: "Post the movement manually in the ERP.",
            fixStatus: .fixInProgress,
            lowestTier: .l2
        ),
        KnownErrorDraft(
            title: "Label printer prints blank labels",
            symptom: "Empty labels after a ribbon change.",
            rootCause: "Ribbon sensor not calibrated.",
            workaround: "Run the calibration from the printer menu."
        ),
    ]

    @Test func searchFindsTheBestArticleAndIgnoresQuerySyntax() async throws {
        try await StoreFixture.with { f in
            let repository = KnownErrorRepository(f.database)
            var created: [KnownError] = []
            for draft in Self.articles {
                created.append(try await repository.create(draft, by: f.agent.id, at: StoreFixture.t0))
            }
            #expect(created.map(\.reference) == ["KE-1", "KE-2", "KE-3", "KE-4"])

            #expect(
                try await repository.search("The scanners froze again after the battery swap").first?.reference
                    == "KE-1"
            )
            #expect(
                try await repository.search("login fails: unknown user at the MES terminal").first?.reference == "KE-2"
            )
            #expect(try await repository.search("Goods movement posting rejected M7 021").first?.reference == "KE-3")
            #expect(try await repository.search("printing labels blank").first?.reference == "KE-4")
            #expect(try await repository.search("the and of").isEmpty)
            // Query syntax in the text is only words: the scanner article still comes first, nothing breaks.
            #expect(
                try await repository.search(#"scanner" OR NEAR( * -- ' ; DROP TABLE known_errors ) battery"#).first?
                    .reference == "KE-1"
            )
            #expect(try await repository.recent().count == 4)
            #expect(try await repository.search("nothing matches zyxwvut").isEmpty)

            // A changed article is found by its new words only.
            var changed = Self.articles[3]
            changed.title = "Thermal printer skips every second label"
            changed.symptom = "Every other label stays white."
            changed.rootCause = "Gap sensor dirty."
            changed.workaround = "Clean the gap sensor."
            let updated = try #require(
                try await repository.update(number: 4, with: changed, at: StoreFixture.t0.addingTimeInterval(60))
            )
            #expect(updated.title == changed.title && updated.createdAt == StoreFixture.t0)
            #expect(try await repository.search("thermal gap sensor").first?.reference == "KE-4")
            #expect(try await repository.search("ribbon calibration").isEmpty)
            #expect(try await repository.update(number: 99, with: changed, at: StoreFixture.t0) == nil)
            #expect(try await repository.recent(limit: 2).map(\.reference) == ["KE-4", "KE-3"])
            #expect(try await repository.find(id: created[2].id)?.lowestTier == .l2)
        }
    }
}
