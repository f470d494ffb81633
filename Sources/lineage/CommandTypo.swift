import ArgumentParser
import LineageCore

/// "Did you mean" for a misspelt subcommand (`lineage valdate`), which argument-parser
/// reports as an unknown option or argument of the root command instead. Options get
/// their suggestion from argument-parser itself.
enum CommandTypo {
  /// The usage message for `arguments` (without the executable) when its first word
  /// names no subcommand, or nil when it does (or is an option, which argument-parser
  /// judges).
  ///
  /// - Parameter arguments: The command line after the executable's name.
  /// - Returns: argument-parser's style of usage error, with a suggestion when one is close.
  static func message(for arguments: [String]) -> String? {
    guard let word = arguments.first, !word.hasPrefix("-") else { return nil }
    let names = Lineage.configuration.subcommands.map { $0._commandName } + ["help"]
    guard !names.contains(word) else { return nil }
    let suggestion = Suggest.closest(to: word, in: names).map { " Did you mean '\($0)'?" } ?? ""
    return """
      Error: Unknown command '\(Output.safeLines(word))'.\(suggestion)
      Usage: lineage <subcommand>
        See 'lineage --help' for the commands.
      """
  }
}
