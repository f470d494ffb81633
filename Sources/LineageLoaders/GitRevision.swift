internal import Foundation

/// Materialises a mesh directory as it was at a git revision, without touching the
/// working tree: `git archive REV -- PATH` unpacked into a temporary directory.
public enum GitRevision {
  /// The directory holding the mesh at `revision`; `meshRoot` is the mesh directory in
  /// the working tree (inside a git repository).
  ///
  /// - Throws: ``LoadError`` when git is missing, the directory is not in a repository,
  ///   or the revision or path does not exist there.
  public static func checkout(meshRoot: String, revision: String) throws(LoadError) -> String {
    let top = try git(
      ["-C", meshRoot, "rev-parse", "--show-toplevel"], what: "\(meshRoot) is not inside a git repository"
    )
    .trimmingCharacters(in: .whitespacesAndNewlines)
    let prefix = try git(["-C", meshRoot, "rev-parse", "--show-prefix"], what: "cannot read the repository")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try git(
      ["-C", top, "rev-parse", "--verify", "--quiet", revision + "^{commit}"],
      what: "'\(revision)' is neither a directory nor a git revision of \(top)")
    let dir = NSTemporaryDirectory() + "lineage-rev-" + UUID().uuidString
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw LoadError(message: "cannot create a temporary directory: \(error.localizedDescription)")
    }
    let archive = dir + ".tar"
    defer { try? FileManager.default.removeItem(atPath: archive) }
    let spec = prefix.isEmpty ? "." : prefix
    _ = try git(
      ["-C", top, "archive", "--format=tar", "-o", archive, revision, "--", spec],
      what: "the mesh directory '\(spec)' does not exist at \(revision)")
    let tar = Process()
    tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    tar.arguments = ["tar", "-xf", archive, "-C", dir]
    do {
      try tar.run()
      tar.waitUntilExit()
    } catch {
      throw LoadError(message: "cannot unpack \(revision): \(error.localizedDescription)")
    }
    guard tar.terminationStatus == 0 else { throw LoadError(message: "cannot unpack the mesh at \(revision)") }
    return prefix.isEmpty ? dir : dir + "/" + prefix
  }

  static func git(_ args: [String], what: String) throws(LoadError) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git"] + args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    do {
      try p.run()
    } catch {
      throw LoadError(message: "cannot run git: \(error.localizedDescription)", hint: "install git")
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      throw LoadError(message: what, hint: errText.split(separator: "\n").first.map(String.init))
    }
    return String(decoding: data, as: UTF8.self)
  }
}
