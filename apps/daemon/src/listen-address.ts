import net from 'node:net';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Is `host` a loopback address: `localhost`, 127.0.0.0/8 or ::1 (IPv4-mapped ones included)? Any
 * other name or address, `0.0.0.0` and `::` above all, may be reached from other machines.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (bare === 'localhost' || bare === 'localhost.') return true;
  const family = net.isIP(bare);
  if (family === 4) return LOOPBACK.check(bare, 'ipv4');
  if (family === 6) return LOOPBACK.check(bare, 'ipv6');
  return false;
}

/** The one line aishelld logs when it listens on an address other machines may reach. */
export function exposedListenWarning(host: string): string {
  return (
    `aishelld listens on ${host}, which is not a loopback address: the bearer token is its only protection ` +
    'and it speaks plain HTTP; put a TLS-terminating proxy in front of it and firewall the port, or listen on 127.0.0.1'
  );
}
