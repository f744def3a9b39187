// pgpass ships no types; this is the part of its API @aishell/pool uses.
declare module 'pgpass' {
  interface PgPassConnInfo {
    host?: string;
    port?: number | string;
    database?: string;
    user?: string;
  }
  function pgpass(connInfo: PgPassConnInfo, cb: (password: string | undefined) => void): void;
  namespace pgpass {
    function warnTo(stream: NodeJS.WritableStream | null): NodeJS.WritableStream | null;
  }
  export = pgpass;
}
