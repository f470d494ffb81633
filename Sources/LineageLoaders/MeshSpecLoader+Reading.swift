internal import Foundation
import LineageCore
internal import Yams

/// Reading one file's bytes as YAML text, shared with the ignore file, the server
/// configuration and drift's map file.
extension MeshSpecLoader {
  /// Reads a YAML file whose top level is one mapping (the ignore file, the server
  /// configuration, drift's map file) into its fields, reporting into `diag` what
  /// ``readText(_:diag:)`` reports, YAML errors, and a top level of another shape.
  ///
  /// - Parameters:
  ///   - path: The file's path.
  ///   - context: What the file is, for messages ("the ignore file").
  ///   - diag: The file's findings.
  /// - Returns: The top level's fields, or nil when the file gives none.
  static func readFields(_ path: String, context: String, diag: FileDiagnostics) -> Fields? {
    guard let text = readText(path, diag: diag) else { return nil }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      report(yamlError: error, diag: diag)
      return nil
    }
    guard let root else { return nil }
    return Fields(root, context: context, diag: diag)
  }

  /// Reads one YAML file of a mesh (or the ignore file) as text, reporting into `diag`
  /// a file too large, unreadable, not UTF-8 or holding a NUL byte; a byte order mark
  /// is dropped. Also notes whether the file mentions `lineage/` at all.
  ///
  /// - Parameters:
  ///   - path: The file's path.
  ///   - diag: The file's findings.
  /// - Returns: The text, or nil when it cannot be read.
  static func readText(_ path: String, diag: FileDiagnostics) -> String? {
    if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > Self.maxFileSize {
      diag.report(
        "read-error", .error, "file is \(size >> 20) MiB; mesh spec files are limited to \(Self.maxFileSize >> 20) MiB",
        at: nil, hint: "split it into several files")
      return nil
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      // Ask the system why, for the message: permission, a directory, a vanished file.
      let fd = open(path, O_RDONLY), code = errno
      let reason = fd < 0 ? String(cString: strerror(code)) : "read failed"
      if fd >= 0 { close(fd) }
      diag.report(
        "read-error", .error, "cannot read file: \(reason)", at: nil,
        hint: fd < 0 && code == EACCES
          ? "make it readable to the user running lineage, or move it out of the mesh directory"
          : "check that it exists and is a readable file")
      return nil
    }
    if data.count > Self.maxFileSize {
      diag.report(
        "read-error", .error,
        "file is \(data.count >> 20) MiB; mesh spec files are limited to \(Self.maxFileSize >> 20) MiB",
        at: nil, hint: "split it into several files")
      return nil
    }
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    diag.mentionsLineage = containsLineageMarker(bytes)
    if let bad = invalidUTF8(bytes, file: diag.file, severity: diag.problemSeverity) {
      diag.findings.append(bad)
      return nil
    }
    if let nul = bytes.firstIndex(of: 0) {
      let line = bytes[..<nul].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
      diag.findings.append(
        Finding(
          rule: "invalid-utf8", severity: diag.problemSeverity, message: "file contains a NUL byte",
          location: SourceLocation(file: diag.file, line: line), hint: "remove it"))
      return nil
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// An `invalid-utf8` finding at the first byte where `bytes` stop being valid UTF-8
/// (line and column), or nil when they are valid.
func invalidUTF8<C: BidirectionalCollection>(_ bytes: C, file: String, severity: Severity) -> Finding?
where C.Element == UInt8, C.Index == Int {
  guard let bad = firstInvalidUTF8(bytes) else { return nil }
  var line = 1, col = 1
  for b in bytes[bytes.startIndex..<bad] {
    if b == 10 { line += 1; col = 1 } else if b & 0xC0 != 0x80 { col += 1 }
  }
  return Finding(
    rule: "invalid-utf8", severity: severity,
    message: "file is not valid UTF-8 (byte 0x\(String(bytes[bad], radix: 16)) at offset \(bad - bytes.startIndex))",
    location: SourceLocation(file: file, line: line, column: col), hint: "save the file as UTF-8")
}

/// The first byte index where `bytes` stops being valid UTF-8, or nil.
func firstInvalidUTF8<C: Collection>(_ bytes: C) -> C.Index? where C.Element == UInt8 {
  var it = bytes.makeIterator()
  var parser = Unicode.UTF8.ForwardParser()
  var offset = 0
  while true {
    switch parser.parseScalar(from: &it) {
    case .valid(let s): offset += s.count
    case .error: return bytes.index(bytes.startIndex, offsetBy: offset)
    case .emptyInput: return nil
    }
  }
}

/// True when the bytes mention `lineage/` (an apiVersion of ours): a file that does
/// not is some other tool's YAML, and its problems are not the mesh's.
func containsLineageMarker(_ bytes: [UInt8]) -> Bool {
  let marker = Array("lineage/".utf8)
  guard bytes.count >= marker.count else { return false }
  var i = 0
  while i <= bytes.count - marker.count {
    if bytes[i] == marker[0], bytes[i..<i + marker.count].elementsEqual(marker) { return true }
    i += 1
  }
  return false
}
