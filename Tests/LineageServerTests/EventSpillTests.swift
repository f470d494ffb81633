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

  @Test func bodiesAreReadBackAsTheyWereKept() throws {
    let spill = EventSpill()
    let places = Self.documents.map { spill.keep($0) }
    for p in places {
      guard case .file = p else {
        Issue.record("kept in memory, though the file could be written")
        return
      }
    }
    // In any order, any number of times.
    for i in places.indices.reversed() { #expect(try spill.document(places[i]) == Self.documents[i]) }
    for i in places.indices { #expect(try spill.document(places[i]) == Self.documents[i]) }
    #expect(
      try spill.document(spill.keep(OpenLineageDocument(bytes: [], label: "")))
        == OpenLineageDocument(bytes: [], label: "")
    )
  }

  @Test func withoutAFileTheBodiesStayInMemory() throws {
    let spill = EventSpill(directory: "/nonexistent-directory-\(UUID().uuidString)")
    let places = Self.documents.map { spill.keep($0) }
    for (i, p) in places.enumerated() {
      guard case .memory(let d) = p else {
        Issue.record("kept in a file that could not be made")
        return
      }
      #expect(d == Self.documents[i])
      #expect(try spill.document(p) == Self.documents[i])
    }
  }

  /// A file cut short under the server (the disk failed) is an error that names the
  /// file and what to do, not a crash.
  @Test func aBodyThatCannotBeReadBackIsAnError() throws {
    let spill = EventSpill()
    let place = spill.keep(Self.documents[7])
    #expect(ftruncate(spill.fd, 3) == 0)
    #expect {
      try spill.document(place)
    } throws: { error in
      (error as? StoreError)?.message.contains("spill file") == true
        && (error as? StoreError)?.message.contains("restart the server") == true
    }
  }
}

/// The server's state when the events' bodies cannot be read back: the questions that
/// need them fail (the server answers 503), and the state keeps taking events.
@Suite struct UnreadableSpillTests {
  @Test func aQuestionThatNeedsTheBodiesFailsWithAStoreError() async throws {
    let dir = NSTemporaryDirectory() + "lineage-spill-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let state = try await LineageState(store: try SQLiteEventStore(path: dir + "/events.db"))
    for i in 0..<3 { #expect(try await state.ingest([LineageStateTests.chained(i, second: i)]) == 1) }
    #expect(await state.eventCount == 3)
    #expect(ftruncate(await state.spill.fd, 0) == 0)
    // The present graph reads the events waiting unread; a graph as of a time reads
    // the events up to it.
    await #expect(throws: StoreError.self) { try await state.model() }
    await #expect(throws: StoreError.self) { try await state.model(asOf: 1_704_067_201) }
    // Drift reads the bodies one at a time from where the state says they are.
    let (_, events) = await state.driftInputs()
    #expect(events.places.count == 3)
    #expect(throws: StoreError.self) {
      try ObservedEvents.read(count: events.places.count) { (i) throws(StoreError) in
        try events.spill.document(events.places[i])
      }
    }
  }
}
