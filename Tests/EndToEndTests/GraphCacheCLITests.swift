import Foundation
import Testing

/// The graph cache: a warm command (reading the image a cold one wrote) prints exactly
/// what the cold one printed, and no change to an input, no damage to an image and no
/// failure to write one changes an answer.
@Suite(.serialized) struct GraphCacheCLITests {
  /// A graph JSON input with a load warning (an edge end that is not declared), a
  /// cycle, several domains and owners.
  static let graph: String = {
    var nodes: [String] = []
    var edges: [String] = []
    for i in 0..<120 {
      let d = ["finance", "crm", "ops"][i % 3]
      var fields = [
        "\"id\": \"n.\(d).\(i)\"", "\"domain\": \"\(d)\"", "\"layer\": \"\(["src", "stg", "int", "exp"][i % 4])\"",
      ]
      if i % 4 == 1 { fields.append("\"owner\": \"team-\(d)\"") }
      if i % 9 == 0 { fields.append("\"status\": \"deprecated\"") }
      nodes.append("{" + fields.joined(separator: ", ") + "}")
    }
    func id(_ i: Int) -> String { "n.\(["finance", "crm", "ops"][i % 3]).\(i)" }
    for i in 1..<120 {
      edges.append("[\"\(id(i / 2))\", \"\(id(i))\"]")
      if i > 3 { edges.append("[\"\(id(i - 3))\", \"\(id(i))\"]") }
    }
    edges.append("[\"\(id(20))\", \"\(id(10))\"]")
    edges.append("[\"\(id(7))\", \"ghost.node\"]")
    return "{\"nodes\": [" + nodes.joined(separator: ",\n") + "],\n\"edges\": [" + edges.joined(separator: ",\n")
      + "]}\n"
  }()

  /// A fresh directory under the temporary directory.
  static func temporaryDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "lineage-cache-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  static func commands(_ input: String) -> [[String]] {
    [
      ["downstream", "n.finance.0", "--mesh", input, "--format", "json"],
      ["downstream", "n.finance.0", "--mesh", input],
      ["upstream", "n.ops.110", "--depth", "2", "--mesh", input],
      ["select", "domain:crm", "--mesh", input, "--format", "json"],
      ["cycles", "--mesh", input],
      ["validate", "--mesh", input],
      ["stats", "--mesh", input, "--format", "json"],
      ["downstream", "no.such.node", "--mesh", input],
    ]
  }

  /// Runs `args` with the cache in `cache` (nil: `--no-cache`).
  static func run(_ args: [String], cache: String?) throws -> CLI.Result {
    try CLI.run(args + (cache.map { ["--cache", $0] } ?? ["--no-cache"]))
  }

  static func expectSame(_ a: CLI.Result, _ b: CLI.Result, _ what: String) {
    #expect(a.status == b.status, "exit status: \(what)")
    #expect(a.stdout == b.stdout, "stdout: \(what)")
    #expect(a.stderr == b.stderr, "stderr: \(what)")
  }

  static func images(_ cache: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter { $0.hasSuffix(".img") }
  }

  @Test func coldAndWarmPrintTheSameBytes() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/graph.json"
    try Data(Self.graph.utf8).write(to: URL(fileURLWithPath: input))
    let cache = dir + "/cache"
    for args in Self.commands(input) {
      let uncached = try Self.run(args, cache: nil)
      try? FileManager.default.removeItem(atPath: cache)
      let cold = try Self.run(args, cache: cache)
      // Written on its own thread, and waited for at exit, whatever the exit status.
      #expect(Self.images(cache).count == 1, "the cold run wrote its image: \(args)")
      let files = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
      #expect(!files.contains { $0.hasSuffix(".tmp") }, "no temporary file left: \(args)")
      let warm = try Self.run(args, cache: cache)
      Self.expectSame(uncached, cold, "cold \(args)")
      Self.expectSame(cold, warm, "warm \(args)")
    }
    // The load warning is reported warm too.
    let warm = try Self.run(["validate", "--mesh", input], cache: cache)
    #expect(warm.stdout.contains("ghost.node"))
  }

  @Test func theSamplesPrintTheSameBytesColdAndWarm() throws {
    let cache = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: cache) }
    let runs: [[String]] = [
      ["validate", "--mesh", "samples/demo", "--today", "2026-11-23"],
      ["downstream", "crm.customers", "--mesh", "samples/demo", "--format", "json"],
      ["validate", "--mesh", "samples/faulty", "--today", "2026-11-23"],
      [
        "select", "+customers", "--mesh",
        "Tests/LineageLoadersTests/Corpus/dbt_jaffle_shop_classic/target/manifest.json",
      ],
      [
        "downstream", "food_delivery:public.orders", "--mesh",
        "Tests/LineageLoadersTests/Corpus/marquez/seed/metadata.json",
      ],
    ]
    for args in runs {
      let uncached = try Self.run(args, cache: nil)
      let cold = try Self.run(args, cache: cache)
      let warm = try Self.run(args, cache: cache)
      Self.expectSame(uncached, cold, "cold \(args)")
      Self.expectSame(cold, warm, "warm \(args)")
    }
  }

  @Test func aChangedInputIsReadAgain() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/graph.json"
    let cache = dir + "/cache"
    try Data(Self.graph.utf8).write(to: URL(fileURLWithPath: input))
    let args = ["downstream", "n.finance.0", "--mesh", input, "--format", "json"]
    _ = try Self.run(args, cache: cache)
    let before = try FileManager.default.attributesOfItem(atPath: input)
    // The same size and the same modification time, one id changed.
    try Self.expectChangeSeen(args, input: input, cache: cache) {
      try FileManager.default.setAttributes(
        [.modificationDate: before[.modificationDate] as Any], ofItemAtPath: input)
    }
  }

  /// Rewrites `input` with one id changed (the same size), lets `restore` set its times
  /// back, and expects a warm run to answer from the new content, as an uncached run does.
  static func expectChangeSeen(
    _ args: [String], input: String, cache: String, restore: () throws -> Void
  ) throws {
    let changed = graph.replacingOccurrences(of: "n.crm.4\"", with: "n.crm.Z\"")
    #expect(changed.utf8.count == graph.utf8.count && changed != graph)
    try Data(changed.utf8).write(to: URL(fileURLWithPath: input))
    try restore()
    let warm = try run(args, cache: cache)
    expectSame(try run(args, cache: nil), warm, "after a change in place")
    #expect(warm.stdout.contains("n.crm.Z"))
  }

  /// An input old enough to be stamped (its content digest kept beside the image, not
  /// read again while its file status matches): a change that keeps its size and
  /// modification time is still seen.
  @Test func aStampedInputChangedInPlaceIsReadAgain() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/graph.json"
    let cache = dir + "/cache"
    try Data(Self.graph.utf8).write(to: URL(fileURLWithPath: input))
    // Older than the margin under which an input is not stamped.
    Thread.sleep(forTimeInterval: 3.2)
    let args = ["downstream", "n.finance.0", "--mesh", input, "--format", "json"]
    let cold = try Self.run(args, cache: cache)
    let stamps = ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter {
      $0.hasSuffix(".stamp")
    }
    #expect(stamps.count == 1, "the cold run stamped the input")
    Self.expectSame(cold, try Self.run(args, cache: cache), "warm, stamped")
    // Changed in place, its size kept and its times restored to the nanosecond: only
    // the status-change time tells.
    var st = stat()
    try #require(stat(input, &st) == 0)
    let times = [st.st_atim, st.st_mtim]
    try Self.expectChangeSeen(args, input: input, cache: cache) {
      try #require(utimensat(AT_FDCWD, input, times, 0) == 0)
      var after = stat()
      try #require(stat(input, &after) == 0)
      try #require(after.st_mtim.tv_nsec == st.st_mtim.tv_nsec && after.st_size == st.st_size)
    }
  }

  @Test func aDamagedImageIsRebuiltNotTrusted() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/graph.json"
    let cache = dir + "/cache"
    try Data(Self.graph.utf8).write(to: URL(fileURLWithPath: input))
    let args = ["downstream", "n.finance.0", "--mesh", input, "--format", "json"]
    let expected = try Self.run(args, cache: nil)
    _ = try Self.run(args, cache: cache)
    let image = cache + "/" + (try #require(Self.images(cache).first))
    let good = try Data(contentsOf: URL(fileURLWithPath: image))
    var damages: [(String, Data)] = [
      ("truncated", good.prefix(good.count / 2)), ("empty", Data()), ("header only", good.prefix(64)),
      ("foreign", Data(Self.graph.utf8)),
    ]
    for p in [0, 9, 20, 40, 100, good.count / 3, good.count - 1] {
      var bad = good
      bad[p] ^= 0x41
      damages.append(("byte \(p) flipped", bad))
    }
    for (what, bytes) in damages {
      try bytes.write(to: URL(fileURLWithPath: image))
      Self.expectSame(expected, try Self.run(args, cache: cache), what)
      // Rewritten whole by that run.
      #expect(try Data(contentsOf: URL(fileURLWithPath: image)) == good, "rewritten after: \(what)")
    }
  }

  @Test func aCacheThatCannotBeWrittenIsNoError() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/graph.json"
    try Data(Self.graph.utf8).write(to: URL(fileURLWithPath: input))
    let blocker = dir + "/file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
    let args = ["downstream", "n.finance.0", "--mesh", input]
    Self.expectSame(try Self.run(args, cache: nil), try Self.run(args, cache: blocker + "/cache"), "unwritable")
  }

  /// An image that cannot be put in place (a directory has its name) while the command
  /// answers: the answer is the same, no temporary file is left, and the next run reads
  /// the input again.
  @Test func anImageThatCannotBePutInPlaceChangesNoAnswer() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/graph.json"
    let cache = dir + "/cache"
    try Data(Self.graph.utf8).write(to: URL(fileURLWithPath: input))
    _ = try Self.run(["cycles", "--mesh", input], cache: cache)
    let image = try #require(Self.images(cache).first)
    try FileManager.default.removeItem(atPath: cache + "/" + image)
    try FileManager.default.createDirectory(atPath: cache + "/" + image, withIntermediateDirectories: false)
    for args in Self.commands(input) {
      Self.expectSame(try Self.run(args, cache: nil), try Self.run(args, cache: cache), args.joined(separator: " "))
    }
    let left = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".tmp") }
    #expect(left.isEmpty, "temporary files left: \(left)")
  }

  @Test func theEnvironmentNamesTheDefaultDirectory() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let input = dir + "/graph.json"
    try Data(Self.graph.utf8).write(to: URL(fileURLWithPath: input))
    let cache = dir + "/from-env"
    let r = try CLI.run(["downstream", "n.finance.0", "--mesh", input], env: ["LINEAGE_CACHE": cache])
    #expect(r.status == 0)
    #expect(Self.images(cache).count == 1)
    let xdg = dir + "/xdg"
    _ = try CLI.run(["downstream", "n.finance.0", "--mesh", input], env: ["LINEAGE_CACHE": "", "XDG_CACHE_HOME": xdg])
    #expect(Self.images(xdg + "/meshlineage").count == 1)
    let none = dir + "/none"
    _ = try CLI.run(["downstream", "n.finance.0", "--mesh", input, "--no-cache"], env: ["LINEAGE_CACHE": none])
    #expect(!FileManager.default.fileExists(atPath: none))
  }
}
