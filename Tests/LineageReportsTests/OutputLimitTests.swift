import Foundation
import Testing

@testable import LineageCore
@testable import LineageReports

/// Outputs that fit where they go: a Markdown comment within GitHub's 65,536-character
/// limit whatever the change, and SARIF within code scanning's upload limits.
@Suite struct OutputLimitTests {
  /// A mesh with `readers` products reading `core.orders.status` (by column lineage),
  /// in 40 domains of their own teams, and `others` products of their own.
  static func mesh(readers: Int, others: Int, dropStatus: Bool, addColumns: Bool = false) -> LineageModel {
    var nodes: [MeshNode] = []
    var orders = MeshNode(id: "core.orders", kind: .product, domain: "core", owner: "team-core")
    orders.schema = [Column(name: "id", type: "int")] + (dropStatus ? [] : [Column(name: "status", type: "text")])
    nodes.append(orders)
    var domains = [Domain(id: "core", owner: "team-core")]
    var teams = [Team(id: "team-core")]
    for d in 0..<40 {
      domains.append(Domain(id: "d\(d)", owner: "team-d\(d)"))
      teams.append(Team(id: "team-d\(d)"))
    }
    for k in 0..<readers {
      var n = MeshNode(id: "d\(k % 40).reader_with_a_long_name_\(k)", kind: .product, domain: "d\(k % 40)")
      n.inputs = [Input(product: "core.orders", columns: ["status"])]
      n.schema = [Column(name: "status", type: "text", from: [ColumnRef(product: "core.orders", column: "status")])]
      nodes.append(n)
    }
    for k in 0..<others {
      var n = MeshNode(id: "d\(k % 40).other_\(k)", kind: .product, domain: "d\(k % 40)")
      n.schema = [Column(name: "a", type: "int")] + (addColumns ? [Column(name: "b", type: "int")] : [])
      nodes.append(n)
    }
    return LineageModel(
      mesh: Mesh(name: "big", domains: domains, teams: teams, nodes: nodes), loadFindings: [], source: "big")
  }

  static func report(
    readers: Int, others: Int, mermaid: [(title: String, text: String, note: String?)] = []
  ) -> DiffReport {
    let base = mesh(readers: readers, others: others, dropStatus: false)
    let head = mesh(readers: readers, others: others, dropStatus: true, addColumns: true)
    let (changes, versions) = MeshDiff.compare(base: base, head: head)
    let decision = DiffGate.decide(changes, threshold: .breaks, ignores: [], today: "2026-01-01")
    return DiffReport(
      base: "base", head: "head", changes: changes, versions: versions, decision: decision, threshold: .breaks,
      dangling: MeshDiff.danglingReferences(base: base, head: head), mermaid: mermaid)
  }

  @Test func aSmallCommentIsTheWholeReport() {
    let r = Self.report(readers: 3, others: 2)
    #expect(r.markdown() == r.markdown(limit: .max))
    #expect(!r.markdown().contains("Shortened"))
  }

  @Test func aLargeCommentFitsGitHub() {
    // 3,000 readers break, 400 columns are added: the whole report is far over the limit.
    let r = Self.report(readers: 3_000, others: 400)
    let whole = r.markdown(limit: .max)
    #expect(whole.utf8.count > 4 * Markdown.gitHubCommentLimit)
    let comment = r.markdown(fullReport: "The whole report is in diff-report.md.")
    #expect(comment.utf8.count <= Markdown.gitHubCommentLimit)
    #expect(comment.count <= Markdown.gitHubCommentLimit)
    // The summary, the failing change first, the first readers, and how many more.
    #expect(comment.contains("❌ **Gate failed**: 1 breaking change(s)"))
    #expect(comment.contains("401 change(s), 1 breaking"))
    let firstRow = comment.split(separator: "\n").first { $0.hasPrefix("| ❌") || $0.hasPrefix("| ok") }
    #expect(firstRow?.hasPrefix("| ❌ fails | `core.orders` | column status dropped") == true)
    #expect(comment.contains("ℹ️ **Shortened** to fit a GitHub comment"))
    #expect(comment.contains("The whole report is in diff-report.md."))
    #expect(comment.contains("more changes (0 breaking)"))
    #expect(comment.contains("- … and "))
    #expect(comment.contains("#### team-d0"))
  }

  @Test func diagramsAreKeptWhileTheyFit() {
    let big = String(repeating: "  n0 --> n1\n", count: 3_000)  // 36,000 bytes each
    let small = "flowchart LR\n  n0 --> n1\n"
    let r = Self.report(
      readers: 300, others: 0,
      mermaid: [("first", big, nil), ("second", big, nil), ("third", small, "a focus: the whole is too large")])
    let comment = r.markdown()
    #expect(comment.utf8.count <= Markdown.gitHubCommentLimit)
    #expect(comment.contains("`third` (a focus: the whole is too large)"))
    #expect(comment.contains("diagram") && comment.contains("left out"))
    // Every code fence is closed.
    #expect(comment.components(separatedBy: "```").count % 2 == 1)
  }

  @Test func anyLimitIsKept() {
    let r = Self.report(readers: 500, others: 50)
    for limit in [1_500, 4_000, 20_000] {
      let comment = r.markdown(limit: limit)
      #expect(comment.utf8.count <= limit, "\(limit)")
      #expect(comment.contains("fit"), "\(limit)")
    }
  }

  static func findings(_ n: Int) -> [Finding] {
    (0..<n).map { k in
      Finding(
        rule: .requireOwner, severity: k % 10 == 0 ? .error : k % 2 == 0 ? .warning : .info,
        message: "product 'd\(k % 40).reader_with_a_long_name_\(k)' has no owner", subjects: ["p\(k)"],
        location: SourceLocation(file: "domains/d\(k % 40).yaml", line: k + 1, column: 1), hint: "name a team")
    }
  }

  @Test func aLongFindingsTableFitsGitHub() {
    let report = FindingsReport(findings: Self.findings(5_000), source: "mesh directory big")
    let whole = report.markdown(limit: .max)
    #expect(whole.utf8.count > Markdown.gitHubCommentLimit)
    let comment = report.markdown()
    #expect(comment.utf8.count <= Markdown.gitHubCommentLimit)
    #expect(comment.contains("❌ **failed**: 500 errors, 2000 warnings, 2500 notes"))
    #expect(comment.contains("findings left out"))
    // Errors first: every error row comes before the first warning row.
    let rows = comment.split(separator: "\n").filter { $0.hasPrefix("| error") || $0.hasPrefix("| warning") }
    #expect(rows.first?.hasPrefix("| error") == true)
    #expect(report.markdown(limit: 3_000).utf8.count <= 3_000)
    let small = FindingsReport(findings: Self.findings(3), source: "s")
    #expect(small.markdown() == small.markdown(limit: .max))
  }

  @Test func sarifKeepsTheMostSevereWithinCodeScanningLimits() throws {
    let findings = Self.findings(12_000)
    let log = SARIFWriter.write(findings)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(log)) as? [String: Any])
    let runs = try #require(json["runs"] as? [[String: Any]])
    #expect(runs.count == 1)
    let results = try #require(runs[0]["results"] as? [[String: Any]])
    #expect(results.count == SARIFWriter.maxResults)
    // All 1,200 errors, then the first 3,800 warnings; no notes.
    #expect(results.count { $0["level"] as? String == "error" } == 1_200)
    #expect(results.count { $0["level"] as? String == "warning" } == 3_800)
    #expect(results.allSatisfy { ($0["locations"] as? [Any])?.count == 1 })
    let invocation = try #require((runs[0]["invocations"] as? [[String: Any]])?.first)
    let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
    let text = (notes.last?["message"] as? [String: Any])?["text"] as? String ?? ""
    #expect(text.hasPrefix("7000 of 12000 findings are left out of this log (0 errors, 1000 warnings, 6000 notes)"))
    // A log within the limit is as it was.
    let few = SARIFWriter.write(Self.findings(10))
    #expect(!String(decoding: few, as: UTF8.self).contains("toolExecutionNotifications"))
  }

  @Test func sarifStaysWithinTheUploadSize() throws {
    // 300 findings of 2,000-character messages: about 650 KB whole; kept under 100 KB.
    var findings = Self.findings(300)
    for k in findings.indices { findings[k].message = String(repeating: "x", count: 2_000) }
    let whole = SARIFWriter.write(findings)
    let log = SARIFWriter.write(
      findings, fallbackFile: nil, executionSuccessful: true, notifications: [], byteLimit: 100_000)
    #expect(whole.count > 100_000)
    #expect(log.count <= 100_000)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(log)) as? [String: Any])
    let run = try #require((json["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count > 30 && results.count < 50)
    // The most severe are kept: errors (30 of 300) first.
    #expect(results.count { $0["level"] as? String == "error" } == 30)
    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
    let text = (notes.last?["message"] as? [String: Any])?["text"] as? String ?? ""
    #expect(text.contains("of 300 findings are left out of this log"))
    #expect(text.contains("past code scanning's 10 MB upload limit"))
    // One more result would not have fitted: the count is the largest that does.
    let more = SARIFWriter.write(
      findings, fallbackFile: nil, executionSuccessful: true, notifications: [], byteLimit: log.count + 1_000)
    let moreResults = try #require(
      ((try JSONSerialization.jsonObject(with: Data(more)) as? [String: Any])?["runs"] as? [[String: Any]])?.first?[
        "results"] as? [[String: Any]])
    #expect(moreResults.count <= results.count + 1)
  }

  @Test func sarifCutsVeryLongMessages() throws {
    var findings = Self.findings(1)
    findings[0].message = String(repeating: "y", count: 50_000)
    findings[0].hint = nil
    let log = String(decoding: SARIFWriter.write(findings), as: UTF8.self)
    #expect(log.contains("… (42000 more characters; the text and JSON outputs have it whole)"))
    #expect(log.utf8.count < 20_000)
  }
}
