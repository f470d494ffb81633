import ArgumentParser
import LineageCore
import LineageReports

/// Parses selector arguments; a malformed one is a located error (exit 2).
func parseSelector(_ args: [String], in g: LineageGraph) throws(CLIError) -> Selector {
  do {
    return try Selector.parse(args, in: g)
  } catch {
    throw CLIError(error)
  }
}

/// Warns about every selector atom that matched no node, with its suggestion.
func warnUnmatched(_ s: Selection) { warnUnmatched(s.unmatched) }

/// Warns about each atom that matched no node, with its suggestion.
func warnUnmatched(_ unmatched: [(atom: String, suggestion: String?)]) {
  for w in unmatchedWarnings(unmatched) { Output.warning(w) }
}

/// The warning for each atom that matched no node, with its suggestion.
func unmatchedWarnings(_ unmatched: [(atom: String, suggestion: String?)]) -> [String] {
  unmatched.map { atom, suggestion in
    "'\(terminalSafe(SelectorError.excerpt(atom)))' matched no node"
      + (suggestion.map { " (did you mean '\(terminalSafe($0))'?)" } ?? "")
  }
}

extension CLIError {
  /// A ``MeshQuery/Failure`` as the command line says it: the flags by their names,
  /// the atoms that matched nothing warned about first.
  init(query failure: MeshQuery.Failure, selector: [String]) {
    switch failure.reason {
    case .negativeDepth:
      self.init("--depth must be 0 or more")
    case .noMatch:
      self.init("selector \(selector.map { "'\(terminalSafe($0))'" }.joined(separator: " ")) matched no node")
      warnings = unmatchedWarnings(failure.unmatched)
    case .invalidArgument:
      self.init(failure)
    }
  }
}
