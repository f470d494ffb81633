import Testing

@testable import LineageLoaders

/// Events held in memory, as the lineage server takes them: cutting a body into
/// events, checking one, and reading them into a mesh.
@Suite struct OpenLineageDocumentsTests {
  static let event =
    #"{"eventTime":"2024-01-01T00:00:00Z","eventType":"COMPLETE","run":{"runId":"r1"},"job":{"namespace":"n","name":"j"},"inputs":[{"namespace":"n","name":"a"}],"outputs":[{"namespace":"n","name":"b"}]}"#

  @Test func aBodyIsOneEventOrAnArrayOfThem() {
    #expect(
      OpenLineageImporter.split(events: Array(Self.event.utf8)) == .events([Array(Self.event.utf8)], isArray: false))
    let two = "\u{FEFF} [ \(Self.event) ,\n\(Self.event) ]\n"
    #expect(
      OpenLineageImporter.split(events: Array(two.utf8))
        == .events([Array(Self.event.utf8), Array(Self.event.utf8)], isArray: true))
    #expect(OpenLineageImporter.split(events: Array("[]".utf8)) == .events([], isArray: true))
  }

  @Test(arguments: [
    ("", "the body is empty"),
    ("42", "must be a JSON object"),
    ("[{\"a\": 1}", "line 1, column 10: unexpected end of input inside the array of events"),
    ("[{\"a\": 1}] x", "text after the array of events"),
    ("[{\"a\": 1} {\"b\": 2}]", "expected ',' or ']' in the array of events"),
    ("[\n" + String(repeating: "[", count: 20_000), "line 2, column 10002: nesting deeper than 10000 levels"),
  ])
  func aBodyThatIsNotEventsSaysWhere(_ body: String, _ message: String) {
    guard case .malformed(let text) = OpenLineageImporter.split(events: Array(body.utf8)) else {
      Issue.record("\(body.prefix(20)) was taken")
      return
    }
    #expect(text.contains(message), "\(text)")
  }

  @Test func oneEventIsAcceptedMalformedOrIncomplete() {
    #expect(
      OpenLineageImporter.check(event: Array(Self.event.utf8))
        == .accepted(kind: "RunEvent", eventTime: "2024-01-01T00:00:00Z"))
    #expect(
      OpenLineageImporter.check(event: Array(#"{"run":{},"job":{"namespace":"n","name":"j"}}"#.utf8))
        == .incomplete("run.runId is missing"))
    guard case .malformed(let m) = OpenLineageImporter.check(event: Array(#"{"run":{"runId":5}}"#.utf8)) else {
      Issue.record("a number runId was taken")
      return
    }
    #expect(m.contains("run.runId must be a string"))
    guard case .malformed(let j) = OpenLineageImporter.check(event: Array("{\"run\":\n{".utf8)) else {
      Issue.record("truncated JSON was taken")
      return
    }
    #expect(j.contains("line 2"), "\(j)")
  }

  @Test func documentsReadAsFilesDoAndABrokenOneIsAFinding() {
    let (mesh, findings) = OpenLineageImporter().load(documents: [
      OpenLineageDocument(bytes: Array(Self.event.utf8), label: "event 1"),
      OpenLineageDocument(bytes: Array("{\"x\":".utf8), label: "event 2"),
    ])
    #expect(mesh.nodes.map(\.id).sorted() == ["n:a", "n:b"])
    #expect(findings.contains { $0.rule == "invalid-json" && $0.location?.file == "event 2" })
  }
}
