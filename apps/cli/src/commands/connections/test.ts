import { ConnectionsCommand, type ConnectionTestDocument } from '../../connections-command.js';
import { connectionNameArg } from '../../flags.js';

export default class ConnectionsTest extends ConnectionsCommand {
  static override summary = 'Check that a saved connection answers, and how long connecting took.';
  static override description =
    'Connects (with the password from the vault, PGPASSWORD, ~/.pgpass or MYSQL_PWD, as every command does) and ' +
    'pings the server; exit 3 when it does not answer, 2 for an unknown name.';
  static override examples = [
    { description: 'Check that one answers', command: '<%= config.bin %> connections test prod' },
    { description: 'As JSON', command: '<%= config.bin %> connections test prod --json' },
  ];
  static override args = { name: connectionNameArg };

  async run(): Promise<ConnectionTestDocument> {
    const { args } = await this.parse(ConnectionsTest);
    return this.test(args.name);
  }
}
