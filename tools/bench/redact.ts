// pnpm bench redact [--json] [--runs 7]: the CLI's secret masking (apps/cli/src/redact.ts) on 1 MB inputs
// that made the regular expression it replaced quadratic (74 s on 100,000 letters). Issue 9 asks for 1 MB
// in under 100 ms; the test suite only checks the shape (a bound far from both linear and quadratic), the
// figure is measured here. Baseline in the same run: one String.prototype.indexOf scan of the same input
// (a lower bound for any pass over it). Last line: one JSON object.
import { performance } from 'node:perf_hooks';
import { redact, registerArgvSecrets } from '../../apps/cli/src/redact.js';

const args = process.argv.slice(2);
const i = args.indexOf('--runs');
const RUNS = i === -1 ? 7 : Math.max(1, Number(args[i + 1]) || 7);

const INPUTS: Record<string, string> = {
  lettersAfterUrl: `postgres://postgres@127.0.0.1:1/${'a'.repeat(1_000_000)}`,
  colons: `x://${':'.repeat(1_000_000)}`,
  schemes: 'ab://'.repeat(200_000),
  longUser: `postgres://${'u'.repeat(1_000_000)}@h`,
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const round2 = (x: number) => Math.round(x * 100) / 100;

const figures: Record<string, { redactMs: number; indexOfMs: number; ratio: number }> = {};
for (const [name, input] of Object.entries(INPUTS)) {
  const masked: number[] = [];
  const scanned: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    redact(input);
    registerArgvSecrets([input]);
    masked.push(performance.now() - t);
    t = performance.now();
    input.indexOf('\u0000');
    scanned.push(performance.now() - t);
  }
  const redactMs = median(masked);
  const indexOfMs = median(scanned);
  figures[name] = {
    redactMs: round2(redactMs),
    indexOfMs: round2(indexOfMs),
    ratio: round2(redactMs / indexOfMs),
  };
}
const worstMs = Math.max(...Object.values(figures).map((f) => f.redactMs));
if (!args.includes('--json'))
  for (const [name, f] of Object.entries(figures))
    console.log(`${name}: ${f.redactMs} ms (indexOf scan ${f.indexOfMs} ms, ${f.ratio}x)`);
console.log(
  JSON.stringify({
    bytes: 1_000_000,
    runs: RUNS,
    worstMs: round2(worstMs),
    under100ms: worstMs < 100,
    ...figures,
  }),
);
