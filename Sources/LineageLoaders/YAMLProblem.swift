internal import LineageCore
internal import Yams

/// The located parts of a Yams (libyaml) error, shared by every YAML reader: the
/// mesh spec loader, the ignore file and the ODCS/ODPS importer.
struct YAMLProblem {
  /// `duplicate-key` for a repeated key, `yaml-syntax` for everything else.
  var rule: Finding.Rule
  var line: Int
  var column: Int
  /// What libyaml said, with its context; without the `YAML syntax error: ` prefix.
  var message: String

  /// The problem libyaml located; nil for the errors it carries no place for, which
  /// each reader words itself.
  ///
  /// - Parameter error: What Yams threw.
  init?(_ error: YamlError) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      self.init(
        rule: "yaml-syntax", line: mark.line, column: mark.column,
        message: problem + (context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""))
    case .duplicatedKeysInMapping(let duplicates, let context):
      self.init(
        rule: "duplicate-key", line: context.mark.line, column: context.mark.column,
        message:
          "duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping"
      )
    case .reader(let problem, let offset, _, _):
      self.init(
        rule: "yaml-syntax", line: 0, column: 0, message: problem + (offset.map { " at character \($0)" } ?? ""))
    default:
      return nil
    }
  }

  init(rule: Finding.Rule, line: Int, column: Int, message: String) {
    self.rule = rule
    self.line = line
    self.column = column
    self.message = message
  }
}
