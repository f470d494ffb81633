/// Findings as bytes and back, for what keeps them on disk (a graph image's load
/// findings, the findings `validate` keeps): a table of the distinct strings, then
/// each finding as indices into it and numbers, every number a variable-length
/// integer. Strings repeat a great deal (files, hints, rules), so each is stored, and
/// made again when read, once.
public enum FindingCodec {
  /// The bytes of `findings`, with `strings` (any other strings to keep) before them.
  ///
  /// - Parameters:
  ///   - findings: The findings, in the order to keep.
  ///   - strings: Other strings kept with them, read back by ``decode(_:)``.
  /// - Returns: The bytes.
  public static func encode(_ findings: [Finding], with strings: [String?] = []) -> [UInt8] {
    var table: [String] = []
    var index: [String: UInt64] = [:]
    var body: [UInt8] = []
    func put(_ v: UInt64) { append(v, to: &body) }
    func put(_ s: String?) {
      guard let s else { return put(0) }
      if let i = index[s] { return put(i) }
      table.append(s)
      index[s] = UInt64(table.count)
      put(UInt64(table.count))
    }
    func put(_ l: SourceLocation?) {
      guard let l else { return put(0) }
      put(1)
      put(l.file)
      put(UInt64(max(l.line, 0)))
      put(UInt64(max(l.column, 0)))
    }
    put(UInt64(strings.count))
    for s in strings { put(s) }
    put(UInt64(findings.count))
    for f in findings {
      put(f.rule.rawValue)
      put(UInt64(Severity.allCases.firstIndex(of: f.severity) ?? 0))
      put(f.message)
      put(UInt64(f.subjects.count))
      for s in f.subjects { put(s) }
      put(f.location)
      put(f.hint)
      put(UInt64(f.related.count))
      for r in f.related { put(r) }
      if let e = f.evidence {
        put(1)
        put(e.job)
        put(e.runID)
        put(e.eventTime)
        put(e.time.bitPattern)
        put(e.location)
      } else {
        put(0)
      }
    }
    var out: [UInt8] = []
    append(UInt64(table.count), to: &out)
    for s in table {
      append(UInt64(s.utf8.count), to: &out)
      out.append(contentsOf: s.utf8)
    }
    out += body
    return out
  }

  /// The findings and strings in `bytes`, or nil when they are not exactly what
  /// ``encode(_:with:)`` writes (truncated, extended or damaged).
  ///
  /// - Parameter bytes: The bytes.
  /// - Returns: The findings and the other strings, or nil.
  public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (findings: [Finding], strings: [String?])? {
    var at = 0
    var failed = false
    func varint() -> UInt64 {
      var v: UInt64 = 0
      var shift: UInt64 = 0
      while at < bytes.count, shift < 64 {
        let b = bytes[at]
        at += 1
        v |= UInt64(b & 0x7f) << shift
        if b & 0x80 == 0 { return v }
        shift += 7
      }
      failed = true
      return 0
    }
    // A count no larger than the bytes left (each element takes one at least).
    func count() -> Int {
      let n = varint()
      guard n <= UInt64(bytes.count - at) else {
        failed = true
        return 0
      }
      return Int(n)
    }
    var table: [String] = []
    let stringCount = count()
    table.reserveCapacity(stringCount)
    for _ in 0..<stringCount where !failed {
      let n = count()
      table.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<at + n]), as: UTF8.self))
      at += n
    }
    func string() -> String? {
      let i = varint()
      guard i > 0 else { return nil }
      guard i <= UInt64(table.count) else {
        failed = true
        return nil
      }
      return table[Int(i - 1)]
    }
    func location() -> SourceLocation? {
      guard varint() == 1 else { return nil }
      let file = string() ?? ""
      return SourceLocation(
        file: file, line: Int(truncatingIfNeeded: varint()), column: Int(truncatingIfNeeded: varint()))
    }
    func list<T>(_ element: () -> T) -> [T] { (0..<count()).map { _ in element() } }
    let strings: [String?] = list { string() }
    let findings: [Finding] = list {
      let rule = string() ?? ""
      let severity = varint()
      if severity >= Severity.allCases.count { failed = true }
      var f = Finding(
        rule: Finding.Rule(rawValue: rule), severity: failed ? .error : Severity.allCases[Int(severity)],
        message: string() ?? "")
      // Kept as they were (a finding's subjects are already deduplicated and sorted).
      f.subjects = list { string() ?? "" }
      f.location = location()
      f.hint = string()
      f.related = list { location() ?? SourceLocation(file: "") }
      if varint() == 1 {
        let job = string() ?? "", run = string() ?? "", time = string() ?? ""
        let seconds = Double(bitPattern: varint())
        f.evidence = ObservedLineage.Evidence(
          job: job, runID: run, eventTime: time, time: seconds, location: location())
      }
      return f
    }
    guard !failed, at == bytes.count else { return nil }
    return (findings, strings)
  }

  static func append(_ v: UInt64, to out: inout [UInt8]) {
    var v = v
    repeat {
      out.append(UInt8(v & 0x7f) | (v > 0x7f ? 0x80 : 0))
      v >>= 7
    } while v > 0
  }
}
