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
    var line = 0, column = 0
    var message = "\(error)"
    if let e = error as? YamlError {
      switch e {
      case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
           .composer(let context, let problem, let mark, _):
        line = mark.line
        column = mark.column
        message = problem + (context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? "")
      case .duplicatedKeysInMapping(let duplicates, let context):
        line = context.mark.line
        column = context.mark.column
        message = "duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping"
        diag.findings.append(Finding(rule: "duplicate-key", severity: diag.problemSeverity, message: message,
                                     location: SourceLocation(file: diag.file, line: line, column: column),
                                     hint: "keep one of them; YAML mappings need unique keys"))
        return
      case .reader(let problem, let offset, _, _):
        message = problem + (offset.map { " at character \($0)" } ?? "")
      default:
        break
      }
    }
    diag.findings.append(Finding(rule: "yaml-syntax", severity: diag.problemSeverity, message: "YAML syntax error: \(message)",
                                 location: SourceLocation(file: diag.file, line: line, column: column),
                                 hint: "fix the YAML; the rest of this file was not read"))
  }
}
