import Foundation
import LineageCore
import Testing

@testable import LineageLoaders

/// The findings a cache keeps for a mesh directory: read back exactly, never from a
/// damaged file, and never after any file of the directory changed.
@Suite struct FindingsCacheTests {
  static let kept = FindingsCache.Kept(
    source: "mesh directory samples/demo",
    firstFile: "samples/demo/mesh.yaml",
    findings: [
      Finding(rule: "require-owner", severity: .warning, message: "product 'a' has no owner"),
      {
        var f = Finding(
          rule: "broken-reference", severity: .error, message: "input 'x' is not declared \u{1b}[31m ü 字",
          subjects: ["b", "a", "b"], location: SourceLocation(file: "d/p.yaml", line: 12, column: 5),
          hint: "declare it",
          related: [SourceLocation(file: "d/q.yaml", line: 1, column: 1), SourceLocation(file: "")],
          evidence: ObservedLineage.Evidence(
            job: "j", runID: "r", eventTime: "2024-01-01T00:00:00Z", time: 1_704_067_200.25,
            location: SourceLocation(file: "events.jsonl", line: 3, column: 1)))
        f.subjects = ["z", "a"]
        return f
      }(),
      Finding(rule: "", severity: .info, message: "", location: SourceLocation(file: "d/p.yaml")),
    ])

  @Test func keptFindingsAreReadBackExactly() throws {
    let bytes = FindingsCache.encode(Self.kept, key: 42)
    let back = bytes.withUnsafeBufferPointer { FindingsCache.decode($0, key: 42) }
    #expect(back == Self.kept)
    #expect(bytes.withUnsafeBufferPointer { FindingsCache.decode($0, key: 43) } == nil, "another key")
    // The same key (a digest) over another snapshot: refused by the snapshot itself.
    let checked = FindingsCache.encode(Self.kept, key: 42, check: "f a.yaml 1 2 3")
    #expect(checked.withUnsafeBufferPointer { FindingsCache.decode($0, key: 42, check: "f a.yaml 1 2 3") } == Self.kept)
    #expect(checked.withUnsafeBufferPointer { FindingsCache.decode($0, key: 42, check: "f a.yaml 1 2 4") } == nil)
    #expect(checked.withUnsafeBufferPointer { FindingsCache.decode($0, key: 42) } == nil)
  }

  @Test func theCodecReadsBackExactlyWhatItWroteAndNothingShorter() {
    let bytes = FindingCodec.encode(Self.kept.findings, with: ["a", nil, "a"])
    let back = bytes.withUnsafeBufferPointer { FindingCodec.decode($0) }
    #expect(back?.findings == Self.kept.findings)
    #expect(back?.strings == ["a", nil, "a"])
    for n in 0..<bytes.count {
      #expect(Array(bytes.prefix(n)).withUnsafeBufferPointer { FindingCodec.decode($0) } == nil, "\(n) bytes")
    }
    #expect((bytes + [0]).withUnsafeBufferPointer { FindingCodec.decode($0) } == nil, "a byte more")
  }

  @Test func aDamagedFileIsNeverRead() {
    let bytes = FindingsCache.encode(Self.kept, key: 7)
    for n in 0..<bytes.count {
      #expect(Array(bytes.prefix(n)).withUnsafeBufferPointer { FindingsCache.decode($0, key: 7) } == nil)
    }
    for i in bytes.indices {
      var damaged = bytes
      damaged[i] ^= 0x10
      #expect(damaged.withUnsafeBufferPointer { FindingsCache.decode($0, key: 7) } == nil, "byte \(i) flipped")
    }
  }

  /// A mesh directory of a few files, and a cache beside it that keeps findings of
  /// files just written (the racy margin below zero).
  static func setUp() throws -> (root: String, cache: FindingsCache) {
    let dir = NSTemporaryDirectory() + "lineage-findings-test-\(UUID().uuidString)"
    let root = dir + "/mesh"
    try FileManager.default.createDirectory(atPath: root + "/domains/sales", withIntermediateDirectories: true)
    try write("kind: Mesh\nname: m\n", root + "/mesh.yaml")
    try write("products:\n  - id: sales.orders\n", root + "/domains/sales/orders.yaml")
    var cache = FindingsCache(directory: dir + "/cache", toolIdentity: "test tool")
    cache.racyMargin = -1_000
    return (root, cache)
  }

  static func write(_ text: String, _ path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  /// Keeps the findings for the directory and checks that they are found again.
  static func keepAndFind(_ cache: FindingsCache, _ root: String) throws {
    let lookup = try #require(cache.lookup("validate", paths: [root]))
    cache.keep(kept, for: lookup, input: .meshDirectory)
    #expect(cache.lookup("validate", paths: [root])?.kept == kept)
  }

  @Test(arguments: [
    "edit", "add", "add in a new directory", "remove", "rename", "restore the time", "replace the root file",
  ])
  func anyChangeToTheDirectoryMeansReadingItAgain(change: String) throws {
    let (root, cache) = try Self.setUp()
    defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
    try Self.keepAndFind(cache, root)
    let file = root + "/domains/sales/orders.yaml"
    switch change {
    case "edit":
      // The same size, so only the times tell.
      try Self.write("products:\n  - id: sales.ordens\n", file)
    case "add": try Self.write("products: []\n", root + "/domains/sales/more.yaml")
    case "add in a new directory":
      try FileManager.default.createDirectory(atPath: root + "/domains/ads", withIntermediateDirectories: true)
      try Self.write("products: []\n", root + "/domains/ads/a.yaml")
    case "remove": try FileManager.default.removeItem(atPath: file)
    case "rename": try FileManager.default.moveItem(atPath: file, toPath: root + "/domains/sales/renamed.yaml")
    case "restore the time":
      var st = stat()
      try #require(stat(file, &st) == 0)
      let times = [st.st_atim, st.st_mtim]
      try Self.write("products:\n  - id: sales.ordens\n", file)
      try #require(utimensat(AT_FDCWD, file, times, 0) == 0)
    default: try Self.write("kind: Mesh\nname: n\n", root + "/mesh.yaml")
    }
    let after = try #require(cache.lookup("validate", paths: [root]))
    #expect(after.kept == nil, "findings kept before '\(change)' were found after it")
  }

  @Test func findingsAreKeptPerQuestionAndNotForOtherInputs() throws {
    let (root, cache) = try Self.setUp()
    defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
    try Self.keepAndFind(cache, root)
    // A file the loader does not read (an editor's hidden swap file) changes nothing.
    try Self.write("swap", root + "/domains/sales/.orders.yaml.swp")
    try Self.write("notes", root + "/domains/sales/NOTES.md")
    #expect(cache.lookup("validate", paths: [root])?.kept == Self.kept)
    #expect(cache.lookup("validate on another day", paths: [root])?.kept == nil)
    // Its mesh.yaml names the same directory, with the same names in findings.
    #expect(cache.lookup("validate", paths: [root + "/mesh.yaml"])?.kept == Self.kept)
    let other = try #require(cache.lookup("validate", paths: [root + "/."]))
    #expect(other.root == root)
    #expect(other.kept == nil, "the same directory, named otherwise in findings")
    // One mesh directory or one file is looked up: not merged inputs, not another
    // directory; a file of the mesh is a question of its own.
    #expect(cache.lookup("validate", paths: [root, root]) == nil)
    #expect(cache.lookup("validate", paths: [root + "/domains"]) == nil)
    #expect(cache.lookup("validate", paths: [root + "/domains/sales/orders.yaml"])?.kept == nil)
    // No path: the nearest mesh upward from the working directory.
    let below = try #require(cache.lookup("validate", paths: [], cwd: root + "/domains/sales"))
    #expect(below.root == root)
    var tool = cache
    tool.toolIdentity = "another build"
    #expect(tool.lookup("validate", paths: [root])?.kept == nil)
  }

  @Test func aFileThatIsAllItsLoaderReadsKeepsItsFindingsUntilItChanges() throws {
    let (root, cache) = try Self.setUp()
    defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
    let graph = (root as NSString).deletingLastPathComponent + "/graph.json"
    try Self.write(#"{"nodes": [{"id": "a"}], "edges": []}"#, graph)
    // A dbt manifest reads the catalog and SQL beside it: its findings are not kept.
    cache.keep(Self.kept, for: try #require(cache.lookup("validate", paths: [graph])), input: .dbtManifest)
    #expect(cache.lookup("validate", paths: [graph])?.kept == nil)
    cache.keep(Self.kept, for: try #require(cache.lookup("validate", paths: [graph])), input: .graphJSON)
    #expect(cache.lookup("validate", paths: [graph])?.kept == Self.kept)
    try Self.write(#"{"nodes": [{"id": "b"}], "edges": []}"#, graph)
    #expect(cache.lookup("validate", paths: [graph])?.kept == nil, "kept findings of a file that changed")
    // A mesh directory's answer is kept only as a mesh directory's.
    cache.keep(Self.kept, for: try #require(cache.lookup("validate", paths: [root])), input: .graphJSON)
    #expect(cache.lookup("validate", paths: [root])?.kept == nil)
  }

  @Test func findingsAreNotKeptWhenTheDirectoryChangedWhileTheyWereMadeOrJustBefore() throws {
    var (root, cache) = try Self.setUp()
    defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
    let lookup = try #require(cache.lookup("validate", paths: [root]))
    try Self.write("products: []\n", root + "/domains/sales/orders.yaml")
    cache.keep(Self.kept, for: lookup, input: .meshDirectory)
    #expect(cache.lookup("validate", paths: [root])?.kept == nil, "kept though a file changed while answering")
    // Files changed within the margin: a change in the same clock tick would go unseen.
    cache.racyMargin = 3
    cache.keep(Self.kept, for: try #require(cache.lookup("validate", paths: [root])), input: .meshDirectory)
    #expect(cache.lookup("validate", paths: [root])?.kept == nil, "kept though its files changed a moment ago")
  }
}
