import Foundation
import Testing

@testable import LineageCore
@testable import LineageLoaders

/// The streaming reader of `lineage drift`: what it keeps of the events, where it
/// locates them, and that it reads every corpus event file the importer reads.
@Suite struct ObservedEventsTests {
  func write(_ text: String, _ name: String = "events.jsonl") throws -> String {
    let dir = NSTemporaryDirectory() + "observed-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    return dir + "/" + name
  }

  @Test func marquezSeedRunsAreFoldedPerJob() throws {
    let folder = try #require(Corpus.folder("marquez"))
    let (o, findings) = try ObservedEvents.read(paths: [folder + "/seed/metadata.json"])
    #expect(findings.isEmpty)
    #expect(o.runEvents == 26)
    #expect(o.jobs.count == 13)
    #expect(o.datasets.count == 13)
    #expect(o.latest?.text == "2020-02-22T22:58:02.000Z")
    // START carries the datasets, COMPLETE none: the reads are the START's.
    let delivery = try #require(o.jobs.firstIndex(of: "food_delivery:etl_delivery_7_days"))
    let reads = o.reads.filter { $0.job == Int32(delivery) }
    #expect(reads.count == 5)
    #expect(reads.allSatisfy { $0.evidence.eventTime == "2020-02-22T22:42:42.000Z" && $0.evidence.location != nil })
    let menus = try #require(o.datasets.first { $0.id == "food_delivery:public.menus" })
    #expect(menus.schema?.map(\.name) == ["id", "name", "restaurant_id", "description"])
    #expect(menus.schema?.first?.type == "INTEGER")
  }

  @Test func locationsOfEventsInArraysAndLines() throws {
    let event = {
      (t: String, job: String) in
      "{\"eventTime\": \"\(t)\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"n\", \"name\": \"\(job)\"}, \"outputs\": [{\"namespace\": \"w\", \"name\": \"\(job).out\", \"facets\": {\"symlinks\": {\"identifiers\": [{\"namespace\": \"hive\", \"name\": \"db.\(job)\"}]}}}]}"
    }
    let path = try write(
      "[\n  " + event("2026-01-01T00:00:00Z", "a") + ",\n  " + event("2026-01-02T00:00:00Z", "b") + "\n]\n"
        + event("2026-01-03T00:00:00+01:00", "c") + "\n", "events.json")
    let (o, findings) = try ObservedEvents.read(paths: [path])
    #expect(findings.isEmpty)
    #expect(o.writes.map(\.evidence.location?.line) == [2, 3, 5])
    #expect(o.writes.map(\.evidence.location?.column) == [3, 3, 1])
    #expect(o.datasets.map(\.aliases) == [["hive:db.a"], ["hive:db.b"], ["hive:db.c"]])
    #expect(o.latest?.text == "2026-01-03T00:00:00+01:00")
  }

  @Test func syntaxErrorsAndWrongShapesAreLoadErrors() throws {
    let path = try write(
      "{\"eventTime\": \"2026-01-01T00:00:00Z\", \"run\": {\"runId\": 7}, \"job\": {\"namespace\": \"n\", \"name\": \"j\"}}\n{\"eventTime\": "
    )
    let (_, findings) = try ObservedEvents.read(paths: [path])
    #expect(findings.map(\.rule) == [.invalidType, .invalidJson])
    #expect(findings.allSatisfy { $0.isLoadError })
    #expect(findings.map(\.location?.line) == [1, 2])
    #expect(findings.first?.message.hasPrefix("event 1: ") == true)
    #expect(throws: LoadError.self) { try ObservedEvents.read(paths: [path + ".absent"]) }
  }

  @Test func noEventsIsALoadError() throws {
    let path = try write("\n")
    let (_, findings) = try ObservedEvents.read(paths: [path])
    #expect(findings.contains { $0.rule == .loadError && $0.isLoadError })
  }

  @Test func mapFileEntriesAndProblems() throws {
    let path = try write("# map\n\"kafka:orders\": sales.orders\n\"s3:*\": [a]\n", "map.yaml")
    let (entries, findings) = DriftMapFile.load(path: path)
    #expect(
      entries == [Drift.MapEntry(pattern: "kafka:orders", node: "sales.orders", location: entries.first?.location)])
    #expect(entries.first?.location?.line == 2)
    #expect(findings.map(\.rule) == [.invalidType])
    #expect(DriftMapFile.load(path: path + ".absent").findings.first?.isLoadError == true)
    let broken = try write("a: [\n", "map.yaml")
    #expect(DriftMapFile.load(path: broken).findings.first?.rule == .yamlSyntax)
  }

  @Test func nestedSchemaFieldsAreColumnsNamedParentDotChild() throws {
    let path = try write(
      "{\"eventTime\": \"2026-01-01T00:00:00Z\", \"run\": {\"runId\": \"r\"}, \"job\": {\"namespace\": \"n\", \"name\": \"j\"}, \"outputs\": [{\"namespace\": \"w\", \"name\": \"t\", \"facets\": {\"schema\": {\"fields\": [{\"name\": \"id\", \"type\": \"int\"}, {\"name\": \"address\", \"type\": \"struct\", \"fields\": [{\"name\": \"city\", \"type\": \"varchar\", \"fields\": [{\"name\": \"code\"}]}]}, {\"name\": \"note\"}]}}}]}\n"
    )
    let (o, findings) = try ObservedEvents.read(paths: [path])
    #expect(findings.isEmpty)
    #expect(o.datasets.first?.schema?.map(\.name) == ["id", "address", "address.city", "address.city.code", "note"])
    #expect(o.datasets.first?.schema?.map(\.type) == ["int", "struct", "varchar", nil, nil])
  }

  @Test func eventsAfterUntilAreLeftOut() throws {
    let event = { (day: Int) in
      "{\"eventTime\": \"2026-01-0\(day)T00:00:00Z\", \"run\": {\"runId\": \"r\(day)\"}, \"job\": {\"namespace\": \"n\", \"name\": \"j\"}, \"inputs\": [{\"namespace\": \"w\", \"name\": \"in\(day)\"}], \"outputs\": [{\"namespace\": \"w\", \"name\": \"out\"}]}\n"
    }
    let path = try write(event(1) + event(3) + event(2))
    let until = try #require(OpenLineageImporter.seconds(since1970: "2026-01-02T12:00:00Z"))
    let (o, findings) = try ObservedEvents.read(paths: [path], until: until)
    #expect(findings.isEmpty)
    #expect(o.runEvents == 2)
    #expect(o.datasets.map(\.id) == ["w:in1", "w:out", "w:in2"], "a later event names no dataset")
    #expect(o.latest?.text == "2026-01-02T00:00:00Z")
    #expect(o.writes.map(\.evidence.runID) == ["r2"])
    // Every event after the end: nothing to compare with, and the message says why.
    let early = try #require(OpenLineageImporter.seconds(since1970: "2025-12-31"))
    let (_, none) = try ObservedEvents.read(paths: [path], until: early)
    #expect(none.map(\.rule) == [.loadError])
    #expect(none.first?.message.contains("is at or before 2025-12-31T00:00:00Z") == true)
  }

  /// What a summary holds, as text: every dataset, job, read, write and count.
  func dump(_ o: ObservedLineage) -> [String] {
    o.datasets.map {
      "\($0.id) \($0.aliases) \(String(describing: $0.schema)) \(String(describing: $0.schemaEvidence)) \(String(describing: $0.firstSeen))"
    } + o.jobs + o.reads.map { "read \($0.job) \($0.dataset) \($0.evidence)" }
      + o.writes.map { "write \($0.job) \($0.dataset) \($0.evidence)" }
      + ["\(o.runEvents) \(String(describing: o.latest))"]
  }

  /// A file large enough to be read in stretches on every core gives the summary a
  /// reading in one piece gives: first sights, the latest event of each pair with ties
  /// going to the one read last, schemas, symlinks, events only the slow path reads.
  /// With line breaks inside events, the stretches do not meet and the file is read
  /// again in one piece, to the same result.
  @Test(arguments: [false, true]) func stretchesReadAsOneReadingDoes(brokenLines: Bool) throws {
    var text = ""
    var k = 0
    while text.utf8.count < 5 << 20 {
      // Times repeat (ties), and go back now and then (out of order).
      let second = (k / 3) % 50_000 + 10 - (k % 97 == 0 ? 7 : 0)
      let time = "2026-01-01T\(String(format: "%02d:%02d:%02d", second / 3600 % 24, second / 60 % 60, second % 60))Z"
      let job = "job_\(k % 613)"
      var outputFacets = ""
      if k % 101 == 0 {
        outputFacets =
          ", \"facets\": {\"schema\": {\"fields\": [{\"name\": \"c\(k % 7)\", \"type\": \"int\"}]}, \"symlinks\": {\"identifiers\": [{\"namespace\": \"hive\", \"name\": \"alias_\(k % 5)\"}]}}"
      } else if k % 211 == 0 {
        // Only the slow path reads a column lineage facet.
        outputFacets = ", \"facets\": {\"columnLineage\": {\"fields\": {}}}"
      }
      let run = brokenLines ? "\"run\":\n{\"runId\": \"r\(k)\"}" : "\"run\": {\"runId\": \"r\(k)\"}"
      text +=
        "{\"eventType\": \"COMPLETE\", \"eventTime\": \"\(time)\", \(run), \"job\": {\"namespace\": \"gen\", \"name\": \"\(job)\"}, \"inputs\": [{\"namespace\": \"wh\", \"name\": \"t\((k * 7) % 1_009)\"}, {\"namespace\": \"wh\", \"name\": \"t\((k * 13) % 1_013)\"}], \"outputs\": [{\"namespace\": \"wh\", \"name\": \"out_\(k % 613)\"\(outputFacets)}], \"producer\": \"test\"}\n"
      k += 1
    }
    let path = try write(text)
    let (stretched, f1) = try ObservedEvents.read(paths: [path])
    let (whole, f2) = ObservedEvents.read(documents: [OpenLineageDocument(bytes: Array(text.utf8), label: path)])
    #expect(f1.isEmpty && f2.isEmpty, "\(f1) \(f2)")
    #expect(stretched.runEvents == k)
    #expect(dump(stretched) == dump(whole))
    #expect(stretched.datasets.contains { !$0.aliases.isEmpty && $0.schema != nil })
  }

  /// Every event file of the corpora that the importer reads without a load error,
  /// the streaming reader reads without one too, and it sees the same datasets.
  @Test func readsEveryCorpusEventFileTheImporterReads() throws {
    var folders = ["marquez", "openlineage"].map { Corpus.bundled + "/" + $0 }
    if let shared = Corpus.shared { folders += ["marquez", "openlineage"].map { shared + "/" + $0 } }
    var checked = 0
    for folder in folders where FileManager.default.fileExists(atPath: folder) {
      for file in OpenLineageImporter.files(at: folder)
      where !file.contains("/web_mock_api_data/") && !file.contains("/lineage/") && !file.contains("/column_lineage/")
        && !file.contains("metadata.template") && !file.contains("/spec/")
      {
        let model = try ModelLoader.load(path: file)
        guard model.source.hasPrefix("OpenLineage events"), model.findings.loadErrors.isEmpty else { continue }
        let (o, findings) = try ObservedEvents.read(paths: [file])
        #expect(findings.loadErrors.isEmpty, "\(file): \(findings.loadErrors)")
        let imported = Set(model.mesh.nodes.filter { $0.kind.rawValue == "dataset" }.map(\.id))
        let seen = Set(o.datasets.map(\.id) + o.datasets.flatMap(\.aliases))
        #expect(imported.isSubset(of: seen), "\(file): \(imported.subtracting(seen).sorted())")
        checked += 1
      }
    }
    #expect(checked >= 20)
  }
}
