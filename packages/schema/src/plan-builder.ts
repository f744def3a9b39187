// Collects a plan's statements by phase (drops before creates, tables before the constraints on them...)
// and keeps insertion order inside a phase, so that each differ writes its objects in the order it
// walks them and the phases make the plan dependency-correct.

import { SchemaError } from './errors.js';
import type { SchemaDialect } from './schema-model.js';
import type {
  DiffOptions,
  Hazard,
  HazardCode,
  PlanStatement,
  SchemaPlan,
  UnsupportedDifference,
} from './schema-plan.js';
import { DIFF_DEFAULTS } from './schema-plan.js';

/** `DiffOptions` with every default filled in. */
export type ResolvedDiffOptions = Required<DiffOptions>;

/** Validates `options` and fills in the defaults. */
export function resolveDiffOptions(options: DiffOptions = {}): ResolvedDiffOptions {
  const resolved = { ...DIFF_DEFAULTS, ...stripUndefined(options) };
  for (const key of ['lockTimeoutMillis', 'statementTimeoutMillis', 'longStatementTimeoutMillis'] as const) {
    const v = resolved[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      throw new SchemaError(
        'SCHEMA_BAD_OPTION',
        `${key} must be a positive integer of milliseconds, not ${String(v)}`,
      );
  }
  if (typeof resolved.online !== 'boolean')
    throw new SchemaError('SCHEMA_BAD_OPTION', `online must be a boolean, not ${String(resolved.online)}`);
  const renames = resolved.renames;
  if (typeof renames !== 'object' || renames === null || Array.isArray(renames))
    throw new SchemaError('SCHEMA_BAD_OPTION', 'renames must be an object of old name -> new name');
  for (const [from, to] of Object.entries(renames))
    if (typeof to !== 'string' || to === '' || from === '')
      throw new SchemaError(
        'SCHEMA_BAD_OPTION',
        `rename ${JSON.stringify(from)} -> ${JSON.stringify(to)} is not two names`,
      );
  return resolved;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function hazard(code: HazardCode, message: string): Hazard {
  return { code, message };
}

/** How a statement is written into the plan. */
export interface StatementSpec {
  readonly hazards?: readonly Hazard[];
  /** @default true */
  readonly online?: boolean;
  /** @default true */
  readonly transactional?: boolean;
  /** Works through the table (index build, validation, rewrite): the long statement timeout. */
  readonly long?: boolean;
}

export class PlanBuilder {
  readonly #dialect: SchemaDialect;
  readonly #options: ResolvedDiffOptions;
  readonly #statements: { phase: number; seq: number; statement: PlanStatement }[] = [];
  readonly #unsupported: UnsupportedDifference[] = [];

  constructor(dialect: SchemaDialect, options: ResolvedDiffOptions) {
    this.#dialect = dialect;
    this.#options = options;
  }

  get options(): ResolvedDiffOptions {
    return this.#options;
  }

  add(phase: number, sql: string, spec: StatementSpec = {}): void {
    const statementTimeoutMillis =
      this.#dialect === 'postgres'
        ? spec.long
          ? this.#options.longStatementTimeoutMillis
          : this.#options.statementTimeoutMillis
        : null;
    this.#statements.push({
      phase,
      seq: this.#statements.length,
      statement: {
        sql,
        hazards: dedupe(spec.hazards ?? []),
        online: spec.online ?? true,
        transactional: spec.transactional ?? true,
        lockTimeoutMillis: this.#options.lockTimeoutMillis,
        statementTimeoutMillis,
      },
    });
  }

  unsupported(kind: string, name: string, message: string): void {
    if (!this.#unsupported.some((u) => u.kind === kind && u.name === name && u.message === message))
      this.#unsupported.push({ kind, name, message });
  }

  build(): SchemaPlan {
    const statements = [...this.#statements]
      .sort((a, b) => a.phase - b.phase || a.seq - b.seq)
      .map((s) => s.statement);
    return { dialect: this.#dialect, statements, unsupported: [...this.#unsupported] };
  }
}

function dedupe(hazards: readonly Hazard[]): Hazard[] {
  const seen = new Set<HazardCode>();
  return hazards.filter((h) => {
    if (seen.has(h.code)) return false;
    seen.add(h.code);
    return true;
  });
}
