public import ArgumentParser
import LineageCore
import LineageLoaders
import LineageRender
import LineageSQL

// The library's own enums are the command line's argument types: their raw values are
// the spellings, their cases in order the values `--help` lists.

extension OpenLineageImporter.History: ExpressibleByArgument {}
extension DiffGate.Threshold: ExpressibleByArgument {}
extension ImpactResult.FailOn: ExpressibleByArgument {}
extension ViewLevel: ExpressibleByArgument {}
extension SQLDialect: ExpressibleByArgument {}
extension ImportFormat: ExpressibleByArgument {}

/// `--today`: a date written `YYYY-MM-DD`, read at the command line's edge; anything
/// else is a usage error.
extension CalendarDate: ExpressibleByArgument {
  init?(argument: String) { self.init(argument) }
}
