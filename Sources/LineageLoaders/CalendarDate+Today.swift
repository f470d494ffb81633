internal import Foundation
public import LineageCore

extension CalendarDate {
  /// Today's date in UTC, from the system clock (the core has no clock of its own).
  ///
  /// - Returns: The date.
  public static func today() -> CalendarDate {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd"
    let text = f.string(from: Date())
    guard let date = CalendarDate(text) else { preconditionFailure("the system date \(text) is not YYYY-MM-DD") }
    return date
  }
}
