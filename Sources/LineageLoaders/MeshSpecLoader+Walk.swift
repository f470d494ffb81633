internal import Foundation
import LineageCore

/// The tree walk: which files of a mesh directory are read.
extension MeshSpecLoader {
  /// Every `*.yaml`/`*.yml` below the root, relative, sorted by byte order; hidden
  /// entries skipped; directory symlink loops visited once.
  func walk(into files: inout [String], findings: inout [Finding]) {
    let fm = FileManager.default
    var visited = Set<String>()
    var stack: [String] = [""]
    while let rel = stack.popLast() {
      let dir = rel.isEmpty ? root : root + "/" + rel
      guard let real = realPath(dir) else { continue }
      if !visited.insert(real).inserted { continue }
      guard let entries = try? fm.contentsOfDirectory(atPath: dir) else {
        // Part of the mesh would be missing: as much an error as an unreadable file.
        let reason = access(dir, R_OK | X_OK) == 0 ? "read failed" : String(cString: strerror(errno))
        findings.append(
          Finding(
            rule: "read-error", severity: .error, message: "cannot read directory: \(reason)",
            location: SourceLocation(file: displayPrefix + rel),
            hint: "make it readable to the user running lineage, or move it out of the mesh directory"))
        continue
      }
      var subdirs: [String] = []
      for name in entries.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
        let path = dir + "/" + name
        let relPath = rel.isEmpty ? name : rel + "/" + name
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
          // A symbolic link that leads nowhere or into a loop: skipped, but said.
          var st = stat()
          if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK {
            let reason = stat(path, &st) == 0 ? "unreadable" : String(cString: strerror(errno))
            findings.append(
              Finding(
                rule: "read-error", severity: .warning,
                message: "symbolic link cannot be followed (\(reason)); it is skipped",
                location: SourceLocation(file: displayPrefix + relPath),
                hint: "point it at an existing file or directory, or remove it"))
          }
          continue
        }
        if isDir.boolValue {
          subdirs.append(relPath)
        } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
          files.append(relPath)
        }
      }
      stack.append(contentsOf: subdirs.reversed())
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
