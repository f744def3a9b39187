/** A progress line on a terminal while the demo database is created on first use. */
export function demoProgress(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let announced = false;
  return (done, total) => {
    if (!announced) {
      process.stderr.write('Creating the demo database (first run only)...\n');
      announced = true;
    }
    process.stderr.write(`\r  ${Math.round((done / Math.max(total, 1)) * 100)}%`);
    if (done >= total) process.stderr.write('\n');
  };
}
