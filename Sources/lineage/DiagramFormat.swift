import ArgumentParser
import Foundation

/// What `lineage render` writes: an image or document through Graphviz, or diagram text.
enum DiagramFormat: String, ExpressibleByArgument, CaseIterable {
  case svg, png, pdf, dot, mermaid

  var isText: Bool { self == .svg || self == .dot || self == .mermaid }

  /// The format a file name implies.
  init?(fileName: String) {
    switch (fileName as NSString).pathExtension.lowercased() {
    case "svg": self = .svg
    case "png": self = .png
    case "pdf": self = .pdf
    case "dot", "gv": self = .dot
    case "mmd", "mermaid": self = .mermaid
    default: return nil
    }
  }
}
