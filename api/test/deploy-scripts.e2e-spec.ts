import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Issue 8: docker/production/deploy.sh and rollback.sh, run for real against a stand-in `docker`
 * (no Docker engine here). The stand-in records every call, remembers which release each API
 * instance was started on, answers the image's schema version, and fails the calls a test names,
 * so the order of the steps, the state they record and what a failure leaves are checked.
 */
const production = resolve(dirname(fileURLToPath(import.meta.url)), '../../docker/production');

/** The stand-in: one line per call in $FAKE_LOG, `RSM_TAG=<tag or -> <args>`. */
const FAKE_DOCKER = `#!/usr/bin/env bash
set -euo pipefail
args="$*"
echo "RSM_TAG=\${RSM_TAG:--} $args" >> "$FAKE_LOG"
if [[ -n "\${FAKE_FAIL:-}" && "$args" =~ $FAKE_FAIL ]]; then echo "fake failure: $args" >&2; exit 1; fi
case "$args" in
  "run --rm --entrypoint node "*)
    image_tag="\${args#run --rm --entrypoint node }"; image_tag="\${image_tag%% *}"; image_tag="\${image_tag##*:}"
    for pair in $FAKE_SCHEMAS; do if [[ "\${pair%%=*}" == "$image_tag" ]]; then echo "\${pair#*=}"; fi; done ;;
  compose*" up -d --no-deps --wait "*)
    echo "\${args##* }=\${RSM_TAG:-}" >> "$FAKE_STATE" ;;
  compose*" exec -T "*)
    service="\${args#* exec -T }"; service="\${service%% *}"
    tag="$(sed -n "s/^$service=//p" "$FAKE_STATE" | tail -n 1)"
    [[ "$args" == *"release=\\"$tag\\""* ]] || { echo "$service runs $tag" >&2; exit 1; } ;;
esac
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rsm-deploy-'));
  cpSync(production, join(dir, 'production'), { recursive: true });
  writeFileSync(join(dir, 'docker'), FAKE_DOCKER, { mode: 0o755 });
  writeFileSync(join(dir, 'curl'), '#!/bin/sh\necho "RSM_TAG=- curl $*" >> "$FAKE_LOG"\n', { mode: 0o755 });
  chmodSync(join(dir, 'docker'), 0o755);
  const example = readFileSync(join(production, '.env.example'), 'utf8');
  writeFileSync(join(dir, 'production/.env'), example.replace(/^(\w+)=$/gm, '$1=placeholder-secret-0123456789abcdef0123456789'));
  writeFileSync(join(dir, 'log'), '');
  writeFileSync(join(dir, 'state'), '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(script: 'deploy.sh' | 'rollback.sh', args: string[] = [], env: Record<string, string> = {}) {
  writeFileSync(join(dir, 'log'), '');
  const result = spawnSync('bash', [join(dir, 'production', script), ...args], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH}`, FAKE_LOG: join(dir, 'log'), FAKE_STATE: join(dir, 'state'), FAKE_SCHEMAS: '1.0=100 1.1=200 1.2=200', ...env },
  });
  const calls = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n').filter(Boolean);
  return { status: result.status, stderr: result.stderr, calls };
}
const state = (name: string) => (existsSync(join(dir, 'production/.deploy', name)) ? readFileSync(join(dir, 'production/.deploy', name), 'utf8') : undefined);
/** The calls, shortened to what matters: release, and what was run or started. */
const steps = (calls: string[]) =>
  calls.map((c) =>
    c
      .replace(/compose --project-directory \S+ -f \S+ (--env-file \S+ ?)+/, 'compose ')
      .replace(/ --input-type=module -e .*/, ' (schema)')
      .replace(/ node -e .*/, ' (release check)')
      .replace(/^RSM_TAG=(\S+) compose /, 'RSM_TAG=$1 '),
  );

describe('deploy.sh and rollback.sh', () => {
  it('deploy migrates with the new release before switching, switches one instance at a time, records both releases', async () => {
    const first = run('deploy.sh', ['1.0']);
    expect(first.stderr).toContain('deployed 1.0');
    expect(first.status).toBe(0);
    expect(state('release.env')).toBe('RSM_TAG=1.0\nRSM_SCHEMA_VERSION=100\n');
    expect(state('previous.env')).toBeUndefined();

    const second = run('deploy.sh', ['1.1']);
    expect(second.status).toBe(0);
    expect(steps(second.calls)).toEqual([
      'RSM_TAG=- pull ghcr.io/your-org/recording-studio-manager:1.1',
      'RSM_TAG=- run --rm --entrypoint node ghcr.io/your-org/recording-studio-manager:1.1 (schema)',
      'RSM_TAG=1.1 run --rm -T migrate rsm migrate --canary 5',
      'RSM_TAG=1.1 run --rm -T migrate rsm migrate',
      'RSM_TAG=1.1 up -d --no-deps --wait --wait-timeout 180 api-1',
      'RSM_TAG=- exec -T api-1 (release check)',
      'RSM_TAG=1.1 up -d --no-deps --wait --wait-timeout 180 api-2',
      'RSM_TAG=- exec -T api-2 (release check)',
      'RSM_TAG=- up -d --no-deps caddy prometheus grafana',
      'RSM_TAG=- curl -fsS --retry 15 --retry-delay 2 --retry-all-errors -o /dev/null https://studio.example.com/health/ready',
    ]);
    expect(state('release.env')).toBe('RSM_TAG=1.1\nRSM_SCHEMA_VERSION=200\n');
    expect(state('previous.env')).toBe('RSM_TAG=1.0\nRSM_SCHEMA_VERSION=100\n');
    expect(state('history.log')).toMatch(/deploy 1\.0 schema 100 .*\n.*deploy 1\.1 schema 200 \(previous 1\.0 schema 100\)\n$/);
  });

  it('a failed canary migration switches nothing and records nothing', async () => {
    expect(run('deploy.sh', ['1.0']).status).toBe(0);
    const failed = run('deploy.sh', ['1.1'], { FAKE_FAIL: 'migrate --canary' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('a canary tenant failed to migrate; nothing was switched, 1.0 still serves');
    expect(steps(failed.calls).filter((c) => / up | migrate$/.test(c))).toEqual([]);
    expect(state('release.env')).toBe('RSM_TAG=1.0\nRSM_SCHEMA_VERSION=100\n');
  });

  it('an instance that does not come up on the new release stops the switch before the other one', async () => {
    expect(run('deploy.sh', ['1.0']).status).toBe(0);
    const failed = run('deploy.sh', ['1.1'], { FAKE_FAIL: 'up .* api-1$' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain('run ./rollback.sh (back to 1.0)');
    expect(steps(failed.calls).some((c) => c.includes('api-2'))).toBe(false);
    expect(state('previous.env')).toBe('RSM_TAG=1.0\nRSM_SCHEMA_VERSION=100\n');
  });

  it('rollback switches back first, then rolls the schema back with the release being left, and forgets the previous release', async () => {
    expect(run('deploy.sh', ['1.0']).status).toBe(0);
    expect(run('deploy.sh', ['1.1']).status).toBe(0);
    const back = run('rollback.sh');
    expect(back.status).toBe(0);
    expect(steps(back.calls).filter((c) => !c.includes('curl'))).toEqual([
      'RSM_TAG=1.0 up -d --no-deps --wait --wait-timeout 180 api-1',
      'RSM_TAG=- exec -T api-1 (release check)',
      'RSM_TAG=1.0 up -d --no-deps --wait --wait-timeout 180 api-2',
      'RSM_TAG=- exec -T api-2 (release check)',
      'RSM_TAG=1.1 run --rm -T migrate rsm migrate --to 100',
    ]);
    expect(state('release.env')).toBe('RSM_TAG=1.0\nRSM_SCHEMA_VERSION=100\n');
    expect(state('previous.env')).toBeUndefined();
    expect(run('rollback.sh').stderr).toContain('no previous release recorded');
  });

  it('rollback from a release that kept the schema runs no migration', async () => {
    expect(run('deploy.sh', ['1.1']).status).toBe(0);
    expect(run('deploy.sh', ['1.2']).status).toBe(0);
    const back = run('rollback.sh');
    expect(back.status).toBe(0);
    expect(back.calls.filter((c) => c.includes('migrate'))).toEqual([]);
    expect(back.stderr).toContain('1.2 kept the tenant schema at 200: nothing to roll back');
  });

  it('refuses a tag that is not one, and the release already serving', async () => {
    expect(run('deploy.sh', ['1.0; rm -rf /']).status).not.toBe(0);
    expect(run('deploy.sh', ['1.0']).status).toBe(0);
    const again = run('deploy.sh', ['1.0']);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('1.0 already serves');
  });
});
