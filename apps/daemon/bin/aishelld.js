#!/usr/bin/env node
// aishelld: the aishell daemon in the foreground (`aishell daemon start` runs it in the background).
import { runDaemon } from '../dist/run-daemon.js';

process.exit(await runDaemon(process.argv.slice(2)));
