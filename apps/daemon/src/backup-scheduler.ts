// aishelld's backup jobs: the `backups.jobs` section of config.json, each a cron expression (croner:
// 5 fields, or 6 with seconds first, and @daily and the like), run through engine's backupCreate and,
// with `keep`, backupPrune of the job's own database. /metrics tells Prometheus when each job last
// succeeded and how long it took, so that an alert can fire when a backup is too old.
import {
  type AishellPaths,
  type BackupEntry,
  type BackupJobConfig,
  backupCreate,
  backupList,
  backupPrune,
  type Session,
} from '@aishell/engine';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { DaemonConfigError } from './errors.js';

export interface BackupSchedulerOptions {
  readonly jobs: readonly BackupJobConfig[];
  /** The daemon's registry: the job metrics appear in its /metrics. */
  readonly registry: Registry;
  /** Opens a session on a job's connection (the daemon's config and vault). */
  readonly openSession: (connection: string | undefined) => Promise<Session>;
  readonly paths: AishellPaths;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

/** The outcome of one run of a job. */
export type BackupJobOutcome =
  | { readonly ok: true; readonly entry: BackupEntry; readonly pruned: number }
  | { readonly ok: false; readonly code: string; readonly message: string };

interface JobMetrics {
  readonly lastSuccess: Gauge<'job'>;
  readonly lastDuration: Gauge<'job'>;
  readonly lastSize: Gauge<'job'>;
  readonly lastFailure: Gauge<'job'>;
  readonly runs: Counter<'job' | 'outcome'>;
}

function jobMetrics(registry: Registry): JobMetrics {
  const registers = [registry];
  return {
    lastSuccess: new Gauge({
      name: 'aishell_backup_last_success_timestamp_seconds',
      help: 'When the job last finished a backup (Unix seconds; from the catalog at start, 0 if it never has)',
      labelNames: ['job'],
      registers,
    }),
    lastDuration: new Gauge({
      name: 'aishell_backup_last_duration_seconds',
      help: 'How long the last successful backup of the job took',
      labelNames: ['job'],
      registers,
    }),
    lastSize: new Gauge({
      name: 'aishell_backup_last_size_bytes',
      help: 'Size of the archive of the last successful backup of the job',
      labelNames: ['job'],
      registers,
    }),
    lastFailure: new Gauge({
      name: 'aishell_backup_last_failure_timestamp_seconds',
      help: 'When a run of the job last failed (Unix seconds; 0 if none has since the daemon started)',
      labelNames: ['job'],
      registers,
    }),
    runs: new Counter({
      name: 'aishell_backup_runs_total',
      help: 'Runs of the job since the daemon started, by outcome (success, failure)',
      labelNames: ['job', 'outcome'],
      registers,
    }),
  };
}

/** Runs the configured backup jobs on their schedules until `stop()`. */
export class BackupScheduler {
  readonly #options: BackupSchedulerOptions;
  readonly #metrics: JobMetrics;
  readonly #crons: Cron[] = [];
  readonly #running = new Map<string, Promise<BackupJobOutcome>>();
  readonly #aborter = new AbortController();
  #stopped = false;

  /**
   * Checks every job (unique names, valid cron expressions) without starting any.
   * @throws DaemonConfigError naming the job
   */
  constructor(options: BackupSchedulerOptions) {
    this.#options = options;
    const names = new Set<string>();
    for (const job of options.jobs) {
      if (names.has(job.name)) throw new DaemonConfigError(`backups.jobs: two jobs are named "${job.name}"`);
      names.add(job.name);
      try {
        new Cron(job.schedule, { paused: true }).stop();
      } catch (cause) {
        throw new DaemonConfigError(
          `backups.jobs "${job.name}": schedule "${job.schedule}" is not a cron expression: ${(cause as Error).message}`,
          { cause },
        );
      }
    }
    this.#metrics = jobMetrics(options.registry);
  }

  /** Reads each job's last success from the catalog (so a restart does not reset it), then schedules them. */
  async start(): Promise<void> {
    for (const job of this.#options.jobs) {
      const labels = { job: job.name };
      this.#metrics.lastFailure.set(labels, 0);
      this.#metrics.runs.inc({ ...labels, outcome: 'success' }, 0);
      this.#metrics.runs.inc({ ...labels, outcome: 'failure' }, 0);
      const last = await backupList(this.#place(job))
        .then((entries) => entries.filter((e) => e.job === job.name).at(-1))
        .catch(() => undefined);
      this.#metrics.lastSuccess.set(labels, last ? finishedAt(last) : 0);
      if (last) {
        this.#metrics.lastDuration.set(labels, last.durationMs / 1000);
        this.#metrics.lastSize.set(labels, last.sizeBytes);
      }
      if (this.#stopped) return;
      // protect: a run still going when the next is due makes that one skip (no two dumps of one job at once).
      const cron = new Cron(job.schedule, { name: job.name, protect: true }, () => {
        void this.run(job.name);
      });
      this.#crons.push(cron);
      this.#options.logger.info(
        { job: job.name, schedule: job.schedule, next: cron.nextRun()?.toISOString() },
        'backup job scheduled',
      );
    }
  }

  /** Runs a job now (as its schedule does), unless it is already running; resolves with its outcome. */
  run(name: string): Promise<BackupJobOutcome> {
    const running = this.#running.get(name);
    if (running) return running;
    const job = this.#options.jobs.find((j) => j.name === name);
    if (!job)
      return Promise.resolve({ ok: false, code: 'DAEMON_NO_SUCH_JOB', message: `no backup job ${name}` });
    const run = this.#run(job).finally(() => this.#running.delete(name));
    this.#running.set(name, run);
    return run;
  }

  async #run(job: BackupJobConfig): Promise<BackupJobOutcome> {
    const { logger } = this.#options;
    const labels = { job: job.name };
    const started = performance.now();
    logger.info({ job: job.name }, 'backup job started');
    try {
      const entry = await backupCreate({
        ...this.#place(job),
        connection: job.connection,
        openSession: this.#options.openSession,
        job: job.name,
        signal: this.#aborter.signal,
      });
      // This process saw it finish: the clock now, never the catalog's createdAt + durationMs, which
      // are taken at other moments and can add up to a time a millisecond ahead.
      this.#metrics.lastSuccess.set(labels, Date.now() / 1000);
      this.#metrics.lastDuration.set(labels, (performance.now() - started) / 1000);
      this.#metrics.lastSize.set(labels, entry.sizeBytes);
      this.#metrics.runs.inc({ ...labels, outcome: 'success' });
      let pruned = 0;
      if (job.keep !== undefined) {
        const result = await backupPrune({
          ...this.#place(job),
          keep: job.keep,
          ...(job.keepDays !== undefined ? { keepDays: job.keepDays } : {}),
          filter: (e) => e.job === job.name,
        });
        pruned = result.removed.length;
      }
      logger.info(
        { job: job.name, id: entry.id, sizeBytes: entry.sizeBytes, durationMs: entry.durationMs, pruned },
        'backup job finished',
      );
      return { ok: true, entry, pruned };
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      const code = typeof e.code === 'string' ? e.code : 'ERROR';
      const message = String(e.message ?? error);
      this.#metrics.lastFailure.set(labels, Date.now() / 1000);
      this.#metrics.runs.inc({ ...labels, outcome: 'failure' });
      logger.error({ job: job.name, code, err: { message } }, 'backup job failed');
      return { ok: false, code, message };
    }
  }

  #place(job: BackupJobConfig): { dir?: string; paths: AishellPaths; env: NodeJS.ProcessEnv } {
    return { ...(job.dir ? { dir: job.dir } : {}), paths: this.#options.paths, env: this.#options.env };
  }

  /** Stops the schedules and the runs in progress (their tools are stopped, their partial archives removed). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const cron of this.#crons) cron.stop();
    this.#aborter.abort(new Error('aishelld is shutting down'));
    await Promise.all([...this.#running.values()]);
  }
}

/** When a backup finished, in Unix seconds. */
function finishedAt(entry: BackupEntry): number {
  return (Date.parse(entry.createdAt) + entry.durationMs) / 1000;
}
