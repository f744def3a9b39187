#!/usr/bin/env node
// aishell's entry point. With no arguments it opens the interactive shell, as psql does.
import { execute } from '@oclif/core';

const argv = process.argv.slice(2);
await execute({ args: argv.length === 0 ? ['shell'] : argv, dir: import.meta.url });
