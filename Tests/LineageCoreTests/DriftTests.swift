import Testing

@testable import LineageCore

/// Declared vs observed on small models: every drift rule, the matching, the window
/// and the policies.
@Suite struct DriftTests {
  /// Observations built by hand: each run is (job, time, inputs, outputs) over
  /// dataset names in namespace `wh`.
  struct Runs {
    var observed = ObservedLineage()

    mutating func run(_ job: String, at time: Double, reads: [String], writes: [String], runID: String = "r") {
      let e = ObservedLineage.Evidence(
        job: job, runID: runID, eventTime: "t\(Int(time))", time: time,
        location: SourceLocation(file: "events.jsonl", line: Int(time)))
      let i = reads.map { observed.dataset(namespace: "wh", name: $0) }
      let o = writes.map { observed.dataset(namespace: "wh", name: $0) }
      observed.observe(job: job, inputs: i, outputs: o, evidence: e)
    }

    mutating func schema(_ name: String, _ columns: [(String, String?)], at time: Double) {
      let d = observed.dataset(namespace: "wh", name: name)
      observed.observeSchema(
        d, columns: columns.map { ObservedLineage.Column(name: $0.0, type: $0.1) },
        evidence: .init(job: "j", runID: "r", eventTime: "t\(Int(time))", time: time))
    }
  }

  func drift(
    _ model: LineageModel, _ runs: Runs, _ rule: Finding.Rule? = nil, options: Drift.Options = .init()
  ) -> [Finding] {
    Drift.findings(model, observed: runs.observed, options: options).filter { rule == nil || $0.rule == rule }
  }

  /// a (source) -> b -> c, with locations t.a, t.b, t.c; d is a public product nobody declares reading.
  func chain(policies: [PolicySetting] = []) -> LineageModel {
    governanceMesh(
      [
        node("a", .source, location: "t.a"),
        node("b", inputs: ["a"], location: "t.b"),
        node("c", inputs: ["b"], location: "T.C"),
        node("d", location: "t.d"),
      ], policies: policies)
  }

  @Test func matchesByLocationNameNamespaceAliasIdAndMap() {
    var mesh = chain().mesh
    mesh.nodes.append(node("wh:raw.e"))
    var o = ObservedLineage()
    let byName = o.dataset(namespace: "wh", name: "t.a")
    let byFull = o.dataset(namespace: "x", name: "y")
    let byCase = o.dataset(namespace: "wh", name: "\"t\".\"c\"")
    let byAlias = o.dataset(namespace: "s3", name: "bucket/b")
    o.addAlias(byAlias, "wh:t.b")
    let byID = o.dataset(namespace: "wh", name: "raw.e")
    let byMap = o.dataset(namespace: "kafka", name: "topic.d")
    let none = o.dataset(namespace: "kafka", name: "other")
    var withLocation = mesh
    withLocation.nodes[3].physicalLocation = "t.d"
    withLocation.nodes.append(node("f", location: "x:y"))
    let (nodes, problems) = Drift.match(
      withLocation, o,
      map: [
        Drift.MapEntry(pattern: "kafka:topic.*", node: "d"), Drift.MapEntry(pattern: "kafka:*", node: "nope"),
      ])
    let ids = nodes.map { $0.map { withLocation.nodes[$0].id } }
    #expect(ids[Int(byName)] == "a")
    #expect(ids[Int(byFull)] == "f")
    #expect(ids[Int(byCase)] == "c")
    #expect(ids[Int(byAlias)] == "b")
    #expect(ids[Int(byID)] == "wh:raw.e")
    #expect(ids[Int(byMap)] == "d")
    #expect(ids[Int(none)] == nil)
    #expect(problems.map(\.rule) == [.unresolvedReference])
  }

  @Test func undeclaredReadNamesTheEvidence() {
    var r = Runs()
    r.run("job-c", at: 10, reads: ["t.b", "t.d"], writes: ["t.c"], runID: "run-1")
    r.run("job-c", at: 20, reads: ["t.b", "t.d"], writes: ["t.c"], runID: "run-2")
    let f = drift(chain(), r, .undeclaredRead)
    #expect(f.count == 1)
    #expect(f.first?.subjects == ["c", "d"])
    #expect(f.first?.severity == .error)
    #expect(f.first?.message.contains("job 'job-c', run 'run-2', at t20") == true)
    #expect(f.first?.related.first?.line == 20)
  }

  @Test func undeclaredReadOfAnUnmatchedDatasetAndItsNote() {
    var r = Runs()
    r.run("job-c", at: 10, reads: ["t.b", "feeds.x"], writes: ["t.c"])
    let all = drift(chain(), r)
    #expect(all.filter { $0.rule == .undeclaredRead }.map(\.subjects) == [["c"]])
    #expect(all.filter { $0.rule == .undeclaredRead }.first?.message.contains("'wh:feeds.x'") == true)
    #expect(all.filter { $0.rule == .unmatchedDataset }.map(\.severity) == [.info])
  }

  @Test func staleInputHonoursTheWindowAndUntil() {
    var r = Runs()
    r.run("job-b", at: 100, reads: ["t.a"], writes: ["t.b"])
    r.run("job-c", at: 50, reads: ["t.b"], writes: ["t.c"])
    r.run("job-c", at: 1000, reads: [], writes: ["t.c"])
    #expect(drift(chain(), r, .staleInput).isEmpty, "without a window, read at all is enough")
    let f = drift(chain(), r, .staleInput, options: .init(window: 920))
    #expect(f.map(\.subjects) == [["b", "c"]])
    #expect(f.first?.message.contains("last observed read t50") == true)
    #expect(f.first?.message.contains("920s window ending at the latest event, t1000") == true)
    // A window ending earlier covers both reads.
    let early = drift(chain(), r, .staleInput, options: .init(window: 100, until: 120))
    #expect(early.isEmpty)
  }

  @Test func untilLeavesLaterEventsOutOfEveryRule() {
    func runs(_ observed: ObservedLineage) -> Runs {
      var r = Runs(observed: observed)
      r.run("job-b", at: 100, reads: ["t.a"], writes: ["t.b"])
      r.run("job-c", at: 300, reads: ["t.b"], writes: ["t.c"])
      // After the end: it reads b again, and d, which c does not declare.
      r.run("job-c", at: 1000, reads: ["t.b", "t.d"], writes: ["t.c"], runID: "late")
      return r
    }
    let options = Drift.Options(window: 100, until: 500)
    let asOf = runs(ObservedLineage(until: 500))
    #expect(asOf.observed.runEvents == 2)
    #expect(asOf.observed.latest?.time == 300)
    let f = drift(chain(), asOf, options: options)
    // The window is [400, 500]: b's read of a (100) and c's of b (300) are both before it.
    #expect(f.filter { $0.rule == .staleInput }.map(\.subjects) == [["a", "b"], ["b", "c"]])
    #expect(f.contains { $0.rule == .staleInput && $0.message.contains("last observed read t300") })
    #expect(!f.contains { $0.rule == .undeclaredRead }, "the late read of d is after the end")
    #expect(!f.contains { $0.evidence?.runID == "late" })
    // Read without the end, the late run counts: c read b within the window, and d.
    let all = drift(chain(), runs(ObservedLineage()), options: options)
    #expect(all.filter { $0.rule == .staleInput }.map(\.subjects) == [["a", "b"]])
    #expect(all.filter { $0.rule == .undeclaredRead }.map(\.subjects) == [["c", "d"]])
  }

  @Test func findingsCarryTheirEvidence() {
    var r = Runs()
    r.run("job-c", at: 20, reads: ["t.b", "t.d"], writes: ["t.c"], runID: "run-2")
    r.run("rogue", at: 30, reads: ["t.b"], writes: ["scratch.copy"], runID: "run-3")
    let f = drift(chain(), r)
    let undeclared = f.first { $0.rule == .undeclaredRead }?.evidence
    #expect(undeclared?.job == "job-c")
    #expect(undeclared?.runID == "run-2")
    #expect(undeclared?.eventTime == "t20")
    #expect(undeclared?.location?.line == 20)
    #expect(f.first { $0.rule == .unknownProducer }?.evidence?.runID == "run-3")
    // b is declared read by c but never observed read: no event to name.
    let stale = f.first { $0.rule == .staleInput && $0.subjects == ["b", "c"] }
    #expect(stale == nil || stale?.evidence == nil)
    #expect(f.filter { $0.rule == .unmatchedDataset }.allSatisfy { $0.evidence == nil })
  }

  @Test func staleInputNeverObserved() {
    var r = Runs()
    r.run("job-c", at: 10, reads: [], writes: ["t.c"])
    r.run("job-x", at: 10, reads: ["t.b"], writes: ["t.d"])
    let f = drift(chain(), r, .staleInput)
    #expect(f.map(\.subjects) == [["b", "c"]])
    #expect(f.first?.message.contains("no job writing it was observed reading") == true)
    // A product no job writes is not judged: b's input a is not stale.
    #expect(!f.contains { $0.subjects == ["a", "b"] })
  }

  @Test func observedPrivateAndDomainOnlyAccess() {
    let m = governanceMesh([
      node("x.priv", access: .private, location: "t.priv"),
      node("x.dom", access: .domain, location: "t.dom"),
      node("y.reader", domain: "y", inputs: ["x.dom"], location: "t.reader"),
      node("x.mate", inputs: [], location: "t.mate"),
    ])
    var r = Runs()
    r.run("j", at: 1, reads: ["t.priv", "t.dom"], writes: ["t.reader"])
    r.run("k", at: 1, reads: ["t.priv", "t.dom"], writes: ["t.mate"])
    let p = drift(m, r, .observedPrivateAccess)
    #expect(p.map(\.subjects) == [["x.priv", "y.reader"]])
    let d = drift(m, r, .observedDomainOnlyAccess)
    #expect(d.map(\.subjects) == [["x.dom", "y.reader"]])
    #expect(d.first?.message.contains("observed reading 'x.dom'") == true)
  }

  @Test func schemaDriftAddedMissingRetyped() {
    let m = governanceMesh([
      node(
        "p",
        schema: [
          Column(name: "id", type: "bigint"), Column(name: "name", type: "varchar(20)"),
          Column(name: "gone", type: "int"),
        ], location: "t.p")
    ])
    var r = Runs()
    r.schema("t.p", [("id", "int8"), ("NAME", "int"), ("extra", "date")], at: 5)
    r.schema("t.p", [("id", "bigint")], at: 1)  // older: ignored
    let f = drift(m, r, .schemaDrift)
    #expect(f.count == 3)
    #expect(f.contains { $0.message.contains("'gone'") && $0.message.contains("missing") })
    #expect(f.contains { $0.message.contains("'name'") && $0.message.contains("has type 'int'") })
    #expect(f.contains { $0.message.contains("'extra' (date)") && $0.message.contains("does not declare") })
    #expect(f.allSatisfy { $0.severity == .warning })
  }

  @Test func schemaDriftComparesNestedFieldsWhereBothSidesDescribeThem() {
    let m = governanceMesh([
      node(
        "p",
        schema: [
          Column(name: "id", type: "bigint"), Column(name: "address", type: "struct"),
          Column(name: "address.city", type: "varchar"), Column(name: "address.zip", type: "varchar"),
          Column(name: "tags", type: "struct"), Column(name: "a.b", type: "int"),
        ], location: "t.p")
    ])
    var r = Runs()
    r.schema(
      "t.p",
      [
        ("id", "bigint"), ("address", "struct"), ("address.city", "int"), ("address.street", "varchar"),
        ("tags", "struct"), ("tags.key", "varchar"), ("a.b", "int"),
      ], at: 5)
    let f = drift(m, r, .schemaDrift)
    #expect(f.count == 3, "\(f.map(\.message))")
    #expect(f.contains { $0.message.contains("'address.city'") && $0.message.contains("has type 'int'") })
    #expect(f.contains { $0.message.contains("'address.zip'") && $0.message.contains("missing") })
    #expect(f.contains { $0.message.contains("'address.street' (varchar)") && $0.message.contains("does not declare") })
    // The declaration stops at 'tags': its observed field is not an addition.
    #expect(!f.contains { $0.message.contains("tags.key") })
    // A facet that stops at the structs says nothing about their fields.
    var flat = Runs()
    flat.schema("t.p", [("id", "bigint"), ("address", "struct"), ("tags", "struct"), ("a.b", "int")], at: 5)
    #expect(drift(m, flat, .schemaDrift).isEmpty)
    // A dotted name without its parent is a column of its own, always compared.
    var noDotted = Runs()
    noDotted.schema("t.p", [("id", "bigint"), ("address", "struct"), ("tags", "struct")], at: 5)
    #expect(drift(m, noDotted, .schemaDrift).map(\.message).allSatisfy { $0.contains("'a.b'") })
    #expect(drift(m, noDotted, .schemaDrift).count == 1)
  }

  @Test func unknownProducer() {
    var r = Runs()
    r.run("rogue", at: 3, reads: ["t.b"], writes: ["scratch.copy"])
    let f = drift(chain(), r, .unknownProducer)
    #expect(f.count == 1)
    #expect(f.first?.subjects == ["b"])
    #expect(f.first?.location?.file == "events.jsonl")
    #expect(drift(chain(), r, .unmatchedDataset).isEmpty, "a written dataset is reported as unknown-producer only")
  }

  @Test func policiesSetSeverityAndTurnRulesOff() {
    var r = Runs()
    r.run("job-c", at: 10, reads: ["t.b", "t.d"], writes: ["t.c"])
    r.run("rogue", at: 3, reads: ["t.b"], writes: ["scratch.copy"])
    let m = chain(policies: [
      PolicySetting(rule: "undeclared-read", level: .warning), PolicySetting(rule: "unknown-producer", level: .off),
    ])
    #expect(drift(m, r, .undeclaredRead).map(\.severity) == [.warning])
    #expect(drift(m, r, .unknownProducer).isEmpty)
  }

  @Test func durations() {
    #expect(Drift.duration("30d") == 2_592_000)
    #expect(Drift.duration("2w") == 1_209_600)
    #expect(Drift.duration("12h") == 43_200)
    #expect(Drift.duration("90m") == 5_400)
    #expect(Drift.duration("45s") == 45)
    for bad in ["30x", "d", "-3d", "0d", "1.5h", ""] { #expect(Drift.duration(bad) == nil, "\(bad)") }
    #expect(Drift.Checker.timestamp(0) == "1970-01-01T00:00:00Z")
    #expect(Drift.Checker.timestamp(1_767_225_600 + 3_661) == "2026-01-01T01:01:01Z")
  }

  @Test func findingsAreDeterministic() {
    var r = Runs()
    for k in 0..<20 { r.run("j\(k % 3)", at: Double(k), reads: ["t.a", "t.d", "ext.\(k % 4)"], writes: ["t.c"]) }
    let a = drift(chain(), r), b = drift(chain(), r)
    #expect(a == b)
    #expect(a == a.sorted(by: Finding.reportOrder))
    // Library wording: no command-line flag in messages or hints.
    #expect(a.allSatisfy { !$0.message.contains("--") && !($0.hint ?? "").contains("--") })
  }
}
