import Testing

/// The libraries' hints name no option; the command line says them in its own words,
/// naming its flags.
@Suite struct CommandLineWordingTests {
  @Test func loadErrorHintsNameMesh() throws {
    let missing = try CLI.run(["stats", "--mesh", "samples/nope"])
    #expect(missing.status == 2)
    #expect(
      missing.stderr.contains(
        "hint: --mesh takes a mesh directory (with mesh.yaml), a dbt manifest.json, OpenLineage events (a file or a directory), ODCS/ODPS YAML files, or a graph JSON file"
      ), "\(missing.stderr)")
    let none = try CLI.run(["stats"], cwd: "/")
    #expect(none.status == 2)
    #expect(none.stderr.contains("hint: run lineage inside a mesh directory, or pass --mesh PATH ("), "\(none.stderr)")
  }

  @Test func renderNotesNameTheirFlags() throws {
    let r = try CLI.run(["render", "--mesh", "samples/demo", "--engine", "neato", "--format", "dot"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("layout engine neato chosen with --engine"), "\(r.stderr)")
  }
}
