#!/usr/bin/env node
// aishell's entry point. With no arguments, or only the shell's flags, it opens the interactive shell, as psql does.
import v8 from 'node:v8';

// A command runs for a moment: compile WebAssembly (the PostgreSQL parser, PGlite) with the baseline
// compiler only. Optimising it in the background costs about a second of CPU at every start and
// starves the very database connection the command is waiting for (see docs/benchmarks.md).
v8.setFlagsFromString('--liftoff-only');

// dist/aishell.js is the whole CLI with oclif in one module (scripts/bundle.mjs says why).
const { execute } = await import('../dist/aishell.js');
const argv = process.argv.slice(2);
// `aishell -c prod` (or `--connection=...`, `--read-only`) opens the shell on that connection, as
// `psql -d` and `pgcli` do: flags first and no command name mean the shell.
const SHELL_FLAG = /^(-c|--connection|--read-only)(=|$)|^-c./;
const shell = argv.length === 0 || SHELL_FLAG.test(argv[0]);
await execute({ args: shell ? ['shell', ...argv] : argv, dir: import.meta.url });
