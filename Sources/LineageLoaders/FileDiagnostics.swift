import LineageCore
internal import Yams

/// Collects the findings of one file while its documents are read.
final class FileDiagnostics {
  let file: String
  var findings: [Finding] = []
  /// Whether the file mentions `lineage/` at all; problems in files that do not are
  /// some other tool's business and are reported as warnings, not errors.
  var mentionsLineage = true

  /// Errors for files of the mesh, warnings for other tools' YAML that fails to read.
  var problemSeverity: Severity { mentionsLineage ? .error : .warning }

  init(file: String) { self.file = file }

  func location(_ node: Node) -> SourceLocation {
    SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
  }

  func report(
    _ rule: String, _ severity: Severity, _ message: String, at node: Node?, subjects: [String] = [],
    hint: String? = nil, related: [SourceLocation] = []
  ) {
    findings.append(
      Finding(
        rule: rule, severity: severity, message: message, subjects: subjects,
        location: node.map(location) ?? SourceLocation(file: file),
        hint: hint, related: related))
  }
}
