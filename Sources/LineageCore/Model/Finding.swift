/// One problem or observation about the mesh, as a value.
///
/// Loaders, the resolver and the analyses all report findings; the formatters print
/// them (`path:line:column: error: message [rule]`) or serialise them (JSON, SARIF).
public struct Finding: Hashable, Sendable {
  /// The rule it reports, such as ``Finding/Rule/unresolvedReference`` or
  /// ``Finding/Rule/cycle``: reports print its id and SARIF takes its description
  /// from ``Finding/Rule/info``.
  public var rule: Rule
  /// How serious it is.
  public var severity: Severity
  /// One sentence saying what is wrong.
  public var message: String
  /// The node ids the finding is about, sorted.
  public var subjects: [String]
  /// Where it was declared, when known.
  public var location: SourceLocation?
  /// How to fix it, when there is something useful to say ("did you mean ...").
  public var hint: String?
  /// Other places that take part (the other declaration of a duplicate id, say).
  public var related: [SourceLocation]
  /// The observed event that showed it (its job, run, time and place), for the
  /// findings of ``Drift``; nil for findings on declarations alone.
  public var evidence: ObservedLineage.Evidence?

  /// Creates a finding; `subjects` are sorted and deduplicated.
  ///
  /// - Parameters:
  ///   - rule: The rule, such as ``Finding/Rule/noCycles``.
  ///   - severity: How serious it is.
  ///   - message: One sentence saying what is wrong.
  ///   - subjects: The node ids it is about.
  ///   - location: Where it was declared, when known.
  ///   - hint: How to fix it.
  ///   - related: Other places that take part.
  ///   - evidence: The observed event that showed it.
  public init(
    rule: Rule, severity: Severity, message: String, subjects: [String] = [],
    location: SourceLocation? = nil, hint: String? = nil, related: [SourceLocation] = [],
    evidence: ObservedLineage.Evidence? = nil
  ) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.subjects = Array(Set(subjects)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    self.location = location
    self.hint = hint
    self.related = related
    self.evidence = evidence
  }
}

extension Finding {
  /// The order findings are printed in: by file, line, column, then rule and message.
  ///
  /// - Parameters:
  ///   - a: A finding.
  ///   - b: Another finding.
  /// - Returns: True when `a` is printed first.
  public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
    switch (a.location, b.location) {
    case let (x?, y?) where x != y: return x < y
    case (nil, _?): return false
    case (_?, nil): return true
    default: break
    }
    if a.severity != b.severity { return a.severity > b.severity }
    if a.rule != b.rule { return a.rule < b.rule }
    if a.subjects != b.subjects { return a.subjects.lexicographicallyPrecedes(b.subjects) }
    // Numbers in messages by value: event 2 before event 10, inputs[2] before inputs[10].
    return a.message.naturallyPrecedes(b.message)
  }
}

extension Array where Element == Finding {
  /// The most serious severity present, or nil when empty.
  public var maxSeverity: Severity? { self.map(\.severity).max() }

  /// Counts of findings per severity.
  ///
  /// - Parameter severity: A severity.
  /// - Returns: The number of findings of that severity.
  public func count(_ severity: Severity) -> Int { self.reduce(0) { $0 + ($1.severity == severity ? 1 : 0) } }
}

extension Finding {
  /// The rules whose errors mean an input could not be read completely: a file that
  /// cannot be read or parsed, a document or field of the wrong shape, a document the
  /// format defines but the loader could not take in. Their errors are *load errors*:
  /// every command that answers from the input stops on them (exit status 2), since
  /// an answer from a half-read input looks right and is not. Every other finding
  /// (cycles, unresolved references, policies) is an answer about a mesh that was
  /// read completely.
  public static let loadErrorRules: Set<Rule> = [
    .loadError, .readError, .yamlSyntax, .duplicateKey, .invalidUtf8, .invalidJson, .invalidDocument,
    .invalidType, .invalidValue, .invalidEvent, .invalidCatalog, .unknownKind, .unknownApiVersion,
    .unsupportedVersion, .unsupportedFormat, .missingMesh, .misplacedMesh,
  ]

  /// True for an error of one of the ``loadErrorRules``: part of the input was not read.
  public var isLoadError: Bool { severity == .error && Self.loadErrorRules.contains(rule) }
}

extension Array where Element == Finding {
  /// The load errors among the findings (see ``Finding/isLoadError``).
  public var loadErrors: [Finding] { filter(\.isLoadError) }
}
