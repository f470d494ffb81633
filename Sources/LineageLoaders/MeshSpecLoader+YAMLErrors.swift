import LineageCore
internal import Yams

/// YAML errors as findings, shared with the ignore file.
extension MeshSpecLoader {
  /// Maps an error of Yams (libyaml) to a located finding in `diag`: `duplicate-key`
  /// for a repeated key, `yaml-syntax` for everything else, at libyaml's mark.
  ///
  /// - Parameters:
  ///   - error: What Yams threw.
  ///   - diag: The file's findings.
  static func report(yamlError error: any Error, diag: FileDiagnostics) {
    let p =
      (error as? YamlError).flatMap(YAMLProblem.init)
      ?? YAMLProblem(rule: "yaml-syntax", line: 0, column: 0, message: "\(error)")
    let duplicate = p.rule == "duplicate-key"
    diag.findings.append(
      Finding(
        rule: p.rule, severity: diag.problemSeverity,
        message: duplicate ? p.message : "YAML syntax error: \(p.message)",
        location: SourceLocation(file: diag.file, line: p.line, column: p.column),
        hint: duplicate
          ? "keep one of them; YAML mappings need unique keys" : "fix the YAML; the rest of this file was not read"))
  }
}
