import Testing

@testable import LineageCore
@testable import LineageReports

@Suite struct JSONWriterTests {
  @Test func escapesEverythingUntrusted() {
    var w = JSONWriter(pretty: false)
    w.beginObject()
    w.field("k\"ey", "q\"uote \\ back\nline\ttab \u{1B}[31m \u{7F} é 🙂")
    w.field("n", 42)
    w.field("list", ["a", "b"])
    w.key("none")
    w.null()
    w.endObject()
    let text = String(decoding: w.bytes, as: UTF8.self)
    #expect(
      text == #"{"k\"ey":"q\"uote \\ back\nline\ttab \u001b[31m \u007f é 🙂","n":42,"list":["a","b"],"none":null}"#)
  }

  @Test func prettyWithCompactRows() {
    var w = JSONWriter()
    w.beginObject()
    w.key("nodes")
    w.beginArray()
    for id in ["a", "b"] {
      w.beginObject(compact: true)
      w.field("id", id)
      w.field("depth", 0)
      w.endObject()
    }
    w.endArray()
    w.key("empty")
    w.beginArray()
    w.endArray()
    w.endObject()
    let text = String(decoding: w.bytes, as: UTF8.self)
    #expect(
      text == """
        {
          "nodes": [
            {"id":"a","depth":0},
            {"id":"b","depth":0}
          ],
          "empty": []
        }

        """)
  }
}

@Suite struct TextTests {
  @Test func terminalSafeNeutralisesControlCharacters() {
    #expect(terminalSafe("plain.id") == "plain.id")
    #expect(terminalSafe("evil\u{1B}[2Jid") == "evil\\u{1b}[2Jid")
    #expect(terminalSafe("two\nlines\r") == "two\\nlines\\u{d}")
    #expect(terminalSafe("rtl\u{202E}txt") == "rtl\\u{202e}txt")
    #expect(terminalSafe("日本") == "日本")
  }

  @Test func tablesAlignByDisplayWidth() {
    let t = table([["日本", "x"], ["ab", "y"]])
    #expect(t == "  日本  x\n  ab    y\n")
  }

  @Test func findingLineFormat() {
    let f = Finding(
      rule: "unresolved-reference", severity: .error, message: "unknown team 'x'", subjects: ["a"],
      location: SourceLocation(file: "m/a.yaml", line: 3, column: 8), hint: "did you mean 'y'?")
    #expect(
      FindingsReport.line(f, style: TextStyle(color: false))
        == "m/a.yaml:3:8: error: unknown team 'x' [unresolved-reference]\n    hint: did you mean 'y'?\n")
    let colored = FindingsReport.line(f, style: TextStyle(color: true))
    #expect(colored.contains("\u{1B}[31m"))
  }

  @Test func nodeListGroupsByDomain() {
    let rows = [
      NodeRow(id: "b.x", kind: "product", domain: "b", owner: "t", depth: 1, status: "deprecated"),
      NodeRow(id: "a.y", kind: "source", domain: "a", owner: nil, depth: 0, status: "active"),
    ]
    let r = NodeListReport(command: "downstream", selector: ["a.y"], rows: rows)
    #expect(
      r.text(style: TextStyle(color: false)) == """
        downstream of a.y: 2 nodes in 2 domains, deepest 1 hop

        a  1
          a.y  source  -  root

        b  1
          b.x  product  t  1 hop  deprecated

        """)
  }
}

@Suite struct SARIFWriterTests {
  /// Every rule a result names is listed with its catalogue summary, the diff's change
  /// rules included; an id the catalogue lacks falls back to its words.
  @Test func everyRuleIsDescribedFromTheCatalogue() {
    let findings = [
      Finding(rule: .columnDropped, severity: .error, message: "m", subjects: ["a.b"]),
      Finding(rule: .noCycles, severity: .error, message: "m"),
      Finding(rule: "made-up-rule", severity: .info, message: "m"),
    ]
    let text = String(decoding: SARIFWriter.write(findings), as: UTF8.self)
    for rule in [Finding.Rule.columnDropped, .noCycles] {
      let summary = rule.info?.summary ?? ""
      #expect(!summary.isEmpty)
      #expect(text.contains(#"{"id":"\#(rule.rawValue)","shortDescription":{"text":"\#(summary)"}}"#), "\(rule)")
    }
    #expect(text.contains(#"{"id":"made-up-rule","shortDescription":{"text":"made up rule"}}"#))
    #expect(text.contains(#""ruleId": "column-dropped""#))
  }
}

@Suite struct NodeListWordingTests {
  /// More than 200 edges: the rest are counted, with where to find them in the front
  /// end's words; the library's own words name no option.
  @Test func leftOutEdgesAreCountedInTheFrontEndsWords() {
    let edges = (0..<203).map { EdgeRow(from: "a.\($0)", to: "b.x", provenance: ["p"]) }
    let report = NodeListReport(
      command: "select", selector: ["b.x"],
      rows: [NodeRow(id: "b.x", kind: "product", domain: "b", owner: nil, depth: 0, status: "active")],
      edges: edges)
    let plain = report.text(style: TextStyle(color: false))
    #expect(plain.contains("  ... 3 more; the JSON output lists them all\n"))
    #expect(!plain.contains("--format"))
    let worded = report.text(style: TextStyle(color: false), moreEdges: "--format json lists them all")
    #expect(worded.contains("  ... 3 more; --format json lists them all\n"))
  }
}

@Suite struct ImpactCountTests {
  /// The counts per owner and per domain made in two halves (on two cores) are the
  /// counts made in one: every row counted once, nodes with no owner or domain under
  /// "none", breaks and may-breaks apart.
  @Test func countsInTwoHalvesAreCountsInOne() throws {
    var b = GraphBuilder()
    let n = 301
    for i in 0..<n {
      let v = b.node("n\(i)")
      // Some nodes have no domain or owner; the rest cycle through a few.
      if i % 5 != 0 { "d\(i % 7)".utf8.withContiguousStorageIfAvailable { b.setDomain(v, bytes: $0) } }
      if i % 3 != 0 { "o\(i % 4)".utf8.withContiguousStorageIfAvailable { b.setOwner(v, bytes: $0) } }
    }
    // A tree with cross edges: the root's readers break, the rest may break.
    for i in 1..<n { b.addEdge(Int32((i - 1) / 3), Int32(i)) }
    for i in stride(from: 7, to: n, by: 11) { b.addEdge(Int32(i), Int32((i * 13) % n)) }
    let m = LineageModel(graph: b.build(), findings: [], source: "test", name: "t")
    let r = try ImpactAnalysis.analyze(m, product: 0, column: nil, change: .retire)
    #expect(r.count == n - 1)
    let g = m.graph
    for (attribute, names) in [(g.domain, g.domainNames), (g.owner, g.ownerNames)] {
      let one = ImpactReport.counts(r, by: attribute, names: names, none: "-", halvesFrom: .max)
      let two = ImpactReport.counts(r, by: attribute, names: names, none: "-", halvesFrom: 1)
      #expect(one.mapValues { [$0.breaks, $0.mayBreak] } == two.mapValues { [$0.breaks, $0.mayBreak] })
      #expect(one.values.reduce(0) { $0 + $1.breaks + $1.mayBreak } == n - 1)
      #expect(one.values.reduce(0) { $0 + $1.breaks } == 3)
      #expect(one["-"] != nil)
    }
  }
}

@Suite struct RowWriterTests {
  /// Pieces of every length from 0 to 80 (bytes, words with an overlapping last word,
  /// memmove), put one after another at every alignment, give exactly their bytes, and
  /// nothing past the end is written.
  @Test func piecesOfEveryLengthAreCopiedExactly() {
    let source = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    for n in 0...80 {
      for offset in 0..<9 {
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: offset + 2 * n + 16)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0xEE)
        var w = RowWriter(UnsafeMutableBufferPointer(rebasing: scratch[0..<offset + 2 * n]))
        for _ in 0..<offset { w.put(UInt8(ascii: "x")) }
        source.withUnsafeBufferPointer { s in
          w.put(UnsafeBufferPointer(rebasing: s[3..<3 + n]))
          w.put(UnsafeBufferPointer(rebasing: s[100..<100 + n]))
        }
        let want = Array(repeating: UInt8(ascii: "x"), count: offset) + source[3..<3 + n] + source[100..<100 + n]
        #expect(w.count == want.count)
        let same = Array(scratch[0..<w.count]) == want
        #expect(same, "\(n) bytes at offset \(offset)")
        #expect(scratch[w.count...].allSatisfy { $0 == 0xEE }, "nothing past the end, \(n) bytes at \(offset)")
      }
    }
  }
}
