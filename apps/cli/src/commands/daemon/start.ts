import { resolvePaths } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { type DaemonStartResult, startDaemon } from '../../daemon-control.js';
import { DAEMON_DEFAULTS, describeStatus } from '../../daemon-process.js';
import { daemonFlags } from '../../flags.js';

export default class DaemonStart extends BaseCommand {
  static override summary = 'Start the aishell daemon (aishelld) in the background.';
  static override description =
    'Runs aishelld detached, with its log in $XDG_STATE_HOME/aishell/daemon.log and its pid in ' +
    "$XDG_STATE_HOME/aishell/daemon.pid, and waits until it answers /health (exit 3 with the log's last line " +
    'when it does not). Clients send the bearer token: AISHELL_DAEMON_TOKEN, else the content of ' +
    '$XDG_CONFIG_HOME/aishell/daemon-token, which the daemon creates on first start.';
  static override examples = [
    { description: 'Start it on 127.0.0.1:7420', command: '<%= config.bin %> daemon start' },
    { description: 'Another port', command: '<%= config.bin %> daemon start --port 7500' },
    {
      description: 'Then query it',
      command:
        'curl -s -H "Authorization: Bearer $(cat ~/.config/aishell/daemon-token)" -H "content-type: application/json" ' +
        '-d \'{"connection":"demo","sql":"select count(*) from customers"}\' http://127.0.0.1:7420/v1/query',
    },
  ];
  static override flags = {
    ...daemonFlags,
    timeout: Flags.integer({
      description: 'how long to wait for the daemon to answer, in milliseconds',
      default: DAEMON_DEFAULTS.waitMillis,
      min: 1,
    }),
  };

  async run(): Promise<DaemonStartResult> {
    const { flags } = await this.parse(DaemonStart);
    const paths = resolvePaths();
    const result = await startDaemon(paths, {
      host: flags.host,
      port: flags.port,
      waitMillis: flags.timeout,
      cliRoot: this.config.root,
    });
    return this.present(result, async (r) => {
      if (!r.started) this.note('aishelld is already running');
      await this.out.write(`${describeStatus(r)}\n`);
      // How clients get in, once, when this command started it.
      if (r.started)
        this.note(
          process.env.AISHELL_DAEMON_TOKEN
            ? 'clients authenticate with AISHELL_DAEMON_TOKEN as a bearer token'
            : `clients authenticate with the bearer token in ${paths.daemonTokenFile}`,
        );
    });
  }
}
