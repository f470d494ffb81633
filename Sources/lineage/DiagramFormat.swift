import ArgumentParser
import Foundation

/// What `lineage render` writes: an image or document through Graphviz, diagram text,
/// or the web explorer as one self-contained page (`html`).
enum DiagramFormat: String, ExpressibleByArgument, CaseIterable {
  case svg, png, pdf, dot, mermaid, html

  var isText: Bool { self == .svg || self == .dot || self == .mermaid || self == .html }

  /// The format a file name implies.
  init?(fileName: String) {
    switch (fileName as NSString).pathExtension.lowercased() {
    case "svg": self = .svg
    case "png": self = .png
    case "pdf": self = .pdf
    case "dot", "gv": self = .dot
    case "mmd", "mermaid": self = .mermaid
    case "html", "htm": self = .html
    default: return nil
    }
  }
}
