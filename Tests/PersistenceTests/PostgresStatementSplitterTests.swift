import Testing

@testable import Persistence

@Suite("Splitting migration files into PostgreSQL statements")
struct PostgresStatementSplitterTests {
    @Test("semicolons end statements only outside strings, identifiers, comments and dollar-quoted bodies")
    func quoting() {
        let sql = """
            -- a comment; not a statement
            CREATE TABLE "odd;name" (note text DEFAULT 'it''s; fine');
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'no; way';
            END;
            $$;
            CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'a;b' $body$;
            SELECT E'back\\'slash;', $1;
            ;
            """
        let statements = PostgresStatementSplitter.statements(in: sql)
        #expect(statements.count == 4)
        #expect(statements[0] == "CREATE TABLE \"odd;name\" (note text DEFAULT 'it''s; fine')")
        #expect(statements[1].hasPrefix("CREATE FUNCTION f()") && statements[1].hasSuffix("END;\n$$"))
        #expect(statements[2] == "CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'a;b' $body$")
        #expect(statements[3] == "SELECT E'back\\'slash;', $1")
    }

    @Test("a file of comments only, or empty, has no statements; a last statement needs no semicolon")
    func edges() {
        #expect(PostgresStatementSplitter.statements(in: "").isEmpty)
        #expect(PostgresStatementSplitter.statements(in: "-- nothing\n/* at all */\n").isEmpty)
        #expect(PostgresStatementSplitter.statements(in: "SELECT 1;\nSELECT 2") == ["SELECT 1", "SELECT 2"])
    }

    @Test("every statement of the real migrations is found")
    func realMigrations() throws {
        let migrations = try Migrations(directory: PostgresTestServer.migrationsDirectory)
        let counts = migrations.files.map { PostgresStatementSplitter.statements(in: $0.sql).count }
        #expect(counts.allSatisfy { $0 > 0 })
        let initial = try #require(migrations.files.first)
        #expect(PostgresStatementSplitter.statements(in: initial.sql).contains { $0.hasPrefix("CREATE FUNCTION document_totals_follow()") })
    }
}
