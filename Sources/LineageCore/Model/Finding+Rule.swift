extension Finding {
  /// The rule a finding reports, as a value: its stable id (`unresolved-reference`,
  /// `no-cycles`, ...), which reports print and SARIF calls `ruleId`.
  ///
  /// Every rule the library emits has a constant here (``Finding/Rule/noCycles``, ...)
  /// and an entry in ``catalogue`` with a summary and help text. A string literal is a
  /// rule too, so existing call sites keep working; ``info`` is nil for an id that is
  /// not catalogued.
  public struct Rule: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
  {
    /// The id as reports print it.
    public let rawValue: String

    /// Creates a rule from its id.
    ///
    /// - Parameter rawValue: The id, such as `unresolved-reference`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a rule from its id.
    ///
    /// - Parameter value: The id, such as `unresolved-reference`.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The id.
    public var description: String { rawValue }

    /// Orders rules by id, as findings are ordered.
    ///
    /// - Parameters:
    ///   - a: A rule.
    ///   - b: Another rule.
    /// - Returns: True when `a`'s id sorts before `b`'s.
    public static func < (a: Rule, b: Rule) -> Bool { a.rawValue < b.rawValue }

    /// The catalogue entry of this rule; nil when the id is not catalogued.
    public var info: Info? { Self.byID[rawValue] }

    static let byID: [String: Info] = Dictionary(
      catalogue.map { ($0.rule.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
  }
}

extension Finding.Rule {
  /// What part of the tool a rule belongs to.
  public enum Category: String, Sendable, CaseIterable {
    /// An input that cannot be read, or read only in part.
    case load
    /// The mesh spec's fields and declarations.
    case spec
    /// References between nodes and columns, and lineage that loops.
    case reference
    /// A governance policy configured under `policies:`.
    case policy
    /// The ownership audit of `lineage owners`.
    case ownership
    /// What an importer could not map (OpenLineage, ODCS/ODPS).
    case importer
    /// Column lineage read from SQL.
    case sql
    /// A change between two versions of a mesh, reported by `lineage diff`.
    case change
    /// The diff gate itself: the ignore file and unreadable sides.
    case gate
    /// What ran (OpenLineage events) against what the mesh declares, reported by
    /// `lineage drift`; configured under `policies:` like the governance rules.
    case drift
  }

  /// A catalogued rule: what it checks and what to do about a finding.
  public struct Info: Sendable {
    /// The rule.
    public let rule: Finding.Rule
    /// Its category.
    public let category: Category
    /// One sentence saying what the rule checks (SARIF's `shortDescription`).
    public let summary: String
    /// What to do about a finding of the rule, in general (a finding's own `hint` is
    /// specific to it).
    public let help: String

    init(_ rule: Finding.Rule, _ category: Category, _ summary: String, help: String) {
      self.rule = rule
      self.category = category
      self.summary = summary
      self.help = help
    }
  }
}

extension Finding {
  /// Creates a finding whose rule comes as an id string (a LineageSQL diagnostic's
  /// rule, a ``MeshChange/Kind``'s raw value); `subjects` are sorted and deduplicated.
  /// A string literal picks the typed initializer.
  ///
  /// - Parameters:
  ///   - rule: The rule's id, such as `unresolved-reference`.
  ///   - severity: How serious it is.
  ///   - message: One sentence saying what is wrong.
  ///   - subjects: The node ids it is about.
  ///   - location: Where it was declared, when known.
  ///   - hint: How to fix it.
  ///   - related: Other places that take part.
  @_disfavoredOverload
  public init(
    rule: String, severity: Severity, message: String, subjects: [String] = [],
    location: SourceLocation? = nil, hint: String? = nil, related: [SourceLocation] = []
  ) {
    self.init(
      rule: Rule(rawValue: rule), severity: severity, message: message, subjects: subjects, location: location,
      hint: hint, related: related)
  }

  /// The finding's rule: the same value as ``rule``, which is typed now.
  @available(*, deprecated, renamed: "rule")
  public var ruleID: Rule { rule }
}
