public import LineageCore

/// JUnit XML for findings: one test case per finding (failed at or above `failOn`),
/// or a single passing case when there are none.
public enum JUnitWriter {
  /// Writes the JUnit XML.
  ///
  /// - Parameters:
  ///   - findings: The findings, in any order.
  ///   - suite: The test suite's name.
  ///   - failOn: The lowest severity that is a failure.
  /// - Returns: The UTF-8 bytes of the document.
  public static func write(_ findings: [Finding], suite: String, failOn: Severity) -> [UInt8] {
    let sorted = findings.sorted(by: Finding.reportOrder)
    let failures = sorted.filter { $0.severity >= failOn }.count
    var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    s += "<testsuites name=\"lineage\" tests=\"\(max(1, sorted.count))\" failures=\"\(failures)\">\n"
    s += "  <testsuite name=\"\(xml(suite))\" tests=\"\(max(1, sorted.count))\" failures=\"\(failures)\">\n"
    if sorted.isEmpty { s += "    <testcase classname=\"lineage\" name=\"no findings\"/>\n" }
    for f in sorted {
      let name = "[\(f.rule)] " + (f.subjects.first ?? f.location?.description ?? f.message)
      s += "    <testcase classname=\"\(xml(f.location?.file ?? "lineage"))\" name=\"\(xml(name))\""
      if f.severity >= failOn {
        s += ">\n      <failure message=\"\(xml(f.message))\" type=\"\(f.severity.rawValue)\">"
        s += xml((f.location.map { "\($0): " } ?? "") + f.message + (f.hint.map { "\nhint: \($0)" } ?? ""))
        s += "</failure>\n    </testcase>\n"
      } else {
        s += ">\n      <system-out>\(xml(f.severity.rawValue + ": " + f.message))</system-out>\n    </testcase>\n"
      }
    }
    s += "  </testsuite>\n</testsuites>\n"
    return Array(s.utf8)
  }

  /// XML text or attribute: `& < > " '` escaped, control characters (not allowed in
  /// XML 1.0) replaced by U+FFFD.
  public static func xml(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n", "\t": out.unicodeScalars.append(u)
      default:
        if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out
  }
}
