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
