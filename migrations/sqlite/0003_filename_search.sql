-- 0003_filename_search: a trigram index over documents.search_name, so that `list?q=` finds a rare term by
-- looking it up instead of walking every entry of the key index (about 25 ms per request at 100,000 documents).
--
-- An FTS5 table with external content (it stores only the index; the text stays in `documents`), keyed by
-- the documents' rowid and kept in step by the triggers below inside every write. The trigram tokenizer
-- indexes every 3-character window, so a phrase query for a term of 3 or more characters finds exactly
-- the rows whose search_name contains it; `case_sensitive 1` because search_name and the term are both
-- lowercased in Swift already (DocumentRecord.searchName(for:)). Shorter terms keep using LIKE (Swift decides).
-- - important: the index refers to documents by rowid. Should a VACUUM ever renumber rowids (SQLite allows it
--   for tables without an INTEGER PRIMARY KEY), rebuild it with
--   INSERT INTO documents_search (documents_search) VALUES ('rebuild');
-- Listing still checks `search_name LIKE` on every row it returns, so a stale index can hide rows, never
-- show a wrong one.

CREATE VIRTUAL TABLE documents_search USING fts5(
    search_name,
    content = 'documents',
    content_rowid = 'rowid',
    tokenize = 'trigram case_sensitive 1'
);

-- Index the documents that exist already.
INSERT INTO documents_search (documents_search) VALUES ('rebuild');

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO documents_search (rowid, search_name) VALUES (NEW.rowid, NEW.search_name);
END;

CREATE TRIGGER documents_search_delete AFTER DELETE ON documents
BEGIN
    INSERT INTO documents_search (documents_search, rowid, search_name) VALUES ('delete', OLD.rowid, OLD.search_name);
END;

CREATE TRIGGER documents_search_update AFTER UPDATE OF search_name ON documents
BEGIN
    INSERT INTO documents_search (documents_search, rowid, search_name) VALUES ('delete', OLD.rowid, OLD.search_name);
    INSERT INTO documents_search (rowid, search_name) VALUES (NEW.rowid, NEW.search_name);
END;
