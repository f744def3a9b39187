/**
 * The daemon's live figures (per-fingerprint sliding windows, the N+1 detector) come from
 * @aishell/metrics through import(), as every heavy part does: re-exported as values from this package's
 * index, they pulled the whole of @aishell/metrics (prom-client, hdr-histogram-js) into the CLI's start-up
 * bundle (apps/cli/test/bundle.test.ts).
 */
export async function loadLiveMetrics() {
  const { FingerprintWindows, NPlusOneDetector } = await import('@aishell/metrics');
  return { FingerprintWindows, NPlusOneDetector };
}

/** What {@link loadLiveMetrics} gives. */
export type LiveMetrics = Awaited<ReturnType<typeof loadLiveMetrics>>;
