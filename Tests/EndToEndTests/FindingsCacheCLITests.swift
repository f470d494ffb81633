import Foundation
import Testing

/// `validate` with a mesh directory's findings kept: a second run answers from them
/// exactly as a run that reads the directory, in every format and exit status, and an
/// edit of the directory is seen at once.
@Suite struct FindingsCacheCLITests {
  @Test func aKeptAnswerIsTheAnswerOfReadingTheDirectory() throws {
    let dir = NSTemporaryDirectory() + "lineage-findings-cli-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let mesh = dir + "/faulty"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.root + "/samples/faulty", toPath: mesh)
    // Files changed less than 3 s ago are not trusted to show a change in the same clock tick.
    Thread.sleep(forTimeInterval: 3.2)
    let env = ["LINEAGE_CACHE": dir + "/cache"]
    let today = "--today=2026-06-01"
    for format in ["text", "json", "sarif", "junit", "markdown"] {
      let read = try CLI.run(["validate", "--mesh", mesh, "--no-cache", today, "--format", format], env: env)
      for run in ["first", "kept"] {
        let cached = try CLI.run(["validate", "--mesh", mesh, today, "--format", format], env: env)
        #expect(cached.status == read.status, "\(format), \(run) run")
        #expect(cached.stdout == read.stdout, "\(format), \(run) run")
      }
    }
    let kept = try FileManager.default.contentsOfDirectory(atPath: dir + "/cache").filter { $0.hasPrefix("findings-") }
    #expect(kept.count == 1, "one question (today, these options) of one directory: \(kept)")
    // Another day is another question: policies with dates may answer otherwise.
    let later = try CLI.run(["validate", "--mesh", mesh, "--today=2031-01-01"], env: env)
    #expect(later.stdout == (try CLI.run(["validate", "--mesh", mesh, "--no-cache", "--today=2031-01-01"])).stdout)
    let replaced = try FileManager.default.contentsOfDirectory(atPath: dir + "/cache").filter {
      $0.hasPrefix("findings-")
    }
    #expect(replaced.count == 1, "another day's answer replaces the last one: \(replaced)")

    // An edit is seen at once, though it is within the same second as the run before.
    let before = try CLI.run(["validate", "--mesh", mesh, today], env: env)
    let file = mesh + "/domains/sales/orders.yaml"
    let text = try String(contentsOfFile: file, encoding: .utf8)
    // The owner's near miss fixed: one finding fewer.
    try text.replacingOccurrences(of: "owner: team-sale\n", with: "owner: team-sales\n").write(
      toFile: file, atomically: false, encoding: .utf8)
    let after = try CLI.run(["validate", "--mesh", mesh, today], env: env)
    #expect(after.stdout != before.stdout)
    #expect(after.stdout == (try CLI.run(["validate", "--mesh", mesh, "--no-cache", today])).stdout)
  }

  /// A copy of `samples/faulty` in a fresh directory, old enough (3 s) to be trusted.
  static func faultyCopy() throws -> (dir: String, mesh: String) {
    let dir = NSTemporaryDirectory() + "lineage-findings-cli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.root + "/samples/faulty", toPath: dir + "/faulty")
    Thread.sleep(forTimeInterval: 3.2)
    return (dir, dir + "/faulty")
  }

  static func kept(_ cache: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).filter { $0.hasPrefix("findings-") }
  }

  /// A kept answer that is cut short, empty, foreign or has a byte changed is read
  /// again from the directory (and kept again), never printed.
  @Test func aDamagedKeptAnswerIsReadAgainNotTrusted() throws {
    let (dir, mesh) = try Self.faultyCopy()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cache = dir + "/cache"
    let args = ["validate", "--mesh", mesh, "--today=2026-06-01", "--format", "json"]
    let read = try CLI.run(args + ["--no-cache"])
    #expect(read.status == 1)
    _ = try CLI.run(args + ["--cache", cache])
    let file = cache + "/" + (try #require(Self.kept(cache).first))
    let good = try Data(contentsOf: URL(fileURLWithPath: file))
    var damages: [(String, Data)] = [
      ("cut in half", good.prefix(good.count / 2)), ("empty", Data()), ("header only", good.prefix(16)),
      ("foreign", Data(read.stdout.utf8)),
    ]
    for p in [0, 5, 12, 30, good.count / 2, good.count - 2, good.count - 1] {
      var bad = good
      bad[p] ^= 0x20
      damages.append(("byte \(p) changed", bad))
    }
    for (what, bytes) in damages {
      try bytes.write(to: URL(fileURLWithPath: file))
      let again = try CLI.run(args + ["--cache", cache])
      #expect(again.status == read.status, "exit status: \(what)")
      #expect(again.stdout == read.stdout, "stdout: \(what)")
      #expect(again.stderr == read.stderr, "stderr: \(what)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == good, "kept again after: \(what)")
    }
  }

  /// A cache directory that cannot be made, or a kept answer that cannot be written
  /// (a directory in its place), changes no answer and leaves no temporary file.
  @Test func aKeptAnswerThatCannotBeWrittenChangesNoAnswer() throws {
    let (dir, mesh) = try Self.faultyCopy()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let args = ["validate", "--mesh", mesh, "--today=2026-06-01"]
    let read = try CLI.run(args + ["--no-cache"])
    let blocker = dir + "/file"
    try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
    for format in ["text", "json"] {
      let r = try CLI.run(args + ["--format", format, "--cache", blocker + "/cache"])
      let expected = try CLI.run(args + ["--format", format, "--no-cache"])
      #expect(r.status == expected.status && r.stdout == expected.stdout && r.stderr == expected.stderr, "\(format)")
    }
    // The kept answer's name taken by a directory: the answer is read each time.
    let cache = dir + "/cache"
    _ = try CLI.run(args + ["--cache", cache])
    let name = try #require(Self.kept(cache).first)
    try FileManager.default.removeItem(atPath: cache + "/" + name)
    try FileManager.default.createDirectory(atPath: cache + "/" + name, withIntermediateDirectories: false)
    for _ in 0..<2 {
      let r = try CLI.run(args + ["--cache", cache])
      #expect(r.status == read.status && r.stdout == read.stdout && r.stderr == read.stderr)
    }
    let left = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".tmp") }
    #expect(left.isEmpty, "temporary files left: \(left)")
  }
}
