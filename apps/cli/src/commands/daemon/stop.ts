import { resolvePaths } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { type DaemonStopResult, stopDaemon } from '../../daemon-control.js';
import { DAEMON_DEFAULTS } from '../../daemon-process.js';
import { daemonFlags } from '../../flags.js';

export default class DaemonStop extends BaseCommand {
  static override summary = 'Stop the aishell daemon (aishelld).';
  static override description =
    'Sends SIGTERM: the daemon stops accepting, finishes the requests in flight, closes its database sessions ' +
    'and exits. Waits up to --timeout, then sends SIGKILL. Stopping a daemon that is not running is not an error.';
  static override examples = [
    { description: 'Stop it', command: '<%= config.bin %> daemon stop' },
    { description: 'As JSON', command: '<%= config.bin %> daemon stop --json' },
  ];
  static override flags = {
    ...daemonFlags,
    timeout: Flags.integer({
      description: 'how long to wait for a graceful stop before SIGKILL, in milliseconds',
      default: DAEMON_DEFAULTS.waitMillis,
      min: 1,
    }),
  };

  async run(): Promise<DaemonStopResult> {
    const { flags } = await this.parse(DaemonStop);
    const result = await stopDaemon(resolvePaths(), {
      host: flags.host,
      port: flags.port,
      waitMillis: flags.timeout,
    });
    return this.present(result, (r) => stoppedText(r, flags.timeout));
  }
}

function stoppedText(result: DaemonStopResult, timeoutMillis: number): string {
  if (!result.stopped) return 'aishelld is not running\n';
  return result.killed
    ? `aishelld (pid ${result.pid}) did not stop within ${timeoutMillis} ms and was killed\n`
    : `aishelld (pid ${result.pid}) stopped\n`;
}
