import Foundation
import LineageLoaders
import PropertyBased
import Testing

@testable import LineageServer

/// The events' bodies kept in a file instead of memory.
@Suite struct EventSpillTests {
  static let documents = (0..<200).map { i in
    OpenLineageDocument(
      bytes: Array(#"{"eventTime":"2024-01-01T00:00:00Z","n":\#(i),"s":"\#(String(repeating: "é", count: i))"}"#.utf8),
      label: i % 3 == 0 ? "event \(i)" : "event at 2024-01-01T00:00:0\(i % 10)Z ü")
  }

  static func time(_ i: Int) -> Double { i % 17 == 0 ? -Double.infinity : 1_704_067_200 + Double(i % 50) }

  /// Bodies, labels and times read back as they were kept, in any order and any number
  /// of times, with few places in memory (the rest read from the index) or many.
  @Test(arguments: [1, 7, 64, 10_000])
  func eventsAreReadBackAsTheyWereKept(recentKept: Int) throws {
    let spill = EventSpill(recentKept: recentKept)
    let places = Self.documents.indices.map { spill.keep(Self.documents[$0], time: Self.time($0)) }
    #expect(spill.count == Self.documents.count)
    for p in places where p.inMemory { Issue.record("kept in memory, though the file could be written") }
    for i in places.indices.reversed() {
      #expect(try spill.place(i) == places[i])
      #expect(try spill.document(at: i) == Self.documents[i])
    }
    for i in places.indices { #expect(try spill.document(places[i]) == Self.documents[i]) }
    #expect(try spill.allPlaces() == places)
    #expect(try spill.places([5, 3, 199, 0]) == [places[5], places[3], places[199], places[0]])
    let empty = spill.keep(OpenLineageDocument(bytes: [], label: ""), time: 0)
    #expect(try spill.document(empty) == OpenLineageDocument(bytes: [], label: ""))
  }

  /// With neither file (no temporary directory), bodies and places stay in memory.
  @Test func withoutFilesTheEventsStayInMemory() throws {
    let spill = EventSpill(directory: "/nonexistent-directory-\(UUID().uuidString)", recentKept: 8)
    let places = Self.documents.indices.map { spill.keep(Self.documents[$0], time: Self.time($0)) }
    for (i, p) in places.enumerated() {
      #expect(p.inMemory)
      #expect(try spill.document(p) == Self.documents[i])
      #expect(try spill.place(i) == p)
    }
    #expect(try spill.allPlaces() == places)
  }

  /// A file cut short under the server (the disk failed) is an error that names the
  /// file and what to do, not a crash.
  @Test func aBodyThatCannotBeReadBackIsAnError() throws {
    let spill = EventSpill()
    let place = spill.keep(Self.documents[7], time: 0)
    #expect(ftruncate(spill.fd, 3) == 0)
    #expect {
      try spill.document(place)
    } throws: { error in
      (error as? StoreError)?.message.contains("spill file") == true
        && (error as? StoreError)?.message.contains("restart the server") == true
    }
  }

  @Test func anIndexThatCannotBeReadBackIsAnError() throws {
    let spill = EventSpill(recentKept: 2)
    for i in 0..<10 { spill.keep(Self.documents[i], time: Self.time(i)) }
    #expect(ftruncate(spill.indexFD, 30) == 0)
    #expect(try spill.place(0).length > 0)
    #expect(throws: StoreError.self) { try spill.place(1) }
    #expect {
      try spill.allPlaces()
    } throws: { error in
      (error as? StoreError)?.message.contains("index file") == true
    }
  }
}

/// Sequence numbers kept as runs: the same answers as a set of every number.
@Suite struct SequenceSetTests {
  @Test func runsAnswerAsASetOfEveryNumber() {
    var random = SeededRandom(seed: 0x5E9)
    for round in 0..<200 {
      var set = SequenceSet()
      var reference = Set<Int64>()
      let span = Int64(1 + round % 40)
      for _ in 0..<(round % 60) {
        // Mostly ascending, as a store hands them out, with gaps and repeats.
        let n = round % 3 == 0 ? Int64(random.next() % UInt64(span)) : Int64(reference.count) + Int64(random.next() % 3)
        #expect(set.insert(n) == reference.insert(n).inserted)
      }
      for n in -1...(span + 3) { #expect(set.contains(n) == reference.contains(n)) }
      // Disjoint, in order, not touching.
      for (a, b) in zip(set.runs, set.runs.dropFirst()) { #expect(a.upperBound + 1 < b.lowerBound) }
      #expect(set.runs.reduce(0) { $0 + $1.count } == reference.count)
    }
    var ends = SequenceSet()
    #expect(ends.insert(.max) && ends.insert(.min) && ends.insert(.max - 1) && !ends.insert(.max))
    #expect(ends.runs == [.min ... .min, (.max - 1)...(.max)])
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
    let (_, events) = try await state.driftInputs()
    #expect(events.places.count == 3)
    #expect(throws: StoreError.self) {
      try ObservedEvents.read(count: events.places.count) { (i) throws(StoreError) in
        try events.spill.document(events.places[i])
      }
    }
  }
}
