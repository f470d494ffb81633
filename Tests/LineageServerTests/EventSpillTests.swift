import Foundation
import LineageLoaders
import Testing

@testable import LineageServer

/// The events' bodies kept in a file instead of memory.
@Suite struct EventSpillTests {
  static let documents = (0..<200).map { i in
    OpenLineageDocument(
      bytes: Array(#"{"eventTime":"2024-01-01T00:00:00Z","n":\#(i),"s":"\#(String(repeating: "é", count: i))"}"#.utf8),
      label: i % 3 == 0 ? "event \(i)" : "event at 2024-01-01T00:00:0\(i % 10)Z ü")
  }

  @Test func bodiesAreReadBackAsTheyWereKept() {
    let spill = EventSpill()
    let places = Self.documents.map { spill.keep($0) }
    for p in places {
      guard case .file = p else {
        Issue.record("kept in memory, though the file could be written")
        return
      }
    }
    // In any order, any number of times.
    for i in places.indices.reversed() { #expect(spill.document(places[i]) == Self.documents[i]) }
    for i in places.indices { #expect(spill.document(places[i]) == Self.documents[i]) }
    #expect(
      spill.document(spill.keep(OpenLineageDocument(bytes: [], label: ""))) == OpenLineageDocument(bytes: [], label: "")
    )
  }

  @Test func withoutAFileTheBodiesStayInMemory() {
    let spill = EventSpill(directory: "/nonexistent-directory-\(UUID().uuidString)")
    let places = Self.documents.map { spill.keep($0) }
    for (i, p) in places.enumerated() {
      guard case .memory(let d) = p else {
        Issue.record("kept in a file that could not be made")
        return
      }
      #expect(d == Self.documents[i])
      #expect(spill.document(p) == Self.documents[i])
    }
  }
}
