extension Finding.Rule {
  /// Every rule the library emits, with its category, a one-line summary (SARIF's
  /// `shortDescription` for every rule a log names, the diff's changes included) and
  /// what to do about it. A finding carries its rule as a ``Finding/Rule``, whose
  /// ``Finding/Rule/info`` is its entry here. `RuleCatalogTests` fails on a rule
  /// emitted anywhere in `Sources/` that is missing here; docs/rules.md lists them.
  public static let catalogue: [Info] = [
    Info(
      loadError, .load,
      "Every input can be read.",
      help: "Check the path and the file's format; the message names what could not be read."),
    Info(
      readError, .load,
      "Every file of the mesh can be read.",
      help: "Check the file's permissions, or that it is a regular file and not a broken link."),
    Info(
      yamlSyntax, .load,
      "Every YAML file parses.",
      help: "Fix the YAML at the line and column given; libyaml's message says what it expected."),
    Info(
      duplicateKey, .load,
      "No YAML or JSON mapping repeats a key.",
      help: "Keep one of the two keys; the later value would silently replace the earlier one."),
    Info(
      invalidUtf8, .load,
      "Every input file is valid UTF-8 without NUL bytes.",
      help: "Re-save the file as UTF-8."),
    Info(
      invalidJson, .load,
      "Every JSON input parses.",
      help: "Fix the JSON at the line and column given."),
    Info(
      invalidDocument, .load,
      "Every document has the shape its format defines.",
      help: "Regenerate the document with the tool that writes it, or add the missing part."),
    Info(
      invalidType, .load,
      "Every field the loader reads has the type its format defines.",
      help: "Give the value at the path named in the message the expected type."),
    Info(
      invalidEvent, .load,
      "Every OpenLineage value is a run, dataset or job event.",
      help: "A RunEvent has run and job, a DatasetEvent dataset, a JobEvent job."),
    Info(
      invalidCatalog, .load,
      "A dbt catalog.json beside the manifest has the shape dbt writes.",
      help: "Regenerate it with 'dbt docs generate'."),
    Info(
      unknownKind, .load,
      "Every mesh spec document has a known kind.",
      help: "Use one of the kinds the spec defines (Mesh, Domain, Team, DataProduct, Source, Consumer)."),
    Info(
      unknownApiVersion, .load,
      "Every mesh spec document names the apiVersion this version of lineage reads.",
      help: "Set apiVersion to the version the message names."),
    Info(
      unsupportedVersion, .load,
      "Every data contract or product has a version lineage reads.",
      help: "Write ODCS v3 contracts and ODPS v0.9 or v1 products."),
    Info(
      unsupportedFormat, .load,
      "Every input has a format lineage reads.",
      help: "Give a mesh directory, graph JSON, a dbt manifest, OpenLineage events, ODCS/ODPS YAML or SQL files."),
    Info(
      missingMesh, .load,
      "A mesh directory's mesh.yaml holds a document of kind Mesh.",
      help: "Add a 'kind: Mesh' document to mesh.yaml."),
    Info(
      misplacedMesh, .load,
      "Only the root mesh.yaml holds a document of kind Mesh, and only one.",
      help: "Move the settings into the root mesh.yaml and remove the second Mesh document."),
    Info(
      newerSchema, .load,
      "The dbt manifest's schema version is one lineage knows.",
      help: "It is read with the newest shape lineage knows; upgrade lineage if fields are missed."),
    Info(
      emptyInput, .load,
      "Every input holds something lineage can read.",
      help: "Check that the file holds events or statements that write tables."),
    Info(
      missingField, .spec,
      "Required fields are present.",
      help: "Add the field the message names."),
    Info(
      unknownField, .spec,
      "Fields are among those the spec defines.",
      help: "Remove the field or fix its spelling; the hint suggests the closest known field."),
    Info(
      invalidValue, .spec,
      "Field values have the expected type and form.",
      help: "Give the field a value of the form the message names."),
    Info(
      invalidField, .spec,
      "Fields are used where the spec allows them.",
      help: "Remove the field from where the message says it does not apply."),
    Info(
      unknownStatus, .spec,
      "Every status is one lineage knows.",
      help: "Use a known status; an unknown one is read as active."),
    Info(
      unknownPolicy, .spec,
      "Every policy under 'policies:' is one lineage knows.",
      help: "Use one of the policy ids of docs/governance.md; the hint suggests the closest."),
    Info(
      skippedDocument, .spec,
      "Every YAML document in the mesh directory is a lineage document.",
      help: "Nothing to fix if the document is meant for another tool; it is skipped."),
    Info(
      duplicateId, .spec,
      "Each id is declared once in the mesh.",
      help: "Rename one of the declarations or remove it; the first one is kept."),
    Info(
      duplicateInput, .spec,
      "A node lists each input once.",
      help: "Remove the repeated input."),
    Info(
      duplicateColumn, .spec,
      "A node declares each column once.",
      help: "Remove or rename the repeated column."),
    Info(
      unresolvedReference, .reference,
      "Every reference names a declared domain, team, product or column.",
      help: "Fix the name; the hint suggests the closest declared one."),
    Info(
      invalidReference, .reference,
      "Nothing reads a consumer: consumers are the end of lineage.",
      help: "Read the product the consumer reads instead, or declare the consumer as a product."),
    Info(
      lineageNotAnInput, .reference,
      "A column derives only from products among its node's inputs.",
      help: "Add the product to the node's inputs, or fix the column's 'from'."),
    Info(
      lineageColumnNotRead, .reference,
      "A column derives only from columns its node reads from that input.",
      help: "Add the column to the input's 'columns', or fix the column's 'from'."),
    Info(
      cycle, .reference,
      "Products do not depend on themselves through their inputs.",
      help: "Remove the culprit input the hint names, or move the shared logic upstream."),
    Info(
      selfLoop, .reference,
      "A dataset does not read itself.",
      help: "Nothing to fix for an incremental job; the edge is left out of the graph."),
    Info(
      undeclaredNode, .reference,
      "Every node id an edge names is declared among the nodes.",
      help: "Add the ids to \"nodes\", or accept them as undeclared nodes."),
    Info(
      mergeConflict, .reference,
      "Inputs that declare the same node agree on it.",
      help: "Make the inputs agree; the first input's values are kept."),
    Info(
      requireOwner, .policy,
      "Every node has an owning team, its own or its domain's.",
      help: "Set 'owner' on the node or on its domain."),
    Info(
      importedUndeclared, .policy,
      "Imported nodes declare what the default policies look for (owners, descriptions).",
      help:
        "Declare them in the input's own terms (in dbt, 'meta: {owner: TEAM}' and 'description:' in the model's YAML) or in a mesh directory merged with it; set the policy under 'policies:' to list every node."
    ),
    Info(
      requireDescription, .policy,
      "Every node has a description.",
      help: "Add a 'description'."),
    Info(
      requireSla, .policy,
      "Every data product promises a service level (freshness or availability).",
      help: "Add 'sla: { freshness: ..., availability: ... }'."),
    Info(
      requireSchema, .policy,
      "Every data product and source declares its schema.",
      help: "Declare the columns under 'schema:'."),
    Info(
      noCycles, .policy,
      "Products do not depend on themselves through their inputs.",
      help: "Remove the culprit input the hint names, or move the shared logic upstream."),
    Info(
      crossDomainPrivateAccess, .policy,
      "Products with access 'domain' are read only from their domain, 'private' ones only by their team.",
      help: "Read a public product instead, or have the owner widen the access."),
    Info(
      piiPropagation, .policy,
      "Unmasked personal data only reaches products whose sensitivity is confidential or restricted.",
      help: "Mask the column, aggregate it, or raise the reading product's sensitivity."),
    Info(
      deprecatedInput, .policy,
      "No node reads a deprecated product; none reads one past its sunset date or retired.",
      help: "Move to the replacement the deprecated product names before its sunset date."),
    Info(
      slaFreshness, .policy,
      "No product promises fresher data than its inputs guarantee.",
      help: "Relax the product's freshness promise or tighten its inputs'."),
    Info(
      maxDepth, .policy,
      "No chain of products is longer than the configured limit.",
      help: "Read a product nearer the sources, or raise the limit."),
    Info(
      entityOverlap, .ownership,
      "One domain is the source of truth for each business entity.",
      help: "Keep one source of truth for the entity and have the others read it."),
    Info(
      entityOverlapInDomain, .ownership,
      "One product per domain is the source of truth for each business entity.",
      help: "Keep one product as the entity's source of truth within the domain."),
    Info(
      locationOverlap, .ownership,
      "Each physical table or topic is served by one product.",
      help: "Give each product its own location, or merge the products."),
    Info(
      teamSpansDomains, .ownership,
      "A team owns products in several domains.",
      help: "Nothing may be wrong; check that the team is meant to own all of them."),
    Info(
      ownerNotDomainTeam, .ownership,
      "A product is owned by a team other than its domain's.",
      help: "Nothing may be wrong; check that the ownership is intended."),
    Info(
      schemaOverlap, .ownership,
      "Products in different domains have heavily overlapping schemas (possible duplication).",
      help: "Check whether one product should read the other instead of copying it."),
    Info(
      unresolvedContract, .importer,
      "Every contract a data product's port names is among the inputs.",
      help: "Add the contract to the inputs, or fix its id."),
    Info(
      unresolvedSource, .importer,
      "Every source object a contract transforms is declared by a contract read.",
      help: "Add the contract that declares it; until then it is an external node."),
    Info(
      unresolvedDefinition, .importer,
      "Every $ref of a Data Contract Specification field names a definition of its contract.",
      help:
        "Fix the $ref or add the definition; an external $ref is not fetched: copy its definition into the contract."),
    Info(
      cyclicDefinition, .importer,
      "No Data Contract Specification definition contains itself through its fields' $refs.",
      help: "Break the cycle; the field that closes it is not read."),
    Info(
      runIdNotUUID, .importer,
      "Every OpenLineage run id is a UUID, as the spec requires.",
      help:
        "Emit a UUID per run (templated test fixtures often share one placeholder); until then the runs are matched within their file and job only."
    ),
    Info(
      danglingColumnLineage, .importer,
      "Column lineage names only columns the datasets' schemas declare.",
      help: "Emit the schema facet with the columns, or fix the column lineage facet."),
    Info(
      columnLineageDropped, .importer,
      "Column lineage survives the import.",
      help: "With jobs as nodes, columns derive across a job; import without jobs as nodes to keep it."),
    Info(
      sqlParse, .sql,
      "Every SQL statement parses in its dialect.",
      help: "Fix the statement, or choose the dialect it is written in."),
    Info(
      sqlDialect, .sql,
      "Every dbt adapter has a SQL dialect of its own.",
      help: "Nothing to fix: its SQL is read as generic SQL."),
    Info(
      sqlJinja, .sql,
      "A dbt model's Jinja is rendered before its SQL is read.",
      help: "Compile the project ('dbt compile') so the manifest holds compiled code."),
    Info(
      sqlColumnNotInCatalog, .sql,
      "Every column a model's SQL reads is in the catalog or the documentation of the node it reads.",
      help: "Regenerate catalog.json ('dbt docs generate'); a stage's METADATA$ pseudo-columns are never listed there."),
    Info(
      sqlUnsupported, .sql,
      "Every SQL construct is analysed.",
      help: "Nothing to fix: the part the message names adds no column lineage."),
    Info(
      sqlUnknownSchema, .sql,
      "The columns of every table a statement reads are known.",
      help: "Give a schema (catalog.json, or declared columns) for the tables named."),
    Info(
      sqlUnresolvedColumn, .sql,
      "Every column a statement names is found in its FROM clause.",
      help: "Fix the column or alias name."),
    Info(
      sqlAmbiguousColumn, .sql,
      "Every unqualified column a statement names belongs to one table.",
      help: "Qualify the column with its table or alias."),
    Info(
      productAdded, .change,
      "A product is added.",
      help: "Nothing breaks."),
    Info(
      productRemoved, .change,
      "A product is removed.",
      help: "Its readers break: move them to another product first."),
    Info(
      testRemoved, .change,
      "A check (a dbt data test or unit test) is removed.",
      help: "Nothing breaks: nothing reads a check."),
    Info(
      qualityAdded, .change,
      "A contract states a new data quality rule.",
      help: "Nothing breaks: the producer promises one more check."),
    Info(
      qualityRemoved, .change,
      "A data quality rule of a contract is removed or changed.",
      help: "Readers lose a check they may rely on: agree with them before removing it."),
    Info(
      testAdded, .change,
      "A check (a dbt data test or unit test) is added.",
      help: "Nothing breaks: a new check guards what is there."),
    Info(
      productRetired, .change,
      "A product is retired.",
      help: "Its readers break: move them to another product first."),
    Info(
      productDeprecated, .change,
      "A product is deprecated.",
      help: "Its readers should move before its sunset date."),
    Info(
      statusChanged, .change,
      "A product's lifecycle status changes.",
      help: "Check that readers expect the new status."),
    Info(
      columnAdded, .change,
      "A column is added.",
      help: "Nothing breaks."),
    Info(
      columnDropped, .change,
      "A column is dropped.",
      help: "Readers of the column break: deprecate it first, or list the change in lineage-ignore.yaml."),
    Info(
      columnRenamed, .change,
      "A column is renamed.",
      help: "Readers of the old name break: keep the old name a while, or list the change in lineage-ignore.yaml."),
    Info(
      columnRetyped, .change,
      "A column's type changes.",
      help: "Readers may break on the new type; check them."),
    Info(
      columnNullable, .change,
      "A column becomes nullable.",
      help: "Readers that assume a value may break; check them."),
    Info(
      columnNotNull, .change,
      "A column becomes not null.",
      help: "Nothing breaks for readers."),
    Info(
      constraintLoosened, .change,
      "A data contract's column promises less: a constraint is removed or relaxed.",
      help:
        "Readers may get values they were promised they would not (nulls aside): check them, or keep the constraint."),
    Info(
      constraintTightened, .change,
      "A data contract's column promises more: a constraint is added or tightened.",
      help: "Nothing breaks for readers; check that the data already written satisfies it."),
    Info(
      constraintChanged, .change,
      "A data contract's column changes a constraint in a way that cannot be ordered (a pattern, a format).",
      help: "Nothing is known to break; review whether readers accept the new values."),
    Info(
      accessNarrowed, .change,
      "A product's access is narrowed.",
      help: "Readers that lose access break."),
    Info(
      accessWidened, .change,
      "A product's access is widened.",
      help: "Nothing breaks."),
    Info(
      ownerChanged, .change,
      "A product's owner changes.",
      help: "Nothing breaks; tell the readers who to ask now."),
    Info(
      domainChanged, .change,
      "A product moves to another domain.",
      help: "Check domain-only access and policies."),
    Info(
      versionChanged, .change,
      "A product's version changes.",
      help: "Check that the change matches the version's bump (see semver)."),
    Info(
      columnExpressionChanged, .change,
      "A column's SQL expression changes, so its values change.",
      help: "Readers of the column may see other values: check them, or list the change in lineage-ignore.yaml."),
    Info(
      rowsChanged, .change,
      "A row-level clause of a model's SQL changes (WHERE, JOIN, GROUP BY, HAVING, QUALIFY, DISTINCT, LIMIT, UNION).",
      help: "Every reader downstream may see other rows: check them, or list the change in lineage-ignore.yaml."),
    Info(
      sqlNotCompared, .change,
      "A model's SQL changed but could not be parsed in some version, so its declared columns are compared instead.",
      help: "Fix the SQL (or run 'dbt compile') so that the change is compared by what the SQL computes."),
    Info(
      semver, .change,
      "A product's version bump matches its changes (semantic versioning).",
      help: "Bump the major version for a breaking change, the minor for an addition."),
    Info(
      ignoreExpired, .gate,
      "Every lineage-ignore.yaml entry is still in force.",
      help: "Remove the entry or move its expiry date."),
    Info(
      ignoreUnused, .gate,
      "Every lineage-ignore.yaml entry matches a change.",
      help: "Remove the entry."),
    Info(
      diffNotCompared, .gate,
      "Both versions of a diff can be read completely, so that they can be compared.",
      help: "Fix the load errors of the side that could not be read."),
    Info(
      undeclaredRead, .drift,
      "What a product's job was observed reading, the product declares as an input.",
      help: "Add the observed input to the product's inputs, or stop the job reading it."),
    Info(
      staleInput, .drift,
      "Every declared input was observed being read within the window.",
      help: "Remove the input if the product no longer reads it, or check why its job did not run."),
    Info(
      observedPrivateAccess, .drift,
      "No job was observed reading a private product for another team.",
      help: "Read a public product instead, or have the owning team widen the product's access."),
    Info(
      observedDomainOnlyAccess, .drift,
      "No job was observed reading a domain-only product for another domain.",
      help: "Read a public product instead, or have the owning domain widen the product's access."),
    Info(
      schemaDrift, .drift,
      "The observed columns and types of a dataset are the ones its product declares.",
      help: "Update the declared schema, or fix the job that writes the dataset."),
    Info(
      unknownProducer, .drift,
      "Every dataset a job was observed writing is a declared node.",
      help: "Declare the dataset (give its product a 'location'), or map it to its node in the map file."),
    Info(
      unmatchedDataset, .drift,
      "Every observed dataset matches a declared node.",
      help: "Nothing to fix if the dataset is outside the mesh; otherwise give its node a 'location' or map it."),
  ]

  /// `load-error`: Every input can be read.
  public static let loadError: Self = "load-error"
  /// `read-error`: Every file of the mesh can be read.
  public static let readError: Self = "read-error"
  /// `yaml-syntax`: Every YAML file parses.
  public static let yamlSyntax: Self = "yaml-syntax"
  /// `duplicate-key`: No YAML or JSON mapping repeats a key.
  public static let duplicateKey: Self = "duplicate-key"
  /// `invalid-utf8`: Every input file is valid UTF-8 without NUL bytes.
  public static let invalidUtf8: Self = "invalid-utf8"
  /// `invalid-json`: Every JSON input parses.
  public static let invalidJson: Self = "invalid-json"
  /// `invalid-document`: Every document has the shape its format defines.
  public static let invalidDocument: Self = "invalid-document"
  /// `invalid-type`: Every field the loader reads has the type its format defines.
  public static let invalidType: Self = "invalid-type"
  /// `invalid-event`: Every OpenLineage value is a run, dataset or job event.
  public static let invalidEvent: Self = "invalid-event"
  /// `invalid-catalog`: A dbt catalog.json beside the manifest has the shape dbt writes.
  public static let invalidCatalog: Self = "invalid-catalog"
  /// `unknown-kind`: Every mesh spec document has a known kind.
  public static let unknownKind: Self = "unknown-kind"
  /// `unknown-api-version`: Every mesh spec document names the apiVersion this version of lineage reads.
  public static let unknownApiVersion: Self = "unknown-api-version"
  /// `unsupported-version`: Every data contract or product has a version lineage reads.
  public static let unsupportedVersion: Self = "unsupported-version"
  /// `unsupported-format`: Every input has a format lineage reads.
  public static let unsupportedFormat: Self = "unsupported-format"
  /// `missing-mesh`: A mesh directory's mesh.yaml holds a document of kind Mesh.
  public static let missingMesh: Self = "missing-mesh"
  /// `misplaced-mesh`: Only the root mesh.yaml holds a document of kind Mesh, and only one.
  public static let misplacedMesh: Self = "misplaced-mesh"
  /// `newer-schema`: The dbt manifest's schema version is one lineage knows.
  public static let newerSchema: Self = "newer-schema"
  /// `empty-input`: Every input holds something lineage can read.
  public static let emptyInput: Self = "empty-input"
  /// `missing-field`: Required fields are present.
  public static let missingField: Self = "missing-field"
  /// `unknown-field`: Fields are among those the spec defines.
  public static let unknownField: Self = "unknown-field"
  /// `invalid-value`: Field values have the expected type and form.
  public static let invalidValue: Self = "invalid-value"
  /// `invalid-field`: Fields are used where the spec allows them.
  public static let invalidField: Self = "invalid-field"
  /// `unknown-status`: Every status is one lineage knows.
  public static let unknownStatus: Self = "unknown-status"
  /// `unknown-policy`: Every policy under 'policies:' is one lineage knows.
  public static let unknownPolicy: Self = "unknown-policy"
  /// `skipped-document`: Every YAML document in the mesh directory is a lineage document.
  public static let skippedDocument: Self = "skipped-document"
  /// `duplicate-id`: Each id is declared once in the mesh.
  public static let duplicateId: Self = "duplicate-id"
  /// `duplicate-input`: A node lists each input once.
  public static let duplicateInput: Self = "duplicate-input"
  /// `duplicate-column`: A node declares each column once.
  public static let duplicateColumn: Self = "duplicate-column"
  /// `unresolved-reference`: Every reference names a declared domain, team, product or column.
  public static let unresolvedReference: Self = "unresolved-reference"
  /// `invalid-reference`: Nothing reads a consumer: consumers are the end of lineage.
  public static let invalidReference: Self = "invalid-reference"
  /// `lineage-not-an-input`: A column derives only from products among its node's inputs.
  public static let lineageNotAnInput: Self = "lineage-not-an-input"
  /// `lineage-column-not-read`: A column derives only from columns its node reads from that input.
  public static let lineageColumnNotRead: Self = "lineage-column-not-read"
  /// `cycle`: Products do not depend on themselves through their inputs.
  public static let cycle: Self = "cycle"
  /// `self-loop`: A dataset does not read itself.
  public static let selfLoop: Self = "self-loop"
  /// `undeclared-node`: Every node id an edge names is declared among the nodes.
  public static let undeclaredNode: Self = "undeclared-node"
  /// `merge-conflict`: Inputs that declare the same node agree on it.
  public static let mergeConflict: Self = "merge-conflict"
  /// `require-owner`: Every node has an owning team, its own or its domain's.
  public static let requireOwner: Self = "require-owner"
  /// `imported-undeclared`: Imported nodes declare what the default policies look for (owners, descriptions).
  public static let importedUndeclared: Self = "imported-undeclared"
  /// `require-description`: Every node has a description.
  public static let requireDescription: Self = "require-description"
  /// `require-sla`: Every data product promises a service level (freshness or availability).
  public static let requireSla: Self = "require-sla"
  /// `require-schema`: Every data product and source declares its schema.
  public static let requireSchema: Self = "require-schema"
  /// `no-cycles`: Products do not depend on themselves through their inputs.
  public static let noCycles: Self = "no-cycles"
  /// `cross-domain-private-access`: Products with access 'domain' are read only from their domain, 'private' ones only by their team.
  public static let crossDomainPrivateAccess: Self = "cross-domain-private-access"
  /// `pii-propagation`: Unmasked personal data only reaches products whose sensitivity is confidential or restricted.
  public static let piiPropagation: Self = "pii-propagation"
  /// `deprecated-input`: No node reads a deprecated product; none reads one past its sunset date or retired.
  public static let deprecatedInput: Self = "deprecated-input"
  /// `sla-freshness`: No product promises fresher data than its inputs guarantee.
  public static let slaFreshness: Self = "sla-freshness"
  /// `max-depth`: No chain of products is longer than the configured limit.
  public static let maxDepth: Self = "max-depth"
  /// `entity-overlap`: One domain is the source of truth for each business entity.
  public static let entityOverlap: Self = "entity-overlap"
  /// `entity-overlap-in-domain`: One product per domain is the source of truth for each business entity.
  public static let entityOverlapInDomain: Self = "entity-overlap-in-domain"
  /// `location-overlap`: Each physical table or topic is served by one product.
  public static let locationOverlap: Self = "location-overlap"
  /// `team-spans-domains`: A team owns products in several domains.
  public static let teamSpansDomains: Self = "team-spans-domains"
  /// `owner-not-domain-team`: A product is owned by a team other than its domain's.
  public static let ownerNotDomainTeam: Self = "owner-not-domain-team"
  /// `schema-overlap`: Products in different domains have heavily overlapping schemas (possible duplication).
  public static let schemaOverlap: Self = "schema-overlap"
  /// `unresolved-contract`: Every contract a data product's port names is among the inputs.
  public static let unresolvedContract: Self = "unresolved-contract"
  /// `unresolved-source`: Every source object a contract transforms is declared by a contract read.
  public static let unresolvedSource: Self = "unresolved-source"
  /// `unresolved-definition`: Every $ref of a Data Contract Specification field names a
  /// definition of its contract.
  public static let unresolvedDefinition: Self = "unresolved-definition"
  /// `cyclic-definition`: No Data Contract Specification definition contains itself.
  public static let cyclicDefinition: Self = "cyclic-definition"
  /// `dangling-column-lineage`: Column lineage names only columns the datasets' schemas declare.
  public static let danglingColumnLineage: Self = "dangling-column-lineage"
  /// `run-id-not-uuid`: Every OpenLineage run id is a UUID, as the spec requires.
  public static let runIdNotUUID: Self = "run-id-not-uuid"
  /// `column-lineage-dropped`: Column lineage survives the import.
  public static let columnLineageDropped: Self = "column-lineage-dropped"
  /// `sql-parse`: Every SQL statement parses in its dialect.
  public static let sqlParse: Self = "sql-parse"
  /// `sql-dialect`: Every dbt adapter has a SQL dialect of its own.
  public static let sqlDialect: Self = "sql-dialect"
  /// `sql-jinja`: A dbt model's Jinja is rendered before its SQL is read.
  public static let sqlJinja: Self = "sql-jinja"
  /// `sql-column-not-in-catalog`: Every column a model's SQL reads is in the catalog or
  /// the documentation of the node it reads.
  public static let sqlColumnNotInCatalog: Self = "sql-column-not-in-catalog"
  /// `sql-unsupported`: Every SQL construct is analysed.
  public static let sqlUnsupported: Self = "sql-unsupported"
  /// `sql-unknown-schema`: The columns of every table a statement reads are known.
  public static let sqlUnknownSchema: Self = "sql-unknown-schema"
  /// `sql-unresolved-column`: Every column a statement names is found in its FROM clause.
  public static let sqlUnresolvedColumn: Self = "sql-unresolved-column"
  /// `sql-ambiguous-column`: Every unqualified column a statement names belongs to one table.
  public static let sqlAmbiguousColumn: Self = "sql-ambiguous-column"
  /// `product-added`: A product is added.
  public static let productAdded: Self = "product-added"
  /// `product-removed`: A product is removed.
  public static let productRemoved: Self = "product-removed"
  /// `test-removed`: A check (a dbt data test or unit test) is removed.
  public static let testRemoved: Self = "test-removed"
  /// `quality-added`: A contract states a new data quality rule.
  public static let qualityAdded: Self = "quality-added"
  /// `quality-removed`: A data quality rule of a contract is removed or changed.
  public static let qualityRemoved: Self = "quality-removed"
  /// `test-added`: A check (a dbt data test or unit test) is added.
  public static let testAdded: Self = "test-added"
  /// `product-retired`: A product is retired.
  public static let productRetired: Self = "product-retired"
  /// `product-deprecated`: A product is deprecated.
  public static let productDeprecated: Self = "product-deprecated"
  /// `status-changed`: A product's lifecycle status changes.
  public static let statusChanged: Self = "status-changed"
  /// `column-added`: A column is added.
  public static let columnAdded: Self = "column-added"
  /// `column-dropped`: A column is dropped.
  public static let columnDropped: Self = "column-dropped"
  /// `column-renamed`: A column is renamed.
  public static let columnRenamed: Self = "column-renamed"
  /// `column-retyped`: A column's type changes.
  public static let columnRetyped: Self = "column-retyped"
  /// `column-nullable`: A column becomes nullable.
  public static let columnNullable: Self = "column-nullable"
  /// `column-not-null`: A column becomes not null.
  public static let columnNotNull: Self = "column-not-null"
  /// `constraint-loosened`: A data contract's column promises less.
  public static let constraintLoosened: Self = "constraint-loosened"
  /// `constraint-tightened`: A data contract's column promises more.
  public static let constraintTightened: Self = "constraint-tightened"
  /// `constraint-changed`: A data contract's column changes a constraint that cannot be ordered.
  public static let constraintChanged: Self = "constraint-changed"
  /// `access-narrowed`: A product's access is narrowed.
  public static let accessNarrowed: Self = "access-narrowed"
  /// `access-widened`: A product's access is widened.
  public static let accessWidened: Self = "access-widened"
  /// `owner-changed`: A product's owner changes.
  public static let ownerChanged: Self = "owner-changed"
  /// `domain-changed`: A product moves to another domain.
  public static let domainChanged: Self = "domain-changed"
  /// `version-changed`: A product's version changes.
  public static let versionChanged: Self = "version-changed"
  /// `column-expression-changed`: A column's SQL expression changes, so its values change.
  public static let columnExpressionChanged: Self = "column-expression-changed"
  /// `rows-changed`: A row-level clause of a model's SQL changes.
  public static let rowsChanged: Self = "rows-changed"
  /// `sql-not-compared`: A model's SQL changed but could not be parsed in some version.
  public static let sqlNotCompared: Self = "sql-not-compared"
  /// `semver`: A product's version bump matches its changes (semantic versioning).
  public static let semver: Self = "semver"
  /// `ignore-expired`: Every lineage-ignore.yaml entry is still in force.
  public static let ignoreExpired: Self = "ignore-expired"
  /// `ignore-unused`: Every lineage-ignore.yaml entry matches a change.
  public static let ignoreUnused: Self = "ignore-unused"
  /// `diff-not-compared`: Both versions of a diff can be read completely, so that they can be compared.
  public static let diffNotCompared: Self = "diff-not-compared"
  /// `undeclared-read`: What a product's job was observed reading, the product declares as an input.
  public static let undeclaredRead: Self = "undeclared-read"
  /// `stale-input`: Every declared input was observed being read within the window.
  public static let staleInput: Self = "stale-input"
  /// `observed-private-access`: No job was observed reading a private product for another team.
  public static let observedPrivateAccess: Self = "observed-private-access"
  /// `observed-domain-only-access`: No job was observed reading a domain-only product for another domain.
  public static let observedDomainOnlyAccess: Self = "observed-domain-only-access"
  /// `schema-drift`: The observed columns and types of a dataset are the ones its product declares.
  public static let schemaDrift: Self = "schema-drift"
  /// `unknown-producer`: Every dataset a job was observed writing is a declared node.
  public static let unknownProducer: Self = "unknown-producer"
  /// `unmatched-dataset`: Every observed dataset matches a declared node.
  public static let unmatchedDataset: Self = "unmatched-dataset"
}
