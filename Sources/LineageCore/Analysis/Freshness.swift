/// Freshness durations as written in `sla.freshness`.
public enum Freshness {
  /// Seconds of a duration such as `30s`, `15m`, `1h`, `1.5h`, `2d`, `1w`, or ISO 8601
  /// (`PT15M`, `P1D`); nil when it is neither.
  ///
  /// - Parameter text: The duration as written.
  /// - Returns: The duration in seconds, or nil.
  public static func seconds(_ text: String) -> Double? {
    let t = trimmed(Substring(text)).lowercased()
    guard !t.isEmpty else { return nil }
    if t.hasPrefix("p") { return iso8601(t) }
    var digits = ""
    var rest = Substring(t)
    while let c = rest.first, c.isASCII, c.isNumber || c == "." {
      digits.append(c)
      rest = rest.dropFirst()
    }
    guard let value = Double(digits), value >= 0 else { return nil }
    let unit = String(trimmed(rest))
    guard let factor = units[unit] else { return nil }
    return value * factor
  }

  static let units: [String: Double] = [
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604_800, "week": 604_800, "weeks": 604_800,
  ]

  static func iso8601(_ t: String) -> Double? {
    var total = 0.0, number = "", inTime = false, any = false
    for c in t.dropFirst() {
      if c == "t" { inTime = true; continue }
      if c.isNumber || c == "." { number.append(c); continue }
      guard let v = Double(number) else { return nil }
      number = ""
      any = true
      switch (c, inTime) {
      case ("w", false): total += v * 604_800
      case ("d", false): total += v * 86400
      case ("h", true): total += v * 3600
      case ("m", true): total += v * 60
      case ("s", true): total += v
      default: return nil
      }
    }
    return any && number.isEmpty ? total : nil
  }
}

func trimmed(_ s: Substring) -> Substring {
  var s = s
  while s.first?.isWhitespace == true { s = s.dropFirst() }
  while s.last?.isWhitespace == true { s = s.dropLast() }
  return s
}
