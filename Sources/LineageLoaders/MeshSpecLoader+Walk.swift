internal import Foundation
import LineageCore

/// The tree walk: which files of a mesh directory are read.
extension MeshSpecLoader {
  /// What the walk of a mesh directory meets, in walk order.
  enum WalkStep {
    /// A directory entered (its path relative to the root, "" for the root): once per
    /// real directory, however many symbolic links lead to it.
    case directory(String)
    /// A directory that cannot be listed (relative path, absolute path).
    case unreadable(String, path: String)
    /// A `*.yaml`/`*.yml` file the loader reads (relative path, absolute path).
    case file(String, path: String)
    /// A symbolic link that leads nowhere or into a loop (relative path, why).
    case brokenLink(String, reason: String)
  }

  /// Walks the tree below `root` as the loader reads it: hidden entries skipped,
  /// entries in byte order, directory symlinks followed and each real directory
  /// entered once; no recursion. ``FindingsCache`` walks it the same way to know
  /// what an answer was read from.
  ///
  /// - Parameters:
  ///   - root: The mesh directory.
  ///   - visit: Called for every step.
  static func walk(root: String, _ visit: (WalkStep) -> Void) {
    let fm = FileManager.default
    var visited = Set<String>()
    var stack: [String] = [""]
    while let rel = stack.popLast() {
      let dir = rel.isEmpty ? root : root + "/" + rel
      guard let real = realPath(dir) else { continue }
      if !visited.insert(real).inserted { continue }
      guard let entries = try? fm.contentsOfDirectory(atPath: dir) else {
        visit(.unreadable(rel, path: dir))
        continue
      }
      visit(.directory(rel))
      var subdirs: [String] = []
      for name in entries.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
        let path = dir + "/" + name
        let relPath = rel.isEmpty ? name : rel + "/" + name
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
          var st = stat()
          if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK {
            visit(.brokenLink(relPath, reason: stat(path, &st) == 0 ? "unreadable" : String(cString: strerror(errno))))
          }
          continue
        }
        if isDir.boolValue {
          subdirs.append(relPath)
        } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
          visit(.file(relPath, path: path))
        }
      }
      stack.append(contentsOf: subdirs.reversed())
    }
  }

  /// Every `*.yaml`/`*.yml` below the root, relative, sorted by byte order; hidden
  /// entries skipped; directory symlink loops visited once.
  func walk(into files: inout [String], findings: inout [Finding]) {
    Self.walk(root: root) { step in
      switch step {
      case .directory: break
      case .file(let rel, _): files.append(rel)
      case .unreadable(let rel, let dir):
        // Part of the mesh would be missing: as much an error as an unreadable file.
        let reason = access(dir, R_OK | X_OK) == 0 ? "read failed" : String(cString: strerror(errno))
        findings.append(
          Finding(
            rule: "read-error", severity: .error, message: "cannot read directory: \(reason)",
            location: SourceLocation(file: displayPrefix + rel),
            hint: "make it readable to the user running lineage, or move it out of the mesh directory"))
      case .brokenLink(let rel, let reason):
        // A symbolic link that leads nowhere or into a loop: skipped, but said.
        findings.append(
          Finding(
            rule: "read-error", severity: .warning,
            message: "symbolic link cannot be followed (\(reason)); it is skipped",
            location: SourceLocation(file: displayPrefix + rel),
            hint: "point it at an existing file or directory, or remove it"))
      }
    }
    files.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}

/// The canonical absolute path (symlinks and `..` resolved), or nil when it does not exist.
func realPath(_ path: String) -> String? {
  guard let p = realpath(path, nil) else { return nil }
  defer { free(p) }
  return String(cString: p)
}
