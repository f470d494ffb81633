internal import Foundation
public import LineageCore
internal import Yams

/// Reads `lineage-ignore.yaml`: breaking changes to let through the CI gate, each
/// with a reason and an expiry date.
///
/// ```yaml
/// ignore:
///   - change: column-dropped crm.customers.email
///     reason: marketing moved to email_hash (JIRA-123)
///     expires: 2026-12-31
/// ```
public enum IgnoreFile {
  /// The entries and the problems found; a missing file is no entries.
  public static func load(path: String, display: String) -> (entries: [IgnoreEntry], findings: [Finding]) {
    guard FileManager.default.fileExists(atPath: path) else { return ([], []) }
    let diag = FileDiagnostics(file: display)
    guard let f = MeshSpecLoader.readFields(path, context: "the ignore file", diag: diag) else {
      return ([], diag.findings)
    }
    var entries: [IgnoreEntry] = []
    let kinds = MeshChange.Kind.allCases.map(\.rawValue)
    for item in f.sequence("ignore") ?? [] {
      guard let e = Fields(item, context: "an ignore entry", diag: diag) else { continue }
      let change = e.string("change", required: true, hint: "for example 'column-dropped crm.customers.email'")
      let reason = e.string("reason", required: true, hint: "say why the break is acceptable")
      let expires = e.string("expires", required: true, hint: "an ISO date such as 2026-12-31")
      e.finish(allowed: ["change", "reason", "expires"])
      guard let change, let reason, let expires else { continue }
      let kind = String(change.split(separator: " ").first ?? "")
      if !kinds.contains(kind) || !change.contains(" ") {
        diag.report(
          "invalid-value", .error, "change '\(change)' must be 'KIND PRODUCT[.COLUMN]'", at: e.value("change"),
          hint: Suggest.hint(for: kind, in: kinds) ?? "kinds: \(kinds.joined(separator: ", "))")
        continue
      }
      guard let date = CalendarDate(expires) else {
        diag.report(
          "invalid-value", .error, "expires '\(expires)' is not a date", at: e.value("expires"),
          hint: "write it as YYYY-MM-DD")
        continue
      }
      entries.append(IgnoreEntry(change: change, reason: reason, expires: date, location: e.location))
    }
    f.finish(allowed: ["ignore"])
    return (entries, diag.findings)
  }
}
