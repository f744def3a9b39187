DROP INDEX notes_body;
