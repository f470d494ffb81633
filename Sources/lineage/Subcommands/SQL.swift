import ArgumentParser
import Foundation
import LineageCore
import LineageLoaders
import LineageReports
import LineageSQL

struct SQLCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sql",
    abstract: "Print the column lineage of SQL statements.",
    discussion: """
      Reads FILE (or standard input for '-'), one or more statements separated by ';': \
      SELECT, CREATE [OR REPLACE] TABLE|VIEW ... AS, INSERT INTO ... SELECT, MERGE INTO, \
      UPDATE ... FROM. For each it prints the table written, the tables read, every output \
      column's source columns with OpenLineage's transformation types (identity, \
      transformation, aggregation; join, filter, group_by, sort, window, conditional) and \
      masking. --schema gives the tables' columns, for expanding '*' and resolving \
      unqualified names: a dbt catalog.json, or {"db.table": ["column", ...]} or \
      {"db.table": {"column": "type"}}. Exit status 1 when a statement cannot be parsed.

      Examples (from the repository's root):
        lineage sql samples/sql/exports.sql --dialect duckdb
        lineage sql samples/sql/marts.sql --dialect duckdb --format json
      """)

  @Argument(help: ArgumentHelp("The SQL file, or '-' for standard input.", valueName: "file"))
  var file: String

  @Option(
    help: ArgumentHelp(
      "The SQL dialect: \(SQLDialect.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "dialect"))
  var dialect: SQLDialect = .generic

  @Option(
    help: ArgumentHelp(
      "The tables' columns: a dbt catalog.json or a JSON object of table to columns.", valueName: "file"))
  var schema: String?

  @OptionGroup var output: OutputOptions

  func run() throws {
    guard output.format == .text || output.format == .json else {
      throw CLIError("lineage sql writes text or json, not \(output.format.rawValue)")
    }
    let tables: SQLSchema
    let analysis: SQLAnalysis
    do {
      tables = try schema.map { path throws(LoadError) in try SQLSchemaFile.load(path: path) } ?? SQLSchema()
      analysis = try SQLFile.analyze(path: file, dialect: dialect, schema: tables)
    } catch {
      throw CLIError(error.description)
    }
    let report = SQLReport(dialect: dialect, file: file, analysis: analysis)
    try output.emit(text: { report.text(style: output.style) }, json: { report.json() })
    if report.failed { throw CLIError.findings }
  }
}
