/**
 * A reader of a tool's verbose stderr that says when a table's data is done:
 * pg_dump `dumping contents of table "public.orders"`, pg_restore `processing data for table "public.orders"`,
 * mariadb-dump/mysqldump `-- Retrieving rows...` after `-- Retrieving table structure for table orders...`.
 * @returns a function of one line, true when that line finished a table
 */
export function tableDoneReader(tool: string): (line: string) => boolean {
  if (tool === 'pg_dump') return (line) => /^pg_dump: dumping contents of table /.test(line);
  if (tool === 'pg_restore') return (line) => /^pg_restore: processing data for table /.test(line);
  return (line) => line.startsWith('-- Retrieving rows...');
}
