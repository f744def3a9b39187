import * as Args from '@oclif/core/args';
import { Help } from '@oclif/core/help';
import { BaseCommand } from '../base-command.js';

/** `aishell help [command...]`, as `git help` and psql's `\h`: the same text as `<command> --help`. */
export default class HelpCommand extends BaseCommand {
  static override summary = 'Show help for aishell or for one of its commands.';
  static override strict = false;
  static override examples = [
    { description: 'Every command', command: '<%= config.bin %> help' },
    { description: 'One command', command: '<%= config.bin %> help query' },
    { description: 'A command of a topic', command: '<%= config.bin %> help vault add' },
  ];
  static override args = {
    command: Args.string({
      ignoreStdin: true,
      description: 'the command (words separated by spaces) to explain',
    }),
  };

  async run(): Promise<void> {
    const { argv } = await this.parse(HelpCommand);
    await new Help(this.config).showHelp(argv as string[]);
  }
}
