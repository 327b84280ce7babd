import Foundation
import Testing
@testable import TierdeskServer

@Suite struct SLAPreviewAPITests {
    @Test func previewFollowsTheContract() async throws {
        try await ServerFixture.with { f in
            let scenario = #"{"calendar": {"timeZone": "Europe/Berlin", "weekly": {"mon": [{"start": "08:00", "end": "17:00"}]}}, "targets": {"firstResponse": 60, "resolution": 120}, "timeline": [{"at": "2026-03-09T08:00:00Z", "event": "pause"}, {"at": "2026-03-06T21:30:00Z", "event": "created"}]}"#
            let response = try await f.call(.post, "/api/v1/sla/preview", as: "lena", json: scenario)
            #expect(response.status == .ok)
            let result = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: [String: Any]]
            #expect(result["firstResponse"]?["due"] as? String == "2026-03-09T08:00:00Z")
            #expect(result["firstResponse"]?["met"] is NSNull && result["firstResponse"]?["paused"] == nil)
            #expect(result["resolution"]?["due"] is NSNull && result["resolution"]?["paused"] as? Bool == true)
            #expect(try await f.call(.post, "/api/v1/sla/preview", as: "alice", json: scenario).status == .forbidden)
        }
    }

    @Test func invalidScenariosAre422NamingTheField() async throws {
        try await ServerFixture.with { f in
            let response = try await f.call(.post, "/api/v1/sla/preview", as: "lena", json: #"{"calendar": {"timeZone": "Nowhere/City", "weekly": {"tue": [{"start": "08:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]}}, "targets": {"resolution": -1}, "timeline": [{"at": "2026-03-06T21:30:00Z", "event": "opened"}]}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try response.problemFields() == ["calendar.timeZone", "calendar.weekly.tue[1]", "targets.resolution", "timeline[0].event", "timeline"])
            let malformed = try await f.call(.post, "/api/v1/sla/preview", as: "lena", json: #"{"targets": [], "timeline": []}"#)
            #expect(try malformed.status == .badRequest && malformed.problemFields() == ["targets"])
        }
    }
}
