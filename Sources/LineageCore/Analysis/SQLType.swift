/// A column type, parsed from the SQL type text of a schema, for telling a widening
/// change from a narrowing or incompatible one.
public struct SQLType: Sendable, Equatable, CustomStringConvertible {
  /// The kind of value a type holds. Within a family, sizes decide widening or narrowing; across
  /// families ``change(to:)`` knows a few safe conversions (an integer to a large enough decimal,
  /// a date to a timestamp, anything to an unbounded string or to JSON).
  public enum Family: String, Sendable, Equatable {
    /// `string`: character types; `integer`, `decimal`, `float`: numbers; `boolean`; `date`,
    /// `time`, `timestamp`; `binary`: byte strings; `json`: JSON and variant types; `structured`:
    /// arrays, structs, maps and records; `unknown`: any type not recognised.
    case string, integer, decimal, float, boolean, date, time, timestamp, binary, json, structured, unknown
  }

  /// The family of the type, ``Family/unknown`` when the text is not recognised.
  public var family: Family
  /// Length for strings and binaries (nil: unbounded), bits for integers and floats,
  /// precision for decimals, time and timestamps.
  public var size: Int?
  /// Scale for decimals.
  public var scale: Int?
  /// For timestamps: with a time zone.
  public var zoned: Bool
  /// The type as written.
  public var text: String

  /// The type as written (``text``).
  public var description: String { text }

  /// Parses common SQL spellings (`varchar(10)`, `bigint`, `decimal(18,2)`,
  /// `timestamp(3) with time zone`, `array<string>`, ...). Anything else is `unknown`.
  ///
  /// - Parameter text: The type as declared.
  public init(_ text: String) {
    self.text = text
    var t = text.lowercased().trimmingSpaces
    zoned = false
    scale = nil
    size = nil
    family = .unknown
    var args: [Int] = []
    if let open = t.firstIndex(of: "("), let close = t.lastIndex(of: ")"), open < close,
      !t.hasPrefix("array"), !t.hasPrefix("struct"), !t.hasPrefix("map")
    {
      args = t[t.index(after: open)..<close].split(separator: ",").compactMap { Int($0.trimmingSpacesSub) }
      t = String(t[..<open]) + String(t[t.index(after: close)...])
      t = t.trimmingSpaces
    }
    let words = t.split(separator: " ").map(String.init)
    let head = words.first ?? ""
    switch head {
    case "varchar", "char", "character", "nvarchar", "nchar", "string", "text", "clob", "varchar2", "bpchar":
      family = .string
      size = ["string", "text", "clob"].contains(head) ? nil : (args.first ?? nil)
    case "tinyint", "int1", "byte": (family, size) = (.integer, 8)
    case "smallint", "int2", "short": (family, size) = (.integer, 16)
    case "int", "integer", "int4", "mediumint": (family, size) = (.integer, 32)
    case "bigint", "int8", "long": (family, size) = (.integer, 64)
    case "hugeint", "int128": (family, size) = (.integer, 128)
    case "decimal", "numeric", "number", "dec":
      family = .decimal
      size = args.first ?? 38
      scale = args.count > 1 ? args[1] : 0
    case "float", "real", "float4": (family, size) = (.float, head == "float" && (args.first ?? 0) > 24 ? 64 : 32)
    case "double", "float8", "float64": (family, size) = (.float, 64)
    case "boolean", "bool", "bit": family = .boolean
    case "date": family = .date
    case "time": (family, size) = (.time, args.first ?? 6)
    case "timestamp", "datetime", "timestamptz", "timestamp_tz", "timestamp_ntz", "timestamp_ltz":
      family = .timestamp
      size = args.first ?? 6
      zoned =
        head == "timestamptz" || head == "timestamp_tz" || head == "timestamp_ltz"
        || t.contains("with time zone")
          && !t.contains("without time zone")
    case "binary", "varbinary", "bytes", "bytea", "blob": (family, size) = (.binary, args.first)
    case "json", "jsonb", "variant", "object": family = .json
    default:
      if head.hasPrefix("array") || head.hasPrefix("struct") || head.hasPrefix("map") || head.hasPrefix("record") {
        family = .structured
      }
    }
  }

  /// How a change from `self` to `new` affects readers.
  public enum Change: String, Sendable {
    /// The same type.
    case same
    /// Every old value fits the new type (`int` to `bigint`, `varchar(3)` to `varchar(10)`).
    case widening
    /// Some old values may not fit (`varchar(10)` to `varchar(3)`, `decimal(18,2)` to `decimal(10,2)`).
    case narrowing
    /// A different kind of value (`date` to `boolean`, `string` to `int`).
    case incompatible
    /// One of the types is not understood: treated conservatively.
    case unknown
  }

  /// Classifies the change from `self` to `new`.
  ///
  /// - Parameter new: The type after the change.
  /// - Returns: Whether readers keep working (widening), may break, or break.
  public func change(to new: SQLType) -> Change {
    if family == .unknown || new.family == .unknown {
      return text.lowercased().trimmingSpaces == new.text.lowercased().trimmingSpaces ? .same : .unknown
    }
    if self == new || (family == new.family && size == new.size && scale == new.scale && zoned == new.zoned) {
      return .same
    }
    func bounded(_ a: Int?, _ b: Int?) -> Change {  // nil = unbounded
      switch (a, b) {
      case (nil, nil): return .same
      case (_, nil): return .widening
      case (nil, _): return .narrowing
      case let (x?, y?): return y > x ? .widening : (y == x ? .same : .narrowing)
      }
    }
    if family == new.family {
      switch family {
      case .string, .binary: return bounded(size, new.size)
      case .integer, .float, .time: return bounded(size, new.size)
      case .decimal:
        let intOld = (size ?? 38) - (scale ?? 0), intNew = (new.size ?? 38) - (new.scale ?? 0)
        if intNew >= intOld && (new.scale ?? 0) >= (scale ?? 0) { return .widening }
        return .narrowing
      case .timestamp:
        if zoned != new.zoned { return .incompatible }
        return bounded(size, new.size)
      default: return .incompatible
      }
    }
    let integerDigits = [8: 3, 16: 5, 32: 10, 64: 19, 128: 39]
    switch (family, new.family) {
    case (.integer, .decimal):
      return ((new.size ?? 38) - (new.scale ?? 0)) >= (integerDigits[size ?? 64] ?? 19) ? .widening : .narrowing
    case (.integer, .float): return (size ?? 64) <= ((new.size ?? 64) == 64 ? 32 : 16) ? .widening : .narrowing
    case (.decimal, .float), (.float, .decimal), (.decimal, .integer), (.float, .integer): return .narrowing
    case (.date, .timestamp): return .widening
    case (.timestamp, .date): return .narrowing
    case (_, .string) where new.size == nil: return .widening
    case (_, .string): return .narrowing
    case (_, .json): return .widening
    default: return .incompatible
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
    return String(s)
  }
}

extension Substring {
  var trimmingSpacesSub: String { String(self).trimmingSpaces }
}
