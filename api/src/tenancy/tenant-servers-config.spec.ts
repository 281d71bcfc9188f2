import { ConfigError, loadConfig } from '../config/app-config.js';

/** Issue 8, ops-servers: TENANT_SERVERS and the watch/grace settings. */
describe('loadConfig: tenant servers', () => {
  it('defaults to the one server of DATABASE_URL, a 5 s registry watch and a 24 h grace for moved copies', () => {
    expect(loadConfig({}).tenantServers).toEqual({ servers: [], registryWatchMs: 5000, moveGraceMs: 24 * 3_600_000 });
  });

  it('reads `name=url` pairs and JSON (URL inline or from a secret file, optional capacity)', () => {
    expect(loadConfig({ TENANT_SERVERS: 'eu1=postgres://a:b@h1/postgres, eu-2=postgresql://h2/postgres' }).tenantServers.servers).toEqual([
      { name: 'eu1', url: 'postgres://a:b@h1/postgres' },
      { name: 'eu-2', url: 'postgresql://h2/postgres' },
    ]);
    const json = '[{"name":"default","capacity":200},{"name":"eu2","urlFile":"/run/secrets/eu2","capacity":800}]';
    expect(loadConfig({ TENANT_SERVERS: json }).tenantServers.servers).toEqual([
      { name: 'default', capacity: 200 },
      { name: 'eu2', urlFile: '/run/secrets/eu2', capacity: 800 },
    ]);
  });

  it.each([
    ['a repeated name', 'a=postgres://h/p,a=postgres://h2/p'],
    ['a server other than default without a URL', '[{"name":"eu2"}]'],
    ['a name that is no identifier', 'EU 2=postgres://h/p'],
    ['a URL that is not postgres://', 'eu2=mysql://h/p'],
    ['malformed JSON', '[{"name":'],
    ['an unknown JSON field', '[{"name":"eu2","url":"postgres://h/p","password":"x"}]'],
    ['a capacity of 0', '[{"name":"eu2","url":"postgres://h/p","capacity":0}]'],
  ])('refuses %s in one line naming TENANT_SERVERS', (_what, value) => {
    let error: unknown;
    try {
      loadConfig({ TENANT_SERVERS: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid configuration: TENANT_SERVERS: /);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });
});
