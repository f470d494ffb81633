import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Runs the built `lineage` on the samples and compares with golden files.
/// Re-record the golden files with `LINEAGE_RECORD=1 swift test --filter EndToEndTests`.
enum CLI {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let golden = root + "/Tests/EndToEndTests/Golden"

  static var binary: String {
    if let env = ProcessInfo.processInfo.environment["LINEAGE_BIN"] { return env }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/lineage"
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return root + "/.build/debug/lineage"
  }

  /// The graph cache of the commands the tests run (a fresh temporary directory).
  static let testCache = NSTemporaryDirectory() + "lineage-test-cache-\(ProcessInfo.processInfo.processIdentifier)"

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ args: [String], cwd: String? = nil, env: [String: String] = [:], executable: String? = nil) throws
    -> Result
  {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable ?? binary)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: cwd ?? root)
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    // Graph images go to a directory of this test run, never the user's cache.
    environment["LINEAGE_CACHE"] = testCache
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  /// Compares `text` with the golden file `name`, or records it.
  static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = golden + "/" + name
    if ProcessInfo.processInfo.environment["LINEAGE_RECORD"] != nil {
      try FileManager.default.createDirectory(atPath: golden, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      Issue.record("missing golden file \(name); run with LINEAGE_RECORD=1", sourceLocation: sourceLocation)
      return
    }
    #expect(
      String(decoding: data, as: UTF8.self) == text, "output differs from \(name)", sourceLocation: sourceLocation)
  }

  static func json(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
  }

  /// `data` through `/bin/gzip` with `arguments` (`-c` packs, `-dc` unpacks); the input
  /// is written on a thread of its own, so that a large output cannot stall it.
  static func gzip(_ data: Data, _ arguments: [String]) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = arguments
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    let writer = input.fileHandleForWriting
    let written = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      writer.write(data)
      try? writer.close()
      written.signal()
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    written.wait()
    p.waitUntilExit()
    return out
  }
}

@Suite(.serialized) struct CLITests {
  @Test(
    arguments: [
      ("validate-demo.txt", ["validate", "--mesh", "samples/demo", "--today", "2026-11-23"], 0),
      ("validate-faulty.txt", ["validate", "--mesh", "samples/faulty", "--today", "2026-11-23"], 1),
      ("validate-demo-after-sunset.txt", ["validate", "--mesh", "samples/demo", "--today", "2027-03-02"], 1),
      ("owners-faulty.txt", ["owners", "--mesh", "samples/faulty"], 1),
      ("owners-faulty.json", ["owners", "--mesh", "samples/faulty", "--format", "json"], 1),
      ("owners-demo.txt", ["owners", "--mesh", "samples/demo"], 0),
      ("owners-faulty.md", ["owners", "--mesh", "samples/faulty", "--format", "markdown"], 1),
      (
        "validate-faulty.json", ["validate", "--mesh", "samples/faulty", "--format", "json", "--today", "2026-11-23"], 1
      ),
      ("downstream-customers.txt", ["downstream", "crm.customers", "--mesh", "samples/demo"], 0),
      ("downstream-customers.json", ["downstream", "crm.customers", "--mesh", "samples/demo", "--format", "json"], 0),
      (
        "upstream-dashboard-depth2.txt",
        ["upstream", "sales.sales_dashboard", "--depth", "2", "--mesh", "samples/demo"], 0
      ),
      (
        "select-finance-consumers.json",
        ["select", "domain:finance,kind:consumer", "tag:pii", "--mesh", "samples/demo", "--format", "json"], 0
      ),
      ("column-downstream.txt", ["downstream", "crm.customers.email", "--mesh", "samples/demo"], 0),
      ("cycles-faulty.txt", ["cycles", "--mesh", "samples/faulty"], 1),
      ("cycles-faulty.json", ["cycles", "--mesh", "samples/faulty", "--format", "json"], 1),
      ("cycles-demo.json", ["cycles", "--mesh", "samples/demo", "--format", "json"], 0),
      ("stats-demo.txt", ["stats", "--mesh", "samples/demo"], 0),
      ("stats-demo.json", ["stats", "--mesh", "samples/demo", "--format", "json"], 0),
      ("impact-drop-email.txt", ["impact", "crm.customers.email", "--change", "drop", "--mesh", "samples/demo"], 1),
      (
        "impact-drop-email.json",
        ["impact", "crm.customers.email", "--change", "drop", "--mesh", "samples/demo", "--format", "json"], 1
      ),
      (
        "impact-retype-amount.txt",
        ["impact", "sales.orders.amount_eur", "--change", "retype:decimal(10,2)", "--mesh", "samples/demo"], 0
      ),
      (
        "impact-retire-daily-sales.txt",
        ["impact", "sales.daily_sales", "--change", "retire", "--mesh", "samples/demo"], 1
      ),
      ("diff-demo.txt", ["diff", "samples/demo", "samples/demo-after", "--today", "2026-11-23"], 1),
      (
        "diff-demo.md",
        ["diff", "samples/demo", "samples/demo-after", "--format", "markdown", "--today", "2026-11-23"], 1
      ),
      (
        "diff-demo.json", ["diff", "samples/demo", "samples/demo-after", "--format", "json", "--today", "2026-11-23"], 1
      ),
      (
        "diff-demo.sarif",
        ["diff", "samples/demo", "samples/demo-after", "--format", "sarif", "--today", "2026-11-23"], 1
      ),
      (
        "diff-demo.junit.xml",
        ["diff", "samples/demo", "samples/demo-after", "--format", "junit", "--today", "2026-11-23"], 1
      ),
      (
        "validate-faulty.sarif",
        ["validate", "--mesh", "samples/faulty", "--format", "sarif", "--today", "2026-11-23"], 1
      ),
      (
        "validate-faulty.junit.xml",
        ["validate", "--mesh", "samples/faulty", "--format", "junit", "--today", "2026-11-23"], 1
      ),
      (
        "select-dbt-customers.txt",
        [
          "select", "+customers", "--mesh",
          "Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json",
        ], 0
      ),
      (
        "select-dbt-customers-eager.json",
        [
          "select", "+customers", "--indirect-selection", "eager", "--mesh",
          "Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json", "--format", "json",
        ], 0
      ),
      (
        "downstream-marquez-orders.json",
        [
          "downstream", "food_delivery:public.orders", "--mesh",
          "Tests/LineageLoadersTests/Corpus/marquez/seed/metadata.json", "--format", "json",
        ], 0
      ),
      (
        "downstream-marquez-orders.txt",
        [
          "downstream", "food_delivery:public.orders", "--mesh",
          "Tests/LineageLoadersTests/Corpus/marquez/seed/metadata.json",
        ], 0
      ),
      (
        "select-apples-cumulative.txt",
        [
          "select", "*", "--history", "cumulative", "--mesh",
          "Tests/LineageLoadersTests/Corpus/marquez/api_test_resources/apples",
        ], 0
      ),
      (
        "select-jobs.txt",
        ["select", "*", "--jobs", "--mesh", "Tests/LineageLoadersTests/Corpus/marquez/seed/column-lineage.json"], 0
      ),
      (
        "upstream-merged.json",
        [
          "upstream", "finance.board_pack", "--depth", "1", "--mesh", "samples/demo", "--mesh",
          "Tests/LineageLoadersTests/Corpus/marquez/seed/column-lineage.json", "--format", "json",
        ], 0
      ),
      (
        "validate-odps.txt",
        [
          "validate", "--mesh", "Tests/LineageLoadersTests/Corpus/odps_bitol/repo_files/docs/examples", "--today",
          "2026-11-23",
        ], 1
      ),
      (
        "render-impact.dot",
        ["render", "--impact", "crm.customers.email", "--change", "drop", "--format", "dot", "--mesh", "samples/demo"],
        0
      ),
    ] as [(String, [String], Int32)])
  func goldenOutputs(_ golden: String, _ args: [String], _ status: Int32) throws {
    let r = try CLI.run(args)
    #expect(r.status == status, "stderr: \(r.stderr)")
    try CLI.expectGolden(r.stdout, golden)
    if golden.hasSuffix(".json") || golden.hasSuffix(".sarif") { _ = try CLI.json(r.stdout) }
    if golden.hasSuffix(".xml") {
      let doc = try XMLDocument(data: Data(r.stdout.utf8))
      #expect(doc.rootElement()?.name == "testsuites")
    }
  }

  @Test func jsonFieldsOfTheBrief() throws {
    let r = try CLI.run(["downstream", "crm.customers", "--mesh", "samples/demo", "--format", "json"])
    let nodes = try CLI.json(r.stdout)["nodes"] as? [[String: Any]] ?? []
    #expect(!nodes.isEmpty)
    let ids = nodes.compactMap { $0["id"] as? String }
    #expect(ids == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    for n in nodes { for key in ["id", "kind", "domain", "owner", "depth"] { #expect(n[key] != nil, "\(key)") } }
    #expect(nodes.first { $0["id"] as? String == "crm.customers" }?["depth"] as? Int == 0)

    let c = try CLI.run(["cycles", "--mesh", "samples/faulty", "--format", "json"])
    let cycles = try CLI.json(c.stdout)["cycles"] as? [[String: Any]] ?? []
    #expect(cycles.count == 1)
    #expect(cycles.first?["nodes"] as? [String] == ["finance.daily_revenue", "finance.revenue", "sales.orders"])
    #expect((cycles.first?["culprit"] as? [String: String])?["to"] == "sales.orders")

    // The faulty sample shows every validate rule and every ownership rule.
    let v = try CLI.run(["validate", "--mesh", "samples/faulty", "--format", "json", "--today", "2026-11-23"])
    let findings = try CLI.json(v.stdout)["findings"] as? [[String: Any]] ?? []
    for f in findings { for key in ["rule", "severity", "message", "subjects"] { #expect(f[key] != nil) } }
    let rules = Set(findings.compactMap { $0["rule"] as? String })
    #expect(
      rules == [
        "no-cycles", "unresolved-reference", "entity-overlap", "duplicate-id", "missing-field",
        "unknown-field", "location-overlap", "require-owner", "require-description",
        "cross-domain-private-access", "pii-propagation", "deprecated-input", "sla-freshness",
        "max-depth",
      ])
    let o = try CLI.run(["owners", "--mesh", "samples/faulty", "--format", "json"])
    let audit = try CLI.json(o.stdout)["findings"] as? [[String: Any]] ?? []
    #expect(
      Set(audit.compactMap { $0["rule"] as? String }) == [
        "entity-overlap", "duplicate-id", "location-overlap", "team-spans-domains", "owner-not-domain-team",
        "require-owner", "schema-overlap",
      ])
    let overlap = audit.first { $0["rule"] as? String == "schema-overlap" }
    #expect(overlap?["subjects"] as? [String] == ["finance.billing_contacts", "marketing.contacts_enriched"])
  }

  @Test func importWritesAValidatingDirectoryAtomically() throws {
    let parent = NSTemporaryDirectory() + "lineage-import-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let manifest = "Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json"
    let out = parent + "/jaffle"
    let r = try CLI.run(["import", "dbt", manifest, "-o", out])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("imported 28 nodes, 29 edges in 1 domain into \(out)"))
    #expect(FileManager.default.fileExists(atPath: out + "/mesh.yaml"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["jaffle"])  // no temporary left
    // The directory answers like the manifest.
    let a = try CLI.run(["select", "+customers", "--mesh", out, "--format", "json"])
    let b = try CLI.run(["select", "+customers", "--mesh", manifest, "--format", "json"])
    let ids = { (t: String) in
      ((try? CLI.json(t))?["nodes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }
    #expect(ids(a.stdout) == ids(b.stdout) && ids(a.stdout).count == 7)
    // An existing directory needs --force; a missing parent is an input error.
    #expect(try CLI.run(["import", "dbt", manifest, "-o", out]).status == 2)
    #expect(try CLI.run(["import", "dbt", manifest, "-o", out, "--force"]).status == 0)
    #expect(try CLI.run(["import", "dbt", manifest, "-o", parent + "/missing/x"]).status == 2)
    // The wrong format for the file is an input error, and writes nothing.
    let wrong = try CLI.run(["import", "dbt", "samples/demo/mesh.yaml", "-o", parent + "/wrong"])
    #expect(wrong.status == 2)
    #expect(!FileManager.default.fileExists(atPath: parent + "/wrong"))
    for (format, input) in [
      ("openlineage", "Tests/LineageLoadersTests/Corpus/marquez/seed/metadata.json"),
      ("odps", "Tests/LineageLoadersTests/Corpus/odps_bitol/repo_files/docs/examples"),
    ] {
      let dir = parent + "/" + format
      #expect(try CLI.run(["import", format, input, "-o", dir]).status == 0)
      let v = try CLI.run(["validate", "--mesh", dir, "--format", "json"])
      let findings = (try CLI.json(v.stdout))["findings"] as? [[String: Any]] ?? []
      let loadErrors = findings.filter {
        $0["severity"] as? String == "error" && !["require-owner"].contains($0["rule"] as? String ?? "")
      }
      #expect(loadErrors.isEmpty, "\(format): \(loadErrors.prefix(2))")
    }
  }

  @Test func findsTheMeshUpwardFromASubdirectory() throws {
    let r = try CLI.run(["stats", "--format", "json"], cwd: CLI.root + "/samples/demo/domains/sales")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try CLI.json(r.stdout)["nodes"] as? Int == 68)
  }

  @Test func usageAndInputErrorsExitTwo() throws {
    let cases: [([String], String)] = [
      (["frobnicate"], "Unknown command 'frobnicate'."),
      (["valdate", "--mesh", "samples/demo"], "Unknown command 'valdate'. Did you mean 'validate'?"),
      (["validate", "--mesg", "samples/demo"], "Did you mean '--mesh'?"),
      (["downstream", "crm.customer", "--mesh", "samples/demo"], "did you mean 'crm.customers'?"),
      (["select", "domian:crm", "--mesh", "samples/demo"], "did you mean 'domain'?"),
      (["select", "@+x", "--mesh", "samples/demo"], "column 1"),
      (["stats", "--mesh", "samples/nope"], "no such file or directory"),
      (["stats", "--mesh", "samples/demo/README.md"], "neither a mesh directory nor graph JSON"),
      (["stats"], "no mesh.yaml found"),
      (["downstream", "x", "--depth", "-1", "--mesh", "samples/demo"], "--depth"),
      (
        ["downstream", "crm.customers.emial", "--mesh", "samples/demo"], "has no column 'emial' (did you mean 'email'?)"
      ),
      (["impact", "crm.customers.emial", "--change", "drop", "--mesh", "samples/demo"], "did you mean 'email'?"),
      (
        ["impact", "crm.customer.email", "--change", "drop", "--mesh", "samples/demo"], "did you mean 'crm.customers'?"
      ),
      (["impact", "crm.customers.email", "--change", "explode", "--mesh", "samples/demo"], "unknown change 'explode'"),
      (["impact", "crm.customers", "--change", "drop", "--mesh", "samples/demo"], "applies to a column"),
      (["render", "--impact", "crm.customers.email", "--mesh", "samples/demo"], "go together"),
    ]
    for (args, message) in cases {
      let r = try CLI.run(args, cwd: args == ["stats"] ? "/" : nil)
      #expect(r.status == 2, "\(args): \(r.stderr)")
      #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(args)")
    }
  }

  @Test func graphJSONInputAndItsErrors() throws {
    let dir = NSTemporaryDirectory() + "lineage-e2e-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let good =
      #"{"nodes":[{"id":"a","domain":"x","layer":"src"},{"id":"b","domain":"y"},{"id":"c\u00e9"}],"edges":[["a","b"],{"source":"b","target":"c\u00e9"},["c\u00e9","a"]]}"#
    try Data(good.utf8).write(to: URL(fileURLWithPath: dir + "/g.json"))
    let r = try CLI.run(["downstream", "a", "--mesh", dir + "/g.json", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let ids = (try CLI.json(r.stdout)["nodes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(ids == ["a", "b", "cé"])
    let c = try CLI.run(["cycles", "--mesh", dir + "/g.json"])
    #expect(c.status == 1)
    #expect(c.stdout.contains("culprit: cé -> a"))

    let truncated = "{\"nodes\":[{\"id\":\"a\"},\n{\"id\":"
    try Data(truncated.utf8).write(to: URL(fileURLWithPath: dir + "/t.json"))
    let t = try CLI.run(["stats", "--mesh", dir + "/t.json"])
    #expect(t.status == 2)
    #expect(t.stderr.contains("t.json:2:7: error: unexpected end of input"), "\(t.stderr)")
  }

  @Test func atomicOutputFile() throws {
    let dir = NSTemporaryDirectory() + "lineage-out-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["stats", "--mesh", "samples/demo", "--format", "json", "-o", dir + "/stats.json"])
    #expect(r.status == 0 && r.stdout.isEmpty)
    #expect(
      try CLI.json(
        String(decoding: FileManager.default.contents(atPath: dir + "/stats.json") ?? Data(), as: UTF8.self))["nodes"]
        as? Int == 68)
    let missing = try CLI.run(["stats", "--mesh", "samples/demo", "-o", dir + "/nope/stats.txt"])
    #expect(missing.status == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["stats.json"])
  }

  @Test func colourOnlyWhenAsked() throws {
    let plain = try CLI.run(["cycles", "--mesh", "samples/faulty"])
    #expect(!plain.stdout.contains("\u{1B}["))
    let forced = try CLI.run(["cycles", "--mesh", "samples/faulty", "--color", "always"])
    #expect(forced.stdout.contains("\u{1B}["))
  }

  @Test func untrustedNamesCannotDriveTheTerminal() throws {
    let dir = NSTemporaryDirectory() + "lineage-esc-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let evil = #"{"nodes":[{"id":"a\u001b[2J","kind":"k\u001b]0;x\u0007","domain":"d\u001b[31m"}],"edges":[]}"#
    try Data(evil.utf8).write(to: URL(fileURLWithPath: dir + "/g.json"))
    for args in [["select", "*"], ["stats"], ["downstream", "a\u{1B}[2J"]] {
      let r = try CLI.run(args + ["--mesh", dir + "/g.json"])
      #expect(r.status == 0, "\(args) \(r.stderr)")
      #expect(!r.stdout.contains("\u{1B}") && !r.stderr.contains("\u{1B}"), "\(args)")
    }
    let dup = #"{"nodes":[{"id":"x\u001b[2J"},{"id":"x\u001b[2J"}]}"#
    try Data(dup.utf8).write(to: URL(fileURLWithPath: dir + "/d.json"))
    let r = try CLI.run(["stats", "--mesh", dir + "/d.json"])
    #expect(r.status == 2 && r.stderr.contains("duplicate node id") && !r.stderr.contains("\u{1B}"))
  }

  @Test func aClosedPipeIsNotACrash() throws {
    // Enough output to fill a pipe, read by a reader that stops after ten bytes.
    let dir = NSTemporaryDirectory() + "lineage-pipe-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let nodes = (0..<20_000).map { "{\"id\":\"node.\($0)\"}" }.joined(separator: ",")
    try Data("{\"nodes\":[\(nodes)],\"edges\":[]}".utf8).write(to: URL(fileURLWithPath: dir + "/g.json"))
    let q = Process()
    q.executableURL = URL(fileURLWithPath: "/bin/bash")
    q.arguments = [
      "-c", "'\(CLI.binary)' select '*' --mesh '\(dir)/g.json' | head -c 10 > /dev/null; echo \"${PIPESTATUS[0]}\"",
    ]
    let out = Pipe()
    q.standardOutput = out
    try q.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    q.waitUntilExit()
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
  }

  @Test func renderWritesEveryFormatAtomically() throws {
    let dir = NSTemporaryDirectory() + "lineage-render-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let magic: [String: [UInt8]] = [
      "svg": Array("<?xml".utf8), "png": [0x89, 0x50, 0x4E, 0x47], "pdf": Array("%PDF".utf8),
      "dot": Array("// ".utf8), "mmd": Array("%% ".utf8),
    ]
    for (ext, head) in magic {
      let r = try CLI.run(["render", "--mesh", "samples/demo", "--level", "domain", "-o", "\(dir)/d.\(ext)"])
      #expect(r.status == 0, "\(ext): \(r.stderr)")
      let bytes = [UInt8](FileManager.default.contents(atPath: "\(dir)/d.\(ext)") ?? Data())
      #expect(bytes.starts(with: head), "\(ext)")
    }
    let stdout = try CLI.run([
      "render", "--mesh", "samples/demo", "--focus", "sales.orders", "--format", "mermaid", "-o", "-",
    ])
    #expect(stdout.status == 0 && stdout.stdout.contains("flowchart LR"))
    // A failure leaves no file behind.
    let bad = try CLI.run(["render", "--mesh", "samples/demo", "--engine", "nosuch", "-o", "\(dir)/bad.svg"])
    #expect(bad.status == 2 && bad.stderr.contains("unknown layout engine 'nosuch'"))
    let unknown = try CLI.run(["render", "--mesh", "samples/demo", "-o", "\(dir)/x.jpeg2"])
    #expect(unknown.status == 2 && unknown.stderr.contains("cannot tell the format"))
    let focus = try CLI.run(["render", "--mesh", "samples/demo", "--focus", "sales.order", "-o", "\(dir)/f.svg"])
    #expect(focus.status == 2 && focus.stderr.contains("did you mean 'sales.orders'?"))
    let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    #expect(left == ["d.dot", "d.mmd", "d.pdf", "d.png", "d.svg"])
  }

  @Test func sarifHasTheShapeOfVersion210() throws {
    let r = try CLI.run(["diff", "samples/demo", "samples/demo-after", "--format", "sarif"])
    let sarif = try CLI.json(r.stdout)
    #expect(sarif["version"] as? String == "2.1.0")
    let runs = sarif["runs"] as? [[String: Any]] ?? []
    #expect(runs.count == 1)
    let driver = (runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
    #expect(driver?["name"] as? String == "lineage")
    let ruleIDs = Set(((driver?["rules"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
    let results = runs.first?["results"] as? [[String: Any]] ?? []
    #expect(!results.isEmpty)
    for result in results {
      #expect(ruleIDs.contains(result["ruleId"] as? String ?? ""))
      #expect(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
      #expect((result["message"] as? [String: Any])?["text"] is String)
      for loc in result["locations"] as? [[String: Any]] ?? [] {
        let physical = loc["physicalLocation"] as? [String: Any]
        let uri = (physical?["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
        #expect(uri.hasPrefix("samples/"))
        #expect(((physical?["region"] as? [String: Any])?["startLine"] as? Int ?? 0) >= 1)
      }
    }
    #expect(results.contains { $0["level"] as? String == "error" && $0["ruleId"] as? String == "column-renamed" })
  }

  @Test func diffAcrossGitRevisionsLeavesTheWorkingTreeAlone() throws {
    let dir = NSTemporaryDirectory() + "lineage-git-" + UUID().uuidString
    let fm = FileManager.default
    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: dir) }
    func sh(_ command: String) throws {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/sh")
      p.arguments = ["-c", command]
      p.currentDirectoryURL = URL(fileURLWithPath: dir)
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      p.waitUntilExit()
      #expect(p.terminationStatus == 0, "\(command)")
    }
    try sh("git init -q . && git config user.email t@t && git config user.name t")
    try sh("mkdir -p mesh && cp -r '\(CLI.root)/samples/demo/.' mesh/ && git add -A && git commit -qm base")
    try sh("cp -r '\(CLI.root)/samples/demo-after/.' mesh/ && git add -A && git commit -qm change")
    try sh("echo 'junk: [' > mesh/domains/uncommitted.yaml")
    let before = try fm.contentsOfDirectory(atPath: dir + "/mesh/domains").sorted()
    // HEAD~1 against HEAD, from inside the mesh.
    let r = try CLI.run(["diff", "HEAD~1", "HEAD", "--format", "json"], cwd: dir + "/mesh/domains")
    #expect(r.status == 1, "\(r.stderr)")
    let changes = try CLI.json(r.stdout)["changes"] as? [[String: Any]] ?? []
    #expect(changes.contains { $0["kind"] as? String == "column-renamed" && $0["status"] as? String == "fails" })
    // HEAD against the working tree (with an uncommitted syntax error).
    let w = try CLI.run(["diff", "HEAD", "--mesh", dir + "/mesh", "--format", "json"])
    #expect(w.status == 0, "\(w.stderr)")
    #expect((try CLI.json(w.stdout)["changes"] as? [Any])?.count == 0)
    // An ignore file with an expired and a live entry.
    try sh(
      """
      printf 'ignore:\\n  - change: column-renamed crm.customers.customer_segment\\n    reason: sales migrates in JIRA-7\\n    expires: 2030-01-01\\n  - change: column-dropped crm.customers.phone\\n    reason: old\\n    expires: 2020-01-01\\n' > mesh/lineage-ignore.yaml
      """)
    let ignored = try CLI.run(["diff", "HEAD~1", "HEAD", "--mesh", dir + "/mesh"])
    #expect(ignored.status == 0, "\(ignored.stdout)\(ignored.stderr)")
    #expect(ignored.stdout.contains("ignored") && ignored.stdout.contains("expired on 2020-01-01"))
    let bad = try CLI.run(["diff", "no-such-rev", "--mesh", dir + "/mesh"])
    #expect(bad.status == 2 && bad.stderr.contains("neither a directory nor a git revision"))
    #expect(try fm.contentsOfDirectory(atPath: dir + "/mesh/domains").sorted() == before)
  }
}
