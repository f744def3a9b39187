import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

// The input of every command that takes SQL without a connection (`sql analyze`, `sql format`).

export const sqlArg = Args.string({
  ignoreStdin: true,
  description: 'SQL text (one statement or a script); - reads stdin',
  required: false,
});

export const dialectFlag = Flags.string({
  char: 'd',
  description: 'SQL dialect',
  options: ['postgres', 'mysql', 'sqlite'],
  default: 'postgres',
});

export const sqlFileFlag = Flags.string({ description: 'read SQL from a file (- for stdin)' });
