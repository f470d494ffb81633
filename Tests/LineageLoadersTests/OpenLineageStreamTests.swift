import Foundation
import PropertyBased
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// Events read as they arrive (``OpenLineageStream``) give exactly what reading them
/// all at once gives, on the corpus's real events in many orders and subsets; what
/// cannot be read in order is refused, not misread.
@Suite struct OpenLineageStreamTests {
  /// Every event of the bundled Marquez and OpenLineage files, one document each, with
  /// its `eventTime` in seconds.
  static let events: [(document: OpenLineageDocument, time: Double?)] = {
    let root = Corpus.bundled
    let files =
      OpenLineageImporter.files(at: root + "/marquez") + OpenLineageImporter.files(at: root + "/openlineage")
    var out: [(OpenLineageDocument, Double?)] = []
    for file in files.sorted() {
      guard let data = FileManager.default.contents(atPath: file),
        case .events(let parts, _) = OpenLineageImporter.split(events: Array(data))
      else { continue }
      for part in parts {
        // Only events the server takes (it refuses the rest with 400 or 422).
        guard case .accepted(_, let time) = OpenLineageImporter.check(event: part) else { continue }
        out.append(
          (
            OpenLineageDocument(bytes: part, label: "event \(out.count)"),
            time.flatMap(OpenLineageImporter.seconds(since1970:))
          ))
      }
    }
    return out
  }()

  /// `indices` in the order the server reads them: by time, arrival among equal times.
  static func timeOrder(_ indices: [Int]) -> [Int] {
    indices.enumerated().sorted { a, b in
      let ta = events[a.element].time ?? -Double.infinity
      let tb = events[b.element].time ?? -Double.infinity
      return ta != tb ? ta < tb : a.offset < b.offset
    }.map(\.element)
  }

  /// Reads `order` both ways and compares nodes and findings; false when the stream
  /// refused an event (then nothing is compared).
  static func same(_ order: [Int], importer: OpenLineageImporter) -> Bool {
    var stream = OpenLineageStream(importer: importer)
    for i in order where !stream.append(events[i].document, time: events[i].time) { return false }
    let (streamed, streamFindings) = stream.mesh()
    let (read, readFindings) = importer.load(documents: order.map { events[$0].document })
    #expect(streamed.nodes == read.nodes)
    #expect(streamed.teams.map(\.id) == read.teams.map(\.id))
    #expect(streamFindings == readFindings)
    #expect(stream.documentCount == order.count)
    return true
  }

  @Test func theCorpusReadAsItArrivesIsTheCorpusReadAtOnce() {
    #expect(Self.events.count > 30)
    var importers = [OpenLineageImporter()]
    var jobs = OpenLineageImporter()
    jobs.jobsAsNodes = true
    var cumulative = OpenLineageImporter()
    cumulative.history = .cumulative
    importers += [jobs, cumulative]
    var rng = SeededRandom(seed: 0x5EED)
    var compared = 0
    for round in 0..<40 {
      var pick = Array(Self.events.indices).shuffled(using: &rng)
      if round > 0 { pick = Array(pick.prefix(Int.random(in: 1...pick.count, using: &rng))) }
      let order = Self.timeOrder(pick)
      for importer in importers where Self.same(order, importer: importer) { compared += 1 }
    }
    // Refusals are for symlinks that rename a dataset read before: rare in the corpus.
    #expect(compared >= 100, "\(compared) of 120 compared")
  }

  @Test func anEventEarlierThanTheLatestIsRefusedAndNothingOfItIsRead() throws {
    let timed = Self.events.indices.filter { Self.events[$0].time != nil }
    let order = Self.timeOrder(timed)
    let last = try #require(order.last)
    let earlier = try #require(order.first { Self.events[$0].time! < Self.events[last].time! })
    var stream = OpenLineageStream(importer: OpenLineageImporter())
    let ok1 = stream.append(Self.events[last].document, time: Self.events[last].time)
    #expect(ok1)
    let before = stream.mesh()
    let ok2 = stream.append(Self.events[earlier].document, time: Self.events[earlier].time)
    #expect(!ok2)
    #expect(stream.documentCount == 1)
    #expect(stream.mesh().0.nodes == before.0.nodes)
    // Without a time, an event comes first: after a timed one it is out of order too.
    let ok3 = stream.append(Self.events[last].document, time: nil)
    #expect(!ok3)
  }

  @Test func aSymlinkThatRenamesADatasetReadBeforeIsRefused() {
    func event(_ time: String, _ output: String, symlink: String? = nil) -> OpenLineageDocument {
      let facets =
        symlink.map { #","facets":{"symlinks":{"identifiers":[{"namespace":"n","name":"\#($0)","type":"TABLE"}]}}"# }
        ?? ""
      let text =
        #"{"eventTime":"\#(time)","eventType":"COMPLETE","run":{"runId":"01890a4e-5b1e-7000-8000-00000000000\#(time.suffix(2).first!)"},"job":{"namespace":"n","name":"j\#(output)"},"inputs":[],"outputs":[{"namespace":"n","name":"\#(output)"\#(facets)}]}"#
      return OpenLineageDocument(bytes: Array(text.utf8), label: time)
    }
    var stream = OpenLineageStream(importer: OpenLineageImporter())
    let ok4 = stream.append(event("2024-01-01T00:00:01Z", "raw_orders"), time: 1)
    #expect(ok4)
    // A symlink to a name not read before is read in order.
    let ok5 = stream.append(event("2024-01-01T00:00:02Z", "orders", symlink: "orders_alias"), time: 2)
    #expect(ok5)
    // One that makes raw_orders (read before) another name of a dataset is refused.
    let ok6 = stream.append(event("2024-01-01T00:00:03Z", "orders_v2", symlink: "raw_orders"), time: 3)
    #expect(!ok6)
    #expect(stream.documentCount == 2)
  }
}
