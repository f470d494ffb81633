internal import Foundation
internal import LineageCore

/// Where the files of a dbt project are, seen from its manifest: so that a finding on
/// an imported node names the file that declares it (the YAML that documents it, else
/// its SQL, seed or YAML file), not the manifest.
///
/// The project directory is the manifest's directory when it holds `dbt_project.yml`,
/// else its parent (dbt writes the manifest into the project's `target/`). A
/// resource's paths are relative to its package: the root project's are under the
/// project directory, an installed package's under
/// `dbt_packages/PACKAGE/`. A YAML file that exists is searched for the line that
/// names the resource (`- name: NAME`, the least indented one); line 1 otherwise.
struct DBTProjectFiles {
  /// The project directory, with a trailing `/`, or empty for the current directory.
  let directory: String
  /// The root project's package name; nil when the manifest does not say and no
  /// package is most common.
  let rootPackage: String?
  /// Lines of the YAML files read so far (nil for a file that cannot be read).
  private var yamlLines: [String: [Substring]?] = [:]

  /// The files of the project a manifest belongs to.
  ///
  /// - Parameters:
  ///   - manifest: The manifest's path, as given.
  ///   - rootPackage: The root project's package name.
  init(manifest: String, rootPackage: String?) {
    let manifestDirectory = (manifest as NSString).deletingLastPathComponent
    let parent = (manifestDirectory as NSString).deletingLastPathComponent
    func holdsProject(_ dir: String) -> Bool {
      FileManager.default.fileExists(atPath: (dir.isEmpty ? "." : dir) + "/dbt_project.yml")
    }
    let dir = holdsProject(manifestDirectory) ? manifestDirectory : parent
    directory = dir.isEmpty || dir == "." ? "" : dir.hasSuffix("/") ? dir : dir + "/"
    self.rootPackage = rootPackage
  }

  /// The path of a resource's file as seen from the current directory.
  ///
  /// - Parameters:
  ///   - path: The path relative to its package, `/`-separated.
  ///   - package: The resource's package.
  /// - Returns: The path under the project directory.
  func path(_ path: String, package: String?) -> String {
    if let package, let rootPackage, package != rootPackage {
      return directory + "dbt_packages/" + package + "/" + path
    }
    return directory + path
  }

  /// Where a resource is declared: the YAML that documents it (at the line naming it,
  /// when the file can be read), else its own file at line 1.
  ///
  /// - Parameters:
  ///   - resource: The imported resource.
  ///   - name: The name it is declared under in YAML.
  /// - Returns: Its location, or nil when the manifest names no file for it.
  mutating func location(of resource: ImportedResource, name: String) -> SourceLocation? {
    let yaml = resource.patchPath ?? (resource.path.map { isYAML($0) ? $0 : nil } ?? nil)
    if let yaml {
      let file = path(yaml, package: resource.package)
      let at = line(naming: name, in: file)
      return SourceLocation(file: file, line: at?.line ?? 1, column: at?.column ?? 1)
    }
    return resource.path.map { SourceLocation(file: path($0, package: resource.package), line: 1, column: 1) }
  }

  func isYAML(_ p: String) -> Bool { p.hasSuffix(".yml") || p.hasSuffix(".yaml") }

  /// The line and column of the least indented `name: NAME` (as a list item or a
  /// key) in a YAML file.
  mutating func line(naming name: String, in file: String) -> (line: Int, column: Int)? {
    if yamlLines[file] == nil {
      let text = FileManager.default.contents(atPath: file).flatMap { String(data: $0, encoding: .utf8) }
      yamlLines[file] = text.map { $0.split(separator: "\n", omittingEmptySubsequences: false) }
    }
    guard let lines = yamlLines[file] ?? nil else { return nil }
    var best: (line: Int, column: Int)?
    for (i, raw) in lines.enumerated() {
      let indent = raw.prefix { $0 == " " }.count
      var text = raw.dropFirst(indent)
      var column = indent + 1
      if text.hasPrefix("- ") {
        let rest = text.dropFirst(2).drop { $0 == " " }
        column += text.count - rest.count
        text = rest
      }
      guard text.hasPrefix("name:") else { continue }
      var value = text.dropFirst(5).trimmingCharacters(in: .whitespaces)
      if let hash = value.range(of: " #") { value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces) }
      if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
        value = String(value.dropFirst().dropLast())
      }
      guard value == name, best.map({ column < $0.column }) ?? true else { continue }
      best = (i + 1, column)
    }
    return best
  }
}
