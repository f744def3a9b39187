import type { ExpandedMode } from '../output/render-result.js';

/** `\pset format`: psql's names (aligned is the table). */
export const PSET_FORMATS = ['aligned', 'csv', 'json', 'markdown'] as const;
export type PsetFormat = (typeof PSET_FORMATS)[number];

/** What `\x`, `\timing`, `\pset` and `\set` change, and what results look like because of them. */
export interface ShellSettings {
  /** `\x`. @default 'off' */
  expanded: ExpandedMode;
  /** `\timing`. @default on at a terminal, off for piped input */
  timing: boolean;
  /** `\pset format`. @default 'aligned' */
  format: PsetFormat;
  /** `\pset null`: how NULL is shown in aligned output (dimmed when colour is on). @default 'NULL' */
  nullDisplay: string;
  /** `\pset pager`: long or wide results through $PAGER at a terminal. @default true */
  pager: boolean;
  /** `\set color`: highlighting and dimmed NULLs; off with NO_COLOR or off a terminal. */
  color: boolean;
  /** `\set name value`: variables, interpolated as `:name`, `:'name'` (a literal), `:"name"` (a name). */
  readonly variables: Map<string, string>;
}

export function defaultSettings(interactive: boolean, env: NodeJS.ProcessEnv = process.env): ShellSettings {
  return {
    expanded: 'off',
    timing: interactive,
    format: 'aligned',
    nullDisplay: 'NULL',
    pager: true,
    color: interactive && !env.NO_COLOR,
    variables: new Map(),
  };
}

/** `on`/`off` (and psql's true/false, 1/0, yes/no); undefined for anything else. */
export function parseSwitch(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  return undefined;
}
