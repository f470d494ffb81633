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
func warnUnmatched(_ s: Selection) {
  for (atom, suggestion) in s.unmatched {
    Output.warning(
      "'\(terminalSafe(SelectorError.excerpt(atom)))' matched no node"
        + (suggestion.map { " (did you mean '\(terminalSafe($0))'?)" } ?? ""))
  }
}
