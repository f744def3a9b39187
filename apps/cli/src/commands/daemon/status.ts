import { resolvePaths } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { type DaemonStatus, describeStatus, locateDaemon } from '../../daemon-process.js';
import { daemonFlags } from '../../flags.js';

export default class DaemonStatusCommand extends BaseCommand {
  static override summary = 'Show whether the aishell daemon (aishelld) is running.';
  static override description =
    'Reads the pid file that `aishell daemon start` writes ($XDG_STATE_HOME/aishell/daemon.pid) and asks the ' +
    "daemon's /health; without a pid file it looks for a daemon answering at --host and --port. Exits 0 either way: " +
    'read `running` from --json.';
  static override examples = [
    { description: 'Is it running?', command: '<%= config.bin %> daemon status' },
    {
      description: 'As JSON (running, pid, port, uptimeSeconds, ...)',
      command: '<%= config.bin %> daemon status --json',
    },
    {
      description: 'A daemon started in the foreground on another port',
      command: '<%= config.bin %> daemon status --port 7500',
    },
  ];
  static override flags = daemonFlags;

  async run(): Promise<DaemonStatus> {
    const { flags } = await this.parse(DaemonStatusCommand);
    const status = await locateDaemon(resolvePaths(), { host: flags.host, port: flags.port });
    return this.present(status, (s) => `${describeStatus(s)}\n`);
  }
}
