import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolvePaths } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import {
  DAEMON_DEFAULTS,
  DaemonCommand,
  locateDaemon,
  processExists,
  readPidFile,
} from '../../daemon-process.js';
import { daemonFlags } from '../../flags.js';

export default class DaemonStop extends DaemonCommand {
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

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonStop);
    const paths = resolvePaths();
    const status = await locateDaemon(paths, { host: flags.host, port: flags.port });
    const removePidFile = async (pid: number | null): Promise<void> => {
      const record = await readPidFile(status.pidFile);
      if (!record || record.pid === pid || !processExists(record.pid))
        await rm(status.pidFile, { force: true });
    };
    if (!status.running || status.pid === null) {
      await removePidFile(null);
      if (flags.json) return this.printJson({ stopped: false, wasRunning: false, pid: null });
      await this.out.write('aishelld is not running\n');
      return;
    }
    const pid = status.pid;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + flags.timeout;
    while (processExists(pid) && Date.now() < deadline) await sleep(50);
    let killed = false;
    if (processExists(pid)) {
      process.kill(pid, 'SIGKILL');
      killed = true;
      while (processExists(pid)) await sleep(50);
    }
    await removePidFile(pid);
    if (flags.json) return this.printJson({ stopped: true, wasRunning: true, pid, killed });
    await this.out.write(
      killed
        ? `aishelld (pid ${pid}) did not stop within ${flags.timeout} ms and was killed\n`
        : `aishelld (pid ${pid}) stopped\n`,
    );
  }
}
