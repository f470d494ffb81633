import Foundation
import LineageCore
import LineageLoaders
import Testing

@testable import LineageExplorer

/// The page as assembled in Swift: the escaping of embedded data, the hashes of the
/// Content-Security-Policy, the data's shape. The page's behaviour is tested in a real
/// browser (EndToEndTests/ExplorerBrowserTests).
struct ExplorerPageTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static func demo() throws -> LineageModel { try ModelLoader.load(path: root + "/samples/demo") }

  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  @Test func scriptSafeJSONCannotEndTheScriptElement() throws {
    let hostile = #"{"a":"</script><script>alert(1)</script><!--","b":"x\#u{2028}y\#u{2029}z"}"#
    let escaped = Self.text(ScriptSafe.escape(Array(hostile.utf8)))
    #expect(!escaped.contains("<"))
    #expect(!escaped.contains("\u{2028}") && !escaped.contains("\u{2029}"))
    // Still the same JSON.
    let a = try JSONSerialization.jsonObject(with: Data(hostile.utf8)) as? [String: String]
    let b = try JSONSerialization.jsonObject(with: Data(escaped.utf8)) as? [String: String]
    #expect(a == b)
    #expect(a?["a"]?.hasPrefix("</script>") == true)
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5, 64, 1000])
  func base64AgreesWithFoundation(_ n: Int) {
    let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    #expect(Base64.string(bytes) == Data(bytes).base64EncodedString())
  }

  @Test func sha256MatchesAKnownDigest() {
    // FIPS 180-2, "abc".
    let digest = SHA256Digest.of(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
    #expect(digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func gzipRoundTripsThroughFoundationlessZlib() throws {
    let bytes = Array(String(repeating: "lineage explorer ", count: 5_000).utf8)
    let packed = try #require(Gzip.compress(bytes))
    #expect(packed.count < bytes.count / 20)
    #expect(packed.starts(with: [0x1F, 0x8B]))
  }

  @Test func htmlEscapesTheFiveCharacters() {
    #expect(
      HTML.escape(#"<a href="x" title='y'>&</a>"#) == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
  }

  @Test func theAssetsCannotCloseTheirElementsEarly() {
    #expect(!Self.text(ExplorerPage.script).lowercased().contains("</script"))
    #expect(!Self.text(ExplorerPage.stylesheet).lowercased().contains("</style"))
    // The DOM is reached through text nodes and attribute setters only.
    let js = Self.text(ExplorerPage.script)
    for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"] {
      #expect(!js.contains(sink), "explorer.js uses \(sink)")
    }
  }

  /// The document's policy names the SHA-256 of exactly the inline script and style.
  @Test func theDocumentsPolicyHashesItsInlineScriptAndStyle() throws {
    let page = Self.text(try ExplorerPage.document(Self.demo(), ExplorerOptions(today: "2024-06-01")).bytes)
    let policy = try #require(page.firstMatch(of: /http-equiv="Content-Security-Policy" content="([^"]+)"/)?.1)
    #expect(policy.hasPrefix("default-src &#39;none&#39;"))
    let js = Base64.string(SHA256Digest.of(ExplorerPage.script))
    let css = Base64.string(SHA256Digest.of(ExplorerPage.stylesheet))
    #expect(policy.contains("script-src &#39;sha256-\(js)&#39;"))
    #expect(policy.contains("style-src &#39;sha256-\(css)&#39;"))
    #expect(!policy.contains("unsafe"))
    // The inline script is the asset, byte for byte.
    #expect(page.contains("<script>" + Self.text(ExplorerPage.script) + "</script>"))
    #expect(page.contains("<style>" + Self.text(ExplorerPage.stylesheet) + "</style>"))
    #expect(!page.contains("{{"))
  }

  @Test func theDemoDataHoldsTheGraphTheDiagramsAndTheBlastRadii() throws {
    let model = try Self.demo()
    let built = try ExplorerPage.data(model, ExplorerOptions(today: "2024-06-01"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(built.json)) as? [String: Any])
    let strings = try #require(object["s"] as? [String])
    let nodes = try #require(object["n"] as? [String: Any])
    let ids = try #require(nodes["id"] as? [Int]).map { strings[$0] }
    #expect(ids == (0..<Int32(model.graph.nodeCount)).map { model.graph.id($0) })
    #expect((object["e"] as? [Int])?.count == 2 * model.graph.edgeCount)
    let views = try #require(object["views"] as? [String: [String: Any]])
    #expect(Set(views.keys) == ["product", "column"])
    // Every graph node is in the product diagram under its index.
    let svg = try #require(views["product"]?["svg"] as? String)
    for v in 0..<model.graph.nodeCount { #expect(svg.contains("id=\"g\(v)\""), "node \(v)") }
    // A precomputed blast radius is the analysis's.
    let imp = try #require(object["imp"] as? [String: [String: [String: Any]]])
    let v = try #require(model.graph.index(of: "crm.customers"))
    let c = try #require(model.columns.column(of: v, named: "email"))
    let drop = try #require(imp["\(v).\(c)"]?["drop"]?["a"] as? [[Int]])
    let r = try ImpactAnalysis.analyze(model, target: "crm.customers.email", change: .drop)
    #expect(drop.map { Int32($0[0]) } == r.affected.map(\.node))
    #expect(!drop.isEmpty)
    #expect(built.notes.isEmpty)
  }

  @Test func aMeshPastTheSizePolicyGetsAnOverviewAndTheFocus() throws {
    // 4,200 nodes in 6 domains, a chain in each: past Views.sfdpLimit.
    var nodes: [String] = [], edges: [String] = []
    for i in 0..<4_200 {
      nodes.append(#"{"id":"d\#(i % 6).n\#(i)","domain":"d\#(i % 6)"}"#)
      if i >= 6 { edges.append(#"["d\#(i % 6).n\#(i - 6)","d\#(i % 6).n\#(i)"]"#) }
    }
    let dir = NSTemporaryDirectory() + "explorer-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/g.json"
    try Data(#"{"nodes":[\#(nodes.joined(separator: ","))],"edges":[\#(edges.joined(separator: ","))]}"#.utf8)
      .write(to: URL(fileURLWithPath: path))
    let model = try ModelLoader.load(path: path)
    let focus = try #require(model.graph.index(of: "d1.n601"))
    let built = try ExplorerPage.data(
      model, ExplorerOptions(focus: [focus], today: "2024-06-01", wording: .init(seeMore: "SEE MORE")))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(built.json)) as? [String: Any])
    let views = try #require(object["views"] as? [String: [String: Any]])
    #expect(Set(views.keys) == ["overview", "focus", "focusColumn"])
    #expect(views["overview"]?["level"] as? String == "domain")
    #expect(built.notes.count == 2)
    #expect(built.notes.allSatisfy { $0.hasSuffix("SEE MORE") })
    #expect((object["imp"] as? [String: Any])?.isEmpty == true)
    #expect(object["start"] as? [Int] == [Int(focus)])
  }
}
