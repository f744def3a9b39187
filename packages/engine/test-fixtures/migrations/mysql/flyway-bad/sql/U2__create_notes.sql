DROP INDEX notes_body ON notes;
