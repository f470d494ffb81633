/// A day of the calendar written `YYYY-MM-DD`, as mesh specs write sunset dates,
/// the ignore file its expiry dates, and `validate` takes today's date.
///
/// Dates compare by year, month and day. The accepted form is the one the spec has
/// always read: four digits of year (1900 or later), two of month (01...12), two of
/// day (01...31; the day is not checked against the month's length).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
  /// The year, 1900 or later.
  public let year: Int
  /// The month, 1...12.
  public let month: Int
  /// The day, 1...31.
  public let day: Int

  /// Why a text is not a date, and where in it.
  public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the text.
    public let message: String
    /// The 1-based column in the text of the part at fault.
    public let column: Int
    /// The fix to suggest.
    public var hint: String { "write it as YYYY-MM-DD" }

    /// The message.
    public var description: String { message }
  }

  /// Reads `YYYY-MM-DD`.
  ///
  /// - Parameter text: The date as written.
  /// - Returns: The date.
  /// - Throws: ``ParseError`` naming the part that is wrong (the year, month or day,
  ///   or the shape) and its column in `text`.
  public static func parse(_ text: String) throws(ParseError) -> CalendarDate {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } })
    else {
      throw ParseError(message: "'\(text)' is not a date of the form YYYY-MM-DD", column: 1)
    }
    // Only ASCII digits remain, so the conversions succeed.
    let y = Int(parts[0]) ?? 0, m = Int(parts[1]) ?? 0, d = Int(parts[2]) ?? 0
    guard y >= 1900 else { throw ParseError(message: "'\(text)' has year \(parts[0]), before 1900", column: 1) }
    guard (1...12).contains(m) else { throw ParseError(message: "'\(text)' has month \(parts[1])", column: 6) }
    guard (1...31).contains(d) else { throw ParseError(message: "'\(text)' has day \(parts[2])", column: 9) }
    return CalendarDate(year: y, month: m, day: d)
  }

  /// Reads `YYYY-MM-DD`; nil when `text` is not a date (see ``parse(_:)`` for why).
  ///
  /// - Parameter text: The date as written.
  public init?(_ text: String) {
    guard let date = try? Self.parse(text) else { return nil }
    self = date
  }

  /// A date literal in source code, such as `"2026-12-31"`.
  ///
  /// - Parameter value: The date; a literal that is not a date stops the program.
  public init(stringLiteral value: String) {
    do {
      self = try Self.parse(value)
    } catch {
      preconditionFailure("invalid date literal: \(error.message)")
    }
  }

  init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// `YYYY-MM-DD`.
  public var description: String {
    func pad(_ n: Int, _ width: Int) -> String {
      let s = String(n)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
  }

  /// Orders dates by year, month and day.
  ///
  /// - Parameters:
  ///   - a: A date.
  ///   - b: Another date.
  /// - Returns: True when `a` is earlier than `b`.
  public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }
}
