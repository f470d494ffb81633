/// A schema or product change whose blast radius is asked for.
public enum SchemaChange: Sendable, Equatable, CustomStringConvertible {
  /// The column is removed.
  case drop
  /// A rename, to the new name when known.
  case rename(String?)
  /// The column gets a new type: the SQL type text (`bigint`, `varchar(20)`), or `unknown` when
  /// the declared type is removed.
  case retype(String)
  /// The column becomes nullable.
  case nullable
  /// The whole product goes away.
  case retire
  /// A data contract's constraint on the column is removed or relaxed: values its
  /// readers were promised they would not get may arrive. ``MeshDiff`` gives it to a
  /// `constraint-loosened` change; ``init(parsing:)`` does not read it.
  case loosen

  /// Parses `drop`, `rename[:NEW]`, `retype:TYPE`, `nullable`, `retire`.
  public init?(parsing s: String) {
    switch s {
    case "drop": self = .drop
    case "rename": self = .rename(nil)
    case "nullable": self = .nullable
    case "retire": self = .retire
    default:
      if s.hasPrefix("rename:"), s.count > 7 {
        self = .rename(String(s.dropFirst(7)))
      } else if s.hasPrefix("retype:"), s.count > 7 {
        self = .retype(String(s.dropFirst(7)))
      } else {
        return nil
      }
    }
  }

  /// The change as ``init(parsing:)`` reads it: `drop`, `rename[:NEW]`, `retype:TYPE`, `nullable`
  /// or `retire`; and `loosen`, which only a diff gives.
  public var description: String {
    switch self {
    case .drop: "drop"
    case .rename(let n): n.map { "rename:\($0)" } ?? "rename"
    case .retype(let t): "retype:\(t)"
    case .nullable: "nullable"
    case .retire: "retire"
    case .loosen: "loosen"
    }
  }

  /// The verb for sentences ("dropping").
  public var gerund: String {
    switch self {
    case .drop: "dropping"
    case .rename: "renaming"
    case .retype: "retyping"
    case .nullable: "making nullable"
    case .retire: "retiring"
    case .loosen: "loosening the constraints of"
    }
  }
}
