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
}
