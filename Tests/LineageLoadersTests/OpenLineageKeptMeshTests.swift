import Foundation
import PropertyBased
import Testing

@testable import LineageCore
@testable import LineageLoaders
@testable import LineageReports

/// The mesh a stream keeps between questions (``OpenLineageStream/mesh(reading:)``,
/// remade only where events changed it) is the mesh of reading every event at once:
/// random events (runs of several events, out-of-order times, duplicates, symlinks,
/// column lineage, dropped datasets, job events), questions asked with some of the
/// newest events read on a copy only, of both kinds (jobs as nodes or not) from one
/// stream, and returns to earlier marks, as the server asks them.
@Suite struct OpenLineageKeptMeshTests {
  /// Random OpenLineage events over a few datasets, jobs and runs, so that they meet.
  struct Events {
    var random: SeededRandom
    let datasets = ["n:a", "n:b", "n:c", "n:d", "n:e", "m:x", "m:y"]
    let columns = ["c1", "c2", "c3"]

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }

    mutating func dataset() -> String {
      let id = pick(datasets)
      let (ns, name) = (id.prefix(1), id.dropFirst(2))
      var facets: [String] = []
      if chance(40) {
        let cols = columns.filter { _ in chance(70) }
        facets.append(
          #""schema":{"fields":[\#(cols.map { #"{"name":"\#($0)","type":"INT"}"# }.joined(separator: ","))]}"#)
      }
      if chance(35) {
        var fields: [String] = []
        for c in columns where chance(50) {
          var refs: [String] = []
          for _ in 0..<(1 + random.next() % 2) {
            let from = chance(10) ? "n:zz" : chance(15) ? "n:alias\(random.next() % 3)" : pick(datasets)
            let column = chance(10) ? "c9" : pick(columns)
            let t = pick([
              "", #","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}]"#,
              #","transformations":[{"type":"INDIRECT","subtype":"JOIN","masking":true}]"#,
            ])
            refs.append(
              #"{"namespace":"\#(from.prefix(1))","name":"\#(from.dropFirst(2))","field":"\#(column)"\#(t)}"#)
          }
          fields.append(#""\#(c)":{"inputFields":[\#(refs.joined(separator: ","))]}"#)
        }
        let level =
          chance(30) ? #","dataset":[{"namespace":"n","name":"\#(pick(datasets).dropFirst(2))","field":"c1"}]"# : ""
        facets.append(#""columnLineage":{"fields":{\#(fields.joined(separator: ","))}\#(level)}"#)
      }
      if chance(20) { facets.append(#""ownership":{"owners":[{"name":"team:\#(pick(["t1", "t2", "t3"]))"}]}"#) }
      if chance(10) { facets.append(#""documentation":{"description":"about \#(name)"}"#) }
      if chance(8) {
        facets.append(#""lifecycleStateChange":{"lifecycleStateChange":"\#(pick(["DROP", "CREATE"]))"}"#)
      }
      if chance(6) {
        let other = chance(70) ? "alias\(random.next() % 3)" : String(pick(datasets).dropFirst(2))
        facets.append(#""symlinks":{"identifiers":[{"namespace":"n","name":"\#(other)","type":"TABLE"}]}"#)
      }
      return #"{"namespace":"\#(ns)","name":"\#(name)","facets":{\#(facets.joined(separator: ","))}}"#
    }

    mutating func list() -> String { (0..<(random.next() % 3)).map { _ in dataset() }.joined(separator: ",") }

    /// One event and its time in seconds (nil: none).
    mutating func event() -> (text: String, time: Double?) {
      let second = Int(random.next() % 20)
      let time: Double? = chance(8) ? nil : 1_700_000_000 + Double(second)
      let stamp = time.map { _ in #""eventTime":"2023-11-14T22:13:\#(second < 10 ? "0" : "")\#(second)Z","# } ?? ""
      let tail = chance(90) ? #","producer":"p","schemaURL":"s""# : ""
      let job = "j\(random.next() % 4)"
      let jobFacets =
        chance(15) ? #","facets":{"ownership":{"owners":[{"name":"\#(pick(["t1", "t4"]))"}]}}"# : ""
      switch random.next() % 10 {
      case 0, 1:
        return (#"{\#(stamp)"dataset":\#(dataset())\#(tail)}"#, time)
      case 2:
        return (
          #"{\#(stamp)"job":{"namespace":"n","name":"\#(job)"\#(jobFacets)},"inputs":[\#(list())],"outputs":[\#(list())]\#(tail)}"#,
          time
        )
      default:
        let runs = [
          "01890a4e-5b1e-7000-8000-000000000001", "01890a4e-5b1e-7000-8000-000000000002",
          "01890a4e-5b1e-7000-8000-000000000003", "01890a4e-5b1e-7000-8000-000000000004", "run-1", "run-2",
        ]
        let type = pick(["START", "RUNNING", "COMPLETE", "COMPLETE", "FAIL"])
        return (
          #"{\#(stamp)"eventType":"\#(type)","run":{"runId":"\#(pick(runs))"},"job":{"namespace":"n","name":"\#(job)"\#(jobFacets)},"inputs":[\#(list())],"outputs":[\#(list())]\#(tail)}"#,
          time
        )
      }
    }
  }

  /// The mesh and findings of both ways, and the models and answers built from them,
  /// are the same.
  static func expectSame(_ kept: (Mesh, [Finding]), _ read: (Mesh, [Finding])) {
    #expect(kept.0.nodes == read.0.nodes)
    #expect(kept.0.teams.map(\.id) == read.0.teams.map(\.id))
    #expect(kept.1 == read.1)
    let a = LineageModel(mesh: kept.0, loadFindings: kept.1, source: "events")
    let b = LineageModel(mesh: read.0, loadFindings: read.1, source: "events")
    func edges(_ g: LineageGraph) -> [String] {
      (0..<Int32(g.nodeCount)).flatMap { v in g.forward.neighbors(v).map { g.id(v) + " -> " + g.id($0) } }
    }
    func columnEdges(_ m: LineageModel) -> [String] {
      (0..<Int32(m.columns.count)).flatMap { c in
        m.columns.forward.neighbors(c).map {
          m.columns.qualifiedName(c, in: m.graph) + " -> " + m.columns.qualifiedName($0, in: m.graph)
        }
      }
    }
    #expect((0..<Int32(a.graph.nodeCount)).map(a.graph.id) == (0..<Int32(b.graph.nodeCount)).map(b.graph.id))
    #expect(edges(a.graph) == edges(b.graph))
    #expect(columnEdges(a) == columnEdges(b))
    #expect(a.findings == b.findings)
    for v in 0..<Int32(b.graph.nodeCount) {
      let id = b.graph.id(v)
      let down = { (m: LineageModel) in
        try? MeshQuery.reach(m, direction: .downstream, selector: [id], depth: nil, exclude: nil)
      }
      #expect(down(a)?.report.json() == down(b)?.report.json())
      for c in b.declaration(of: v)?.schema.prefix(1) ?? [] {
        let up = { (m: LineageModel) in
          try? MeshQuery.reach(m, direction: .upstream, selector: [id + "." + c.name], depth: nil, exclude: nil)
        }
        #expect(up(a)?.report.json() == up(b)?.report.json())
      }
    }
  }

  /// The update handed out with a mesh names, for each node it says is unchanged, a
  /// node of the mesh handed out before that is equal to it; and the model brought up
  /// to date with it from the model before is the model built whole.
  ///
  /// - Returns: 1 when the model was brought up to date, 0 when it was built whole.
  static func expectUpdate(
    _ kept: (mesh: Mesh, findings: [Finding], update: MeshUpdate?), previous: inout (mesh: Mesh, model: LineageModel)?
  ) -> Int {
    if let u = kept.update {
      if let p = previous {
        #expect(u.previousCount == p.mesh.nodes.count && u.origin.count == kept.mesh.nodes.count)
        for (i, o) in u.origin.enumerated() where o >= 0 {
          #expect(Int(o) < p.mesh.nodes.count && kept.mesh.nodes[i] == p.mesh.nodes[Int(o)])
        }
      } else {
        Issue.record("an update from no mesh handed out")
      }
    }
    let whole = LineageModel(mesh: kept.mesh, loadFindings: kept.findings, source: "events")
    let updated = LineageModel(
      updating: previous?.model.base, mesh: kept.mesh, change: kept.update, loadFindings: kept.findings,
      source: "events")
    #expect(updated.graph.ids.strings == whole.graph.ids.strings)
    #expect(updated.graph.forward == whole.graph.forward && updated.graph.reverse == whole.graph.reverse)
    #expect(updated.graph.ownerNames.strings == whole.graph.ownerNames.strings)
    #expect(Array(updated.graph.owner) == Array(whole.graph.owner))
    #expect(updated.findings == whole.findings)
    #expect(updated.columns.forward == whole.columns.forward && updated.columns.node == whole.columns.node)
    previous = (kept.mesh, updated)
    return updated.isUpdate ? 1 : 0
  }

  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func theKeptMeshIsTheMeshOfReadingEveryEvent(jobsAsNodes: Bool, cumulative: Bool) {
    let importer = OpenLineageImporter(history: cumulative ? .cumulative : .latest, jobsAsNodes: jobsAsNodes)
    var questions = 0
    var refused = 0
    var otherKind = 0
    var allRewinds = 0
    var updates = 0
    for seed in 0..<30 {
      var previous: [Bool: (mesh: Mesh, model: LineageModel)] = [:]
      var gen = Events(random: SeededRandom(seed: UInt64(seed) &* 0x9E37_79B9 &+ 11))
      var docs: [(document: OpenLineageDocument, time: Double?)] = []
      for i in 0..<(20 + Int(gen.random.next() % 40)) {
        // Now and then an event sent again, unchanged.
        if i > 0, gen.chance(8) {
          docs.append(docs[Int(gen.random.next() % UInt64(docs.count))])
          continue
        }
        let (text, time) = gen.event()
        docs.append((OpenLineageDocument(bytes: Array(text.utf8), label: "event \(i)"), time))
      }
      // The order the server reads them: by time, arrival among equal times.
      let order = docs.indices.sorted { a, b in
        let ta = docs[a].time ?? -Double.infinity
        let tb = docs[b].time ?? -Double.infinity
        return ta != tb ? ta < tb : a < b
      }
      var stream = OpenLineageStream(importer: importer)
      var read: [Int] = []
      var next = 0
      var rewinds = 0
      rounds: while next < order.count {
        // Now and then a mark, and a return to one (the server's late events): what
        // was read since is undone, and read again.
        if gen.chance(8) {
          stream.mark()
          if stream.marks.count > 3 { stream.forgetOldestMark() }
        }
        if !stream.marks.isEmpty, rewinds < 2, gen.chance(6) {
          let m = Int(gen.random.next() % UInt64(stream.marks.count))
          let back = stream.marks[m].documents
          stream.rewind(toMark: m)
          #expect(stream.marks.count == m + 1 && stream.documentCount == back)
          read.removeLast(read.count - back)
          next = back
          rewinds += 1
        }
        // Now and then the kept meshes brought up to date between questions (the
        // server does as it reads events).
        if gen.chance(10) { stream.refreshKept(adding: gen.chance(20) ? [!jobsAsNodes] : []) }
        if gen.chance(45) {
          let i = order[next]
          guard stream.append(docs[i].document, time: docs[i].time) else {
            refused += 1
            break rounds
          }
          read.append(i)
          next += 1
          continue
        }
        // A question, with some of the next events read on a copy only, of either
        // kind (both are made from the one reading, each keeping its own mesh).
        let more = order[next..<min(order.count, next + Int(gen.random.next() % 6))].filter { _ in gen.chance(70) }
        let kind = gen.chance(25) ? !jobsAsNodes : jobsAsNodes
        var asked = importer
        asked.jobsAsNodes = kind
        guard let kept = stream.meshUpdate(reading: more.map { docs[$0] }, jobsAsNodes: kind) else {
          refused += 1
          continue
        }
        questions += 1
        if kind != jobsAsNodes { otherKind += 1 }
        Self.expectSame((kept.mesh, kept.findings), asked.load(documents: (read + more).map { docs[$0].document }))
        updates += Self.expectUpdate(kept, previous: &previous[kind])
      }
      if let kept = stream.meshUpdate(reading: []) {
        questions += 1
        Self.expectSame((kept.mesh, kept.findings), importer.load(documents: read.map { docs[$0].document }))
        updates += Self.expectUpdate(kept, previous: &previous[jobsAsNodes])
      }
      allRewinds += rewinds
    }
    #expect(questions > 250, "\(questions) questions, \(refused) refusals")
    #expect(otherKind > 40 && allRewinds > 30, "\(otherKind) of the other kind, \(allRewinds) rewinds")
    // Most questions' models were brought up to date, not built whole.
    #expect(updates * 2 > questions, "\(updates) updates of \(questions) questions")
  }

  /// Many jobs that come (and, on a return to a mark, go) between two questions: the
  /// job nodes are then made again in one pass (a few are put in place one at a time),
  /// and the mesh is still that of reading every event.
  @Test(arguments: [false, true])
  func manyJobsComingAndGoingAtOnceEndAsReadingEveryEvent(cumulative: Bool) {
    let importer = OpenLineageImporter(history: cumulative ? .cumulative : .latest, jobsAsNodes: true)
    // Job names spread out, so that new ones fall between those kept.
    func event(_ i: Int, job: Int) -> OpenLineageDocument {
      let text =
        #"{"eventType":"COMPLETE","eventTime":"2023-11-14T22:13:00Z","run":{"runId":"00000000-0000-4000-8000-\#(String(1_000_000_000_000 + i).dropFirst())"},"job":{"namespace":"n","name":"j\#(job)"},"inputs":[{"namespace":"n","name":"d\#(i / 2)"}],"outputs":[{"namespace":"n","name":"d\#(i + 1)"}],"producer":"p","schemaURL":"s"}"#
      return OpenLineageDocument(bytes: Array(text.utf8), label: "event \(i)")
    }
    var docs: [OpenLineageDocument] = []
    var stream = OpenLineageStream(importer: importer)
    func ask(_ more: [OpenLineageDocument] = []) {
      guard let kept = stream.mesh(reading: more.map { ($0, nil) }) else {
        Issue.record("the stream refused the events")
        return
      }
      Self.expectSame(kept, importer.load(documents: docs + more))
    }
    func read(_ range: Range<Int>, job: (Int) -> Int) {
      for i in range {
        docs.append(event(i, job: job(i)))
        let taken = stream.append(docs[docs.count - 1], time: nil)
        #expect(taken)
      }
    }
    read(0..<60) { $0 * 7 % 300 }
    ask()
    // 40 new jobs among those kept, and 10 kept jobs with a new run.
    read(60..<100) { $0 * 7 % 300 + 1 }
    read(100..<110) { ($0 - 100) * 7 }
    ask()
    // Read on a copy only: more than the few put in place, then undone.
    ask((110..<140).map { event($0, job: $0 * 11 % 300 + 2) })
    ask()
    // A return to a mark takes away the 30 jobs read since.
    stream.mark()
    read(140..<170) { $0 * 13 % 300 + 3 }
    ask()
    stream.rewind(toMark: 0)
    docs.removeLast(30)
    ask()
  }
}
