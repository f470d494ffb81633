import Foundation
import Synchronization
import Testing

@testable import LineageCore
@testable import LineageLoaders
@testable import LineageReports

/// The graph image a cache keeps (``GraphImage``) gives back the model it was made
/// from, and refuses any image that is not whole and its own; node lists written
/// straight from the graph are the bytes the rows give.
@Suite struct GraphImageTests {
  /// A graph JSON document with awkward ids (quotes, control characters, non-ASCII,
  /// shared long prefixes, an id that is a prefix of another), owners, kinds, statuses,
  /// tags, an undeclared edge end (a warning finding) and a cycle.
  static func document(plain: Bool) -> String {
    var nodes: [String] = []
    var edges: [String] = []
    let domains = ["finance", "crm", "", plain ? "unicode" : "Ünïcode", "logistics"]
    for i in 0..<300 {
      let d = domains[i % domains.count]
      var id = "\(["src", "stg", "int", "mart"][i % 4]).\(d.isEmpty ? "x" : d).\(i)"
      if i % 37 == 0 { id = "a.very.long.shared.prefix.of.ids.\(i)" }
      if i == 41 { id = plain ? "quote.41" : "quote\\\"d.\\u0007bell" }
      if i == 42 { id = "a.very.long.shared.prefix.of.ids" }
      var fields = ["\"id\": \"\(id)\""]
      if !d.isEmpty { fields.append("\"domain\": \"\(d)\"") }
      if i % 3 == 0 { fields.append("\"owner\": \"team-\(i % 5)\"") }
      if i % 7 == 0 { fields.append("\"status\": \"deprecated\"") }
      fields.append("\"layer\": \"\(["src", "stg", "int", "exp"][i % 4])\"")
      nodes.append("{" + fields.joined(separator: ", ") + "}")
    }
    func node(_ i: Int) -> String {
      let start = nodes[i].range(of: "\"id\": \"")!.upperBound
      let rest = nodes[i][start...]
      var end = rest.startIndex
      var escaped = false
      while end < rest.endIndex {
        let c = rest[end]
        if escaped {
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == "\"" {
          break
        }
        end = rest.index(after: end)
      }
      return String(rest[rest.startIndex..<end])
    }
    for i in 1..<300 {
      edges.append("[\"\(node((i * 7) % i))\", \"\(node(i))\"]")
      if i > 5 { edges.append("[\"\(node(i - 5))\", \"\(node(i))\"]") }
    }
    edges.append("[\"\(node(10))\", \"\(node(5))\"]")
    edges.append("[\"\(node(3))\", \"undeclared.node\"]")
    return "{\"nodes\": [" + nodes.joined(separator: ",\n") + "],\n\"edges\": [" + edges.joined(separator: ",\n") + "]}"
  }

  static func model(plain: Bool = false) throws -> LineageModel {
    var bytes = Array(document(plain: plain).utf8)
    return try bytes.withUnsafeMutableBufferPointer { (p) throws(LoadError) -> LineageModel in
      var m = try GraphJSONLoader.load(bytes: UnsafeBufferPointer(p), file: "g.json")
      m.input = .graphJSON
      return m
    }
  }

  /// Memory that outlives the call, 8-byte aligned, as a mapped file is: the keeper of
  /// an image read in place.
  final class Pages {
    let bytes: UnsafeMutableRawBufferPointer
    init(_ image: [UInt8]) {
      bytes = .allocate(byteCount: max(8, image.count), alignment: 8)
      bytes.copyMemory(from: image.withUnsafeBytes { UnsafeRawBufferPointer($0) })
    }
    deinit { bytes.deallocate() }
  }

  /// The image decoded by copying, after checking that reading it in place (a
  /// keeper) agrees: both refuse it or both give the same graph.
  static func decode(_ image: [UInt8], key: UInt64) -> LineageModel? {
    let copied = image.withUnsafeBytes { GraphImage.decode($0, key: key) }
    let pages = Pages(image)
    let viewed = GraphImage.decode(
      UnsafeRawBufferPointer(rebasing: pages.bytes[0..<image.count]), key: key, keeper: pages)
    #expect((copied == nil) == (viewed == nil), "read in place and copied disagree")
    if let copied, let viewed {
      #expect(copied.graph.ids.strings == viewed.graph.ids.strings)
      #expect(copied.graph.forward == viewed.graph.forward && copied.graph.reverse == viewed.graph.reverse)
      #expect(copied.graph.idRank == viewed.graph.idRank && copied.graph.kind == viewed.graph.kind)
    }
    return copied
  }

  @Test func anImageReadInPlaceViewsItsPagesAndCopiesOnlyWhatChanges() throws {
    let m = try Self.model()
    let image = try #require(GraphImage.encode(m, key: 9))
    weak var weakPages: Pages?
    do {
      let pages = Pages(image)
      weakPages = pages
      let viewed = try #require(
        GraphImage.decode(UnsafeRawBufferPointer(rebasing: pages.bytes[0..<image.count]), key: 9, keeper: pages))
      let g = viewed.graph
      // The large arrays are views of the pages.
      #expect(g.forward.targets.isView && g.reverse.offsets.isView && g.kind.isView && g.idRank.isView)
      #expect(g.ids.arena.isView && g.ids.slots.isView)
      #expect(g.ids.strings == m.graph.ids.strings && g.forward == m.graph.forward)
      for id in m.graph.ids.strings { #expect(g.index(of: id) == m.graph.index(of: id)) }
      // A change copies the viewed table first; the pages are never written.
      var ids = g.ids
      let fresh = ids.intern("a.node.added.later")
      #expect(fresh == Int32(m.graph.nodeCount) && ids.lookup("a.node.added.later") == fresh)
      #expect(!ids.arena.isView && g.ids.arena.isView && g.ids.lookup("a.node.added.later") == nil)
      #expect(Array(pages.bytes[0..<image.count]) == image, "the image's pages were written")
    }
    // The model kept the pages alive while it lived, and no longer.
    #expect(weakPages == nil, "the pages outlived the model that viewed them")
  }

  @Test func roundTripGivesTheSameModel() throws {
    let m = try Self.model()
    #expect(!m.findings.isEmpty)
    let image = try #require(GraphImage.encode(m, key: 42))
    let back = try #require(Self.decode(image, key: 42))
    let g = m.graph, h = back.graph
    #expect(g.ids.strings == h.ids.strings)
    for t in [\LineageGraph.kindNames, \.domainNames, \.ownerNames, \.tagNames] {
      #expect(g[keyPath: t].strings == h[keyPath: t].strings)
    }
    #expect(g.kind == h.kind && g.domain == h.domain && g.owner == h.owner && g.status == h.status)
    #expect(g.forward == h.forward && g.reverse == h.reverse && g.tags == h.tags && g.declared == h.declared)
    for id in g.ids.strings { #expect(h.index(of: id) == g.index(of: id)) }
    #expect(h.index(of: "no.such.node") == nil)
    #expect(back.findings == m.findings && back.loadFindings == m.loadFindings)
    #expect(back.source == m.source && back.mesh.name == m.mesh.name && back.input == m.input)
    #expect(h.idRank.array == g.ids.byteOrderRanks())
    // The image's hash tables are as small as the strings allow (at most half full,
    // the smallest such power of two), whatever the builder sized them for.
    for t in [\LineageGraph.ids, \.kindNames, \.domainNames, \.ownerNames, \.tagNames] {
      let table = h[keyPath: t]
      #expect(table.slots.count == max(16, 1 << (Int.bitWidth - (2 * table.count).leadingZeroBitCount)))
    }
  }

  @Test func aTableSizedForMoreStringsIsMadeTight() {
    var big = Interner(capacity: 100_000)
    let words = (0..<1_000).map { "id.\($0 * 7919 % 1_000).x" }
    for w in words { big.intern(w) }
    let tight = big.tight()
    #expect(big.slots.count == 262_144 && tight.slots.count == 2_048)
    #expect(tight.strings == big.strings)
    for (i, w) in words.enumerated() { #expect(tight.lookup(w) == Int32(i)) }
    #expect(tight.lookup("id.1000.x") == nil && tight.lookup("") == nil)
    // Still a table strings are added to.
    var grown = tight
    for k in 0..<5_000 { grown.intern("more.\(k)") }
    for (i, w) in words.enumerated() { #expect(grown.lookup(w) == Int32(i)) }
    #expect(grown.lookup("more.4999") == Int32(5_999))
  }

  @Test func anImageThatIsNotWholeOrNotItsOwnIsRefused() throws {
    let m = try Self.model()
    let image = try #require(GraphImage.encode(m, key: 7))
    #expect(Self.decode(image, key: 8) == nil, "another key")
    // Every byte of the header, then bytes spread over the body.
    var positions = Array(0..<64)
    positions += stride(from: 64, to: image.count, by: max(1, image.count / 400)).map { $0 }
    positions.append(image.count - 1)
    for p in positions {
      var bad = image
      bad[p] ^= 0x5A
      #expect(Self.decode(bad, key: 7) == nil, "flipped byte \(p)")
    }
    for n in [0, 1, 8, 63, 64, 72, image.count / 2, image.count - 8, image.count - 1] {
      #expect(Self.decode(Array(image.prefix(n)), key: 7) == nil, "truncated to \(n)")
    }
    #expect(Self.decode(image + [0, 0, 0, 0, 0, 0, 0, 0], key: 7) == nil, "longer")
    #expect(Self.decode(Array("{\"nodes\": []}".utf8), key: 7) == nil, "foreign")
  }

  @Test func anImageWhoseChecksumMatchesButWhoseShapeIsWrongIsRefused() throws {
    let m = try Self.model()
    let image = try #require(GraphImage.encode(m, key: 7))
    // Corrupt a byte in the body and re-seal the checksum: the structural checks must
    // still refuse whatever does not fit (or give a model that reads safely).
    for p in stride(from: 64, to: image.count, by: max(1, image.count / 300)) {
      var bad = image
      bad[p] ^= 0xFF
      let sum = bad.withUnsafeBufferPointer { GraphImage.checksum(UnsafeBufferPointer(rebasing: $0[64...])) }
      withUnsafeBytes(of: sum.littleEndian) { for k in 0..<8 { bad[32 + k] = $0[k] } }
      if let model = Self.decode(bad, key: 7) {
        // Whatever survived reads without trapping.
        let g = model.graph
        for v in 0..<Int32(g.nodeCount) {
          _ = g.id(v)
          _ = g.kindName(v)
          _ = g.forward.neighbors(v)
        }
        _ = g.reach(from: [0], direction: .downstream)
      }
    }
  }

  /// 500 pairs are sorted on one core; 20,000 (past ``Interner/parallelOrder``) in two
  /// halves on two cores, then merged.
  @Test(arguments: [500, 20_000])
  func byteOrderMatchesTheComparisonOfIDs(pairs: Int) throws {
    var t = Interner()
    var strings = [
      "", "a", "a\u{0}", "a\u{0}b", "ab", "b", "é", "e\u{301}", "zzzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzz\u{0}",
    ]
    for i in 0..<pairs {
      strings.append("shared.prefix.longer.than.16.\(i % 97).\(i)")
      strings.append(String(repeating: "x", count: i % 20) + "\(i)")
    }
    for s in strings { t.intern(s) }
    let all = Array(0..<Int32(t.count))
    var expected = all
    expected.sort { t.precedes($0, $1) }
    var got = all.shuffled()
    t.sortByBytes(&got)
    #expect(got.map { t[$0] } == expected.map { t[$0] })
    let rank = t.byteOrderRanks()
    var expectedRank = [Int32](repeating: -1, count: t.count)
    for (r, i) in expected.enumerated() { expectedRank[Int(i)] = Int32(r) }
    #expect(rank == expectedRank)
  }

  @Test(arguments: [false, true], [false, true])
  func nodeListsWrittenFromTheGraphAreTheRowsBytes(ranked: Bool, plain: Bool) throws {
    var m = try Self.model(plain: plain)
    if ranked { m.rankIDs() }
    let g = m.graph
    for root in stride(from: Int32(0), to: Int32(g.nodeCount), by: 7) {
      for (direction, depth) in [(Direction.downstream, nil), (.upstream, 2), (.downstream, 1)] {
        let answer = try MeshQuery.reach(m, direction: direction, selector: [g.id(root)], depth: depth, exclude: nil)
        let fast = answer.report
        var slow = fast
        slow.rows = fast.rows
        #expect(fast.json() == slow.json())
        for color in [false, true] {
          let style = TextStyle(color: color)
          #expect(fast.textBytes(style: style) == slow.textBytes(style: style), "\(g.id(root)) \(direction)")
        }
      }
    }
  }
}

/// Node lists written in chunks (on every core, for long lists) are the bytes written
/// in one piece, in pretty and compact JSON, for bare graphs and declared meshes.
@Suite struct ChunkedRowsTests {
  static func written(_ table: NodeTable, chunks: Int, pretty: Bool) -> [UInt8] {
    var w = JSONWriter(pretty: pretty)
    w.beginObject()
    w.field("count", table.count)
    w.key("nodes")
    w.beginArray()
    table.writeJSON(into: &w, chunks: chunks)
    w.endArray()
    w.endObject()
    // Chunks are set aside as pieces: written one after another, they are the bytes;
    // streamed (as many blocks as chunks, on every core), they are the bytes too.
    #expect(w.pieces().flatMap { $0 } == w.bytes, "\(chunks) chunks")
    #expect(ChunkedRowsTests.streamed(w.output) == w.bytes, "\(chunks) blocks")
    return w.bytes
  }

  /// What ``ReportBytes/write(to:)`` hands its sink, joined; every call's bytes are
  /// checked to arrive whole and in order (one call at a time).
  static func streamed(_ output: ReportBytes) -> [UInt8] {
    let got = Mutex<(bytes: [UInt8], inside: Bool, overlapped: Bool)>(([], false, false))
    let done = output.write { piece in
      got.withLock { state in
        if state.inside { state.overlapped = true }
        state.inside = true
        state.bytes += piece
        state.inside = false
      }
      return true
    }
    #expect(done)
    return got.withLock { state in
      #expect(!state.overlapped)
      return state.bytes
    }
  }

  /// A node list long enough to be gathered in chunks and written in blocks on every
  /// core (66,000 rows in five domains, statuses and owners mixed) is, as text, the
  /// bytes its rows give, in colour and not, whole and streamed; with one id that is not
  /// printable ASCII in a late chunk, the general layout is taken, and it too is the
  /// rows' bytes.
  @Test(arguments: [false, true]) func aLongNodeListAsTextIsItsRowsBytes(oddIDLate: Bool) throws {
    let n = 66_000
    var b = GraphBuilder(capacity: n + 1, edges: n)
    let root = b.node("root")
    b.declare(root, kind: .source, domain: "d0", owner: "team-0")
    for i in 0..<n {
      let v = b.node(oddIDLate && i == n - 3 ? "n.\u{1B}[31m.\(i)" : "n.\((i * 7_919) % n).\(i % 13)")
      b.declare(
        v, kind: i % 3 == 0 ? .consumer : .product, domain: i % 6 == 5 ? nil : "d\(i % 5)",
        owner: i % 4 == 0 ? nil : "team-\(i % 4)", status: i % 11 == 0 ? .deprecated : .active)
      b.addEdge(root, v)
    }
    let m = LineageModel(graph: b.build(), findings: [], source: "test", name: "t")
    let answer = try MeshQuery.reach(m, direction: .downstream, selector: ["root"], depth: nil, exclude: nil)
    let fast = answer.report
    var slow = fast
    slow.rows = fast.rows
    // Compared apart from the expectations: a failure would print megabytes of bytes.
    for color in [false, true] {
      let style = TextStyle(color: color)
      let whole = slow.textBytes(style: style)
      let same = fast.textBytes(style: style) == whole
      let streamedSame = Self.streamed(fast.textOutput(style: style)) == whole
      #expect(same, "colour \(color)")
      #expect(streamedSame, "colour \(color), streamed")
    }
    let jsonSame = Self.streamed(fast.jsonOutput()) == slow.json()
    #expect(jsonSame)
  }

  /// A sink that refuses a block stops the output there, on every core, and says so;
  /// nothing after the refused block is handed to it.
  @Test func aRefusingSinkStopsTheOutput() throws {
    let m = try GraphImageTests.model()
    let n = m.graph.nodeCount
    let table = NodeTable(model: m, nodes: Array(0..<Int32(n)), depths: [Int32](repeating: 0, count: n))
    var w = JSONWriter()
    w.beginObject()
    w.key("nodes")
    w.beginArray()
    table.writeJSON(into: &w, chunks: 8)
    w.endArray()
    w.endObject()
    let whole = w.bytes
    for refuse in [1, 2, 3, 6] {
      let calls = Mutex<(count: Int, bytes: [UInt8])>((0, []))
      let done = w.output.write { piece in
        calls.withLock { state in
          state.count += 1
          if state.count == refuse { return false }
          state.bytes += piece
          return true
        }
      }
      #expect(!done, "refused call \(refuse)")
      let (count, bytes) = calls.withLock { ($0.count, $0.bytes) }
      #expect(count == refuse, "nothing is handed over after the refusal")
      #expect(whole.starts(with: bytes))
    }
  }

  @Test func chunkedRowsAreTheRowsWrittenWhole() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let models = [try GraphImageTests.model(), try ModelLoader.load(path: root + "/samples/demo")]
    for m in models {
      let n = m.graph.nodeCount
      let table = NodeTable(
        model: m, nodes: (0..<Int32(n)).reversed(), depths: (0..<Int32(n)).map { $0 % 5 })
      for pretty in [true, false] {
        let whole = Self.written(table, chunks: 1, pretty: pretty)
        for chunks in [2, 3, 7, 16, n - 1, n, n + 5] {
          #expect(Self.written(table, chunks: chunks, pretty: pretty) == whole, "\(chunks) chunks of \(n) rows")
        }
      }
      // One row, and no rows.
      let one = NodeTable(model: m, nodes: [0], depths: [0])
      #expect(Self.written(one, chunks: 4, pretty: true) == Self.written(one, chunks: 1, pretty: true))
      let none = NodeTable(model: m, nodes: [], depths: [])
      #expect(Self.written(none, chunks: 4, pretty: true) == Self.written(none, chunks: 1, pretty: true))
    }
  }
}

/// The word-at-a-time escape test of the row writer agrees with the byte-at-a-time rule
/// on every byte value at every position of strings of every length to 24.
@Suite struct RowEscapeTests {
  @Test func theWordTestAgreesWithTheByteRule() {
    func reference(_ b: [UInt8]) -> Bool { b.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F } }
    var failures = 0
    for length in 1...24 {
      for position in 0..<length {
        for value in 0...255 {
          var b = [UInt8](repeating: UInt8(ascii: "a") &+ UInt8(position % 7), count: length)
          b[position] = UInt8(value)
          // Neighbours that stress borrows: high bytes and 0x21 (one above the bound).
          if position > 0 { b[position - 1] = value % 2 == 0 ? 0xFF : 0x21 }
          let fast = b.withUnsafeBufferPointer { RowWriter.needsEscape($0) }
          if fast != reference(b) { failures += 1 }
        }
      }
    }
    #expect(failures == 0)
  }
}

/// An impact report written straight from the blast radius gives the bytes of the same
/// report written from its rows, on ids that need escapes, in JSON and text.
@Suite struct ImpactRowsTests {
  @Test(arguments: [false, true]) func theDirectWriterWritesTheRowsBytes(plain: Bool) throws {
    let m = try GraphImageTests.model(plain: plain)
    var checked = 0
    for v in stride(from: Int32(0), to: Int32(m.graph.nodeCount), by: 7) where m.graph.forward.degree(v) > 0 {
      let r = try ImpactAnalysis.analyze(m, product: v, column: nil, change: .retire)
      let direct = ImpactReport(r, model: m)
      var fromRows = direct
      fromRows.rows = direct.rows
      #expect(direct.json() == fromRows.json(), "\(m.graph.id(v))")
      for color in [false, true] {
        #expect(direct.text(style: TextStyle(color: color)) == fromRows.text(style: TextStyle(color: color)))
      }
      #expect(direct.breaks == fromRows.breaks && direct.byDomain.map(\.domain) == fromRows.byDomain.map(\.domain))
      checked += 1
    }
    #expect(checked > 10)
  }

  /// A declared mesh whose ids need escapes (a quote, a backslash, a control
  /// character, non-ASCII) or not, with declared inputs with and without column lists,
  /// and column lineage: every kind of reason but a read with columns unknown (a reader
  /// with no declaration, which graph JSON gives: see the test above).
  static func declaredMesh(plain: Bool) -> LineageModel {
    let odd = plain ? ["src", "mid", "top", "use"] : ["s\"rc", "mi\\d", "t\u{1}op", "üse"]
    var mesh = Mesh(name: "t", domains: [Domain(id: "x", owner: "tx")], teams: [Team(id: "tx")])
    mesh.nodes = [
      MeshNode(
        id: odd[0], kind: .source, domain: "x",
        schema: [Column(name: "id", type: "bigint", nullable: false), Column(name: "n\"ote", type: "varchar(9)")]),
      MeshNode(
        id: odd[1], kind: .product, domain: "x", inputs: [Input(product: odd[0], columns: ["id", "n\"ote"])],
        schema: [
          Column(name: "id", type: "bigint", from: [ColumnRef(product: odd[0], column: "id")]),
          Column(name: "copy", from: [ColumnRef(product: odd[0], column: "n\"ote", transform: .filter)]),
        ]),
      MeshNode(id: odd[2], kind: .product, domain: "x", inputs: [Input(product: odd[1]), Input(product: odd[0])]),
      MeshNode(id: odd[3], kind: .consumer, domain: "x", inputs: [Input(product: odd[2], columns: ["x"])]),
      MeshNode(id: odd[3] + ".2", kind: .consumer, domain: "x", inputs: [Input(product: odd[1])]),
    ]
    return LineageModel(mesh: mesh, loadFindings: [], source: "test")
  }

  /// Every change to every product and column of a declared mesh: the report written
  /// from the blast radius (reasons worded as they are written, paths walked from
  /// their steps) is the report written from its rows, and the blast radius made again
  /// from its rows as values is the same.
  @Test(arguments: [false, true]) func everyReasonIsWrittenAsItsRowSaysIt(plain: Bool) throws {
    let m = Self.declaredMesh(plain: plain)
    var kinds = Set<String>()
    var checked = 0
    for v in 0..<Int32(m.graph.nodeCount) {
      var cases: [(String?, SchemaChange)] = [(nil, .retire)]
      for c in m.declaration(of: v)?.schema ?? [] {
        cases += [(c.name, .drop), (c.name, .rename(nil)), (c.name, .nullable), (c.name, .retype("int"))]
      }
      for (column, change) in cases {
        for gone in ["retired", plain ? "removed" : "re\"moved"] {
          let r = try ImpactAnalysis.analyze(m, product: v, column: column, change: change, gone: gone)
          for i in 0..<r.count {
            switch r.reasonData(at: i) {
            case .text: kinds.insert("text")
            case .readsGone: kinds.insert("gone")
            case .readsColumnsUnknown: kinds.insert("unknown")
            case .readsUndeclaredColumns: kinds.insert("undeclared")
            }
          }
          let direct = ImpactReport(r, model: m)
          var fromRows = direct
          fromRows.rows = direct.rows
          #expect(direct.json() == fromRows.json(), "\(m.graph.id(v)) \(change)")
          #expect(direct.jsonPieces().flatMap { $0 } == direct.json())
          for color in [false, true] {
            let style = TextStyle(color: color)
            #expect(direct.textBytes(style: style) == fromRows.textBytes(style: style))
          }
          let again = ImpactResult(
            product: r.product, column: r.column, change: r.change, typeChange: r.typeChange, affected: r.affected,
            columnVerdicts: r.columnVerdicts)
          #expect(again.affected == r.affected)
          checked += r.count
        }
      }
    }
    #expect(kinds == ["text", "gone", "undeclared"])
    #expect(checked > 20)
  }

  /// A reason that ends in spaces (a column named "x ") ends its line as the general
  /// layout ends it: trimmed without colour, kept inside the colour codes with it.
  @Test func aReasonEndingInSpacesIsLaidOutAsTheRowsLayItOut() throws {
    let m = try GraphImageTests.model()
    let r = ImpactResult(
      product: 0, column: nil, change: .retire, typeChange: nil,
      affected: [
        .init(node: 1, verdict: .breaks, columns: ["x "], reason: "copied from p.x  ", path: [0, 1]),
        .init(node: 2, verdict: .mayBreak, columns: [], reason: "", path: [0, 1, 2]),
      ], columnVerdicts: [:])
    let direct = ImpactReport(r, model: m)
    var fromRows = direct
    fromRows.rows = direct.rows
    for color in [false, true] {
      let style = TextStyle(color: color)
      #expect(direct.textBytes(style: style) == fromRows.textBytes(style: style), "colour \(color)")
    }
  }

  @Test func chunkedImpactRowsAreTheRowsWrittenWhole() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let demo = try ModelLoader.load(path: root + "/samples/demo")
    let cases: [(LineageModel, Int32)] = [
      (try GraphImageTests.model(), 0), (demo, try #require(demo.graph.index(of: "crm.raw_customers"))),
    ]
    for (m, v) in cases {
      let r = try ImpactAnalysis.analyze(m, product: v, column: nil, change: .retire)
      let n = r.affected.count
      #expect(n > 3)
      func written(_ chunks: Int) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("affected")
        w.beginArray()
        ImpactReport.writeRows(r, model: m, into: &w, chunks: chunks)
        w.endArray()
        w.endObject()
        #expect(ChunkedRowsTests.streamed(w.output) == w.bytes, "\(chunks) blocks")
        return String(decoding: w.bytes, as: UTF8.self)
      }
      let whole = written(1)
      for chunks in [2, 3, 5, n - 1, n, n + 4] { #expect(written(chunks) == whole, "\(chunks) chunks of \(n) rows") }
    }
  }
}

/// Long answers go through the writer's read-ahead: paths walked a batch at a time into
/// a ring that widens for long paths, the rows' places asked for ahead.
@Suite struct ImpactReadAheadTests {
  /// A chain of 300 nodes (paths up to 300 long, past the ring's first width) with a
  /// reader off every third link, ids numbered out of their order in the chain so that
  /// rows in id order jump along it.
  static func chainModel() -> LineageModel {
    let n = 300
    func id(_ i: Int) -> String { "n\((i * 7919) % 1009)" }
    var mesh = Mesh(name: "t", domains: [Domain(id: "x", owner: "tx")], teams: [Team(id: "tx")])
    mesh.nodes = [MeshNode(id: id(0), kind: .source, domain: "x")]
    for i in 1..<n {
      mesh.nodes.append(MeshNode(id: id(i), kind: .product, domain: "x", inputs: [Input(product: id(i - 1))]))
      if i % 3 == 0 {
        mesh.nodes.append(
          MeshNode(id: id(i) + ".use", kind: .consumer, inputs: [Input(product: id(i)), Input(product: id(i - 2))]))
      }
    }
    return LineageModel(mesh: mesh, loadFindings: [], source: "test")
  }

  @Test func longPathsAndManyRowsAreWrittenAsTheirRowsSayThem() throws {
    let m = Self.chainModel()
    let r = try ImpactAnalysis.analyze(m, product: 0, column: nil, change: .retire)
    #expect(r.count == m.graph.nodeCount - 1)
    #expect((0..<r.count).map { r.path(at: $0).count }.max() == 300)
    let direct = ImpactReport(r, model: m)
    var fromRows = direct
    fromRows.rows = direct.rows
    let json = direct.json()
    let same = json == fromRows.json()
    #expect(same)
    for color in [false, true] {
      let style = TextStyle(color: color)
      let sameText = direct.textBytes(style: style) == fromRows.textBytes(style: style)
      #expect(sameText, "colour \(color)")
    }
    // In blocks of every size around the read-ahead's batches and ring.
    for chunks in [2, 7, 33, 101, r.count - 1] {
      var w = JSONWriter()
      w.beginArray()
      ImpactReport.writeRows(r, model: m, into: &w, chunks: chunks)
      w.endArray()
      var whole = JSONWriter()
      whole.beginArray()
      ImpactReport.writeRows(r, model: m, into: &whole, chunks: 1)
      whole.endArray()
      let sameBlocks = w.bytes == whole.bytes
      #expect(sameBlocks, "\(chunks) chunks")
    }
  }
}

/// An image past two checksum chunks (16 MiB) is parsed on one core while the others
/// work out its checksum: the same model, and any flipped byte still refused.
@Suite struct LargeImageTests {
  @Test func aLargeImageIsParsedWhileItsChecksumIsWorkedOut() throws {
    let n = 250_000
    var b = GraphBuilder()
    for i in 0..<n { _ = b.node("node.\(i)") }
    for i in 1..<n { b.addEdge(Int32(i - 1), Int32(i)) }
    let m = LineageModel(graph: b.build(), findings: [], source: "test", name: "t")
    let image = try #require(GraphImage.encode(m, key: 7))
    #expect(image.count > 17 << 20)
    let back = try #require(image.withUnsafeBytes { GraphImage.decode($0, key: 7) })
    #expect(back.graph.nodeCount == n && back.graph.id(Int32(n - 1)) == "node.\(n - 1)")
    #expect(back.graph.forward.neighbors(0).elementsEqual([1]))
    for p in [70, image.count / 3, image.count / 2, image.count - 9] {
      var bad = image
      bad[p] ^= 0x5A
      // (A Bool first: a failed expectation would print the whole model.)
      let refused = bad.withUnsafeBytes { GraphImage.decode($0, key: 7) } == nil
      #expect(refused, "flipped byte \(p)")
    }
  }

  /// The checksum of a large input is its 8 MiB chunks' digests digested again, as it
  /// was before the parse ran beside it (images written before stay readable), and
  /// the work beside it runs once.
  @Test func theChecksumOfALargeInputIsItsChunksDigests() {
    let bytes = (0..<(20 << 20) + 13).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
    let ran = Atomic<Int>(0)
    bytes.withUnsafeBufferPointer { all in
      let chunk = 8 << 20
      var digests: [UInt64] = []
      for (c, lo) in stride(from: 0, to: all.count, by: chunk).enumerated() {
        digests.append(
          GraphImage.digest(UnsafeBufferPointer(rebasing: all[lo..<min(all.count, lo + chunk)]), seed: UInt64(c + 1)))
      }
      let expected = digests.withUnsafeBytes {
        GraphImage.digest($0.assumingMemoryBound(to: UInt8.self), seed: UInt64(all.count))
      }
      #expect(GraphImage.checksum(all) == expected)
      #expect(GraphImage.checksum(all) { ran.add(1, ordering: .relaxed) } == expected)
    }
    #expect(ran.load(ordering: .relaxed) == 1)
  }
}
