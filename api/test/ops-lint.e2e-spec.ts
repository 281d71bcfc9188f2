import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { exportedNames, parseExposition } from './support/prometheus.js';
import { createTestApp } from './support/test-app.js';

/**
 * Issue 8: the deployment files cannot run here (no Docker engine), so they are linted and
 * cross-checked instead, in `npm test`: compose files (dclint), the Dockerfile (dockerfile-utils),
 * the shell scripts (shellcheck, which .ci/run installs from Debian), the Prometheus and Grafana
 * files, and every metric they use against a real /metrics scrape of the app.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docker = join(root, 'docker');
const production = join(docker, 'production');
const monitoring = join(docker, 'monitoring');
const read = (path: string) => readFileSync(path, 'utf8');
const yamlAt = (path: string) => parseYaml(read(path), { merge: true }) as Record<string, any>;

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}); .ci/run installs it`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const SCRIPTS = [join(root, '.ci/run'), ...readdirSync(production).filter((f) => f.endsWith('.sh')).map((f) => join(production, f))];
const COMPOSE_FILES = [join(docker, 'compose.yml'), join(production, 'docker-compose.yml')];

/** PromQL of every alert rule and dashboard panel, with where it comes from. */
function queries(): Array<{ where: string; expr: string }> {
  const rules = yamlAt(join(monitoring, 'alerts.yml')).groups.flatMap((g: { rules: Array<{ alert: string; expr: string }> }) =>
    g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
  );
  const dashboards = readdirSync(join(monitoring, 'grafana/dashboards')).map((f) => JSON.parse(read(join(monitoring, 'grafana/dashboards', f))));
  const panels = dashboards.flatMap((d) =>
    d.panels.flatMap((p: { title: string; targets?: Array<{ expr: string }> }) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
  );
  return [...rules, ...panels];
}

const METRIC = /\b((?:rsm|process|nodejs)_[a-z0-9_]+)\b/g;
/** Labels Prometheus adds to every scraped series (scrape config), not the app. */
const TARGET_LABELS = new Set(['job', 'instance', 'service']);

describe('operations files lint clean', () => {
  it('the compose files: dclint finds nothing', () => {
    const { status, output } = run(join(root, 'node_modules/.bin/dclint'), [...COMPOSE_FILES, '--max-warnings', '0']);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('the Dockerfile: dockerfile-utils finds nothing', () => {
    const { status, output } = run(join(root, 'node_modules/.bin/dockerfile-utils'), ['lint', join(docker, 'Dockerfile')]);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('the shell scripts (deploy, rollback, init, CI): shellcheck finds nothing', () => {
    expect(SCRIPTS.length).toBeGreaterThanOrEqual(5);
    const { status, output } = run('shellcheck', ['--external-sources', ...SCRIPTS]);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('every file the production compose file mounts exists, and .env.example names every variable it requires', () => {
    const compose = yamlAt(join(production, 'docker-compose.yml'));
    for (const [name, service] of Object.entries<Record<string, any>>(compose.services)) {
      for (const volume of (service.volumes ?? []) as string[]) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect([name, existsSync(resolve(production, source))]).toEqual([name, true]);
      }
    }
    const required = new Set([...read(join(production, 'docker-compose.yml')).matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]));
    required.delete('RSM_TAG'); // recorded by deploy.sh in .deploy/release.env, not set by hand
    const example = new Set([...read(join(production, '.env.example')).matchAll(/^(\w+)=/gm)].map((m) => m[1]));
    expect([...required].filter((name) => !example.has(name))).toEqual([]);
  });

  it('Prometheus scrapes, and Caddy proxies to, exactly the API instances of the compose file', () => {
    const compose = yamlAt(join(production, 'docker-compose.yml'));
    const instances = Object.entries<Record<string, any>>(compose.services).filter(([, s]) => s.environment?.METRICS_PORT && !s.profiles);
    expect(instances.length).toBe(2);
    const prometheus = yamlAt(join(monitoring, 'prometheus.yml'));
    const job = prometheus.scrape_configs.find((c: { job_name: string }) => c.job_name === 'rsm-api');
    const targets = job.static_configs.flatMap((c: { targets: string[] }) => c.targets).sort();
    expect(targets).toEqual(instances.map(([name, s]) => `${name}:${s.environment.METRICS_PORT}`).sort());
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const mounts = compose.services.prometheus.volumes as string[];
    expect(mounts).toEqual(expect.arrayContaining(['../monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro', '../monitoring/alerts.yml:/etc/prometheus/alerts.yml:ro']));
    const upstreams = /reverse_proxy ([^{]+)\{/.exec(read(join(production, 'Caddyfile')))![1].trim().split(/\s+/).sort();
    expect(upstreams).toEqual(instances.map(([name, s]) => `${name}:${s.environment.PORT}`).sort());
  });

  it('alert rules are complete, and the dashboard uses the provisioned datasource', () => {
    const groups = yamlAt(join(monitoring, 'alerts.yml')).groups as Array<{ rules: Array<Record<string, any>> }>;
    const alerts = groups.flatMap((g) => g.rules);
    for (const rule of alerts) {
      expect([rule.alert, typeof rule.expr, ['page', 'warn'].includes(rule.labels?.severity), typeof rule.annotations?.summary]).toEqual([rule.alert, 'string', true, 'string']);
    }
    // The list: error rate, p99, pool saturation, failed migrations, job backlog.
    expect(alerts.map((r) => r.alert)).toEqual(expect.arrayContaining(['RsmHighErrorRate', 'RsmHighLatencyP99', 'RsmTenantPoolSaturation', 'RsmTenantMigrationFailed', 'RsmJobBacklog']));
    // Every alert is explained in the runbook.
    const runbook = read(join(root, 'docs/operations.md'));
    expect(alerts.map((r) => r.alert).filter((name) => !runbook.includes(name))).toEqual([]);

    const datasource = yamlAt(join(monitoring, 'grafana/provisioning/datasources/prometheus.yml')).datasources[0];
    expect(yamlAt(join(monitoring, 'grafana/provisioning/dashboards/rsm.yml')).providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    for (const file of readdirSync(join(monitoring, 'grafana/dashboards'))) {
      const dashboard = JSON.parse(read(join(monitoring, 'grafana/dashboards', file)));
      const uids = new Set<string>(dashboard.panels.flatMap((p: { type: string; datasource?: { uid: string } }) => (p.type === 'row' ? [] : [p.datasource?.uid])));
      expect([...uids]).toEqual([datasource.uid]);
    }
  });

  it('every metric and label the alerts and the dashboard use is one the app exports (a real /metrics scrape)', async () => {
    const t = await createTestApp({ JOBS_ENABLED: 'true', JOBS_MAINTENANCE_CRON: '0 0 1 1 *' });
    let text: string;
    try {
      await t.http().get('/health/live').expect(200); // so the HTTP series (and their labels) exist
      text = (await t.http().get('/metrics').expect(200)).text;
    } finally {
      await t?.close();
    }
    const exported = exportedNames(text);
    const labelsOf = new Map<string, Set<string>>();
    for (const series of parseExposition(text).series) {
      const labels = labelsOf.get(series.name) ?? new Set<string>();
      for (const label of Object.keys(series.labels)) labels.add(label);
      labelsOf.set(series.name, labels);
    }
    const problems: string[] = [];
    const all = queries();
    expect(all.length).toBeGreaterThan(20);
    for (const { where, expr } of all) {
      const names = [...expr.matchAll(METRIC)].map((m) => m[1]);
      for (const name of names) if (!exported.has(name)) problems.push(`${where}: ${name} is not exported`);
      // Label matchers and grouping labels must be labels of the metrics the expression reads.
      const known = new Set([...TARGET_LABELS, ...names.flatMap((n) => [...(labelsOf.get(n) ?? [])])]);
      for (const [, , matchers] of expr.matchAll(/\b((?:rsm|process|nodejs)_[a-z0-9_]+)\{([^}]*)\}/g)) {
        for (const [, label] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) if (!known.has(label)) problems.push(`${where}: no label ${label}`);
      }
      for (const [, grouping] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of grouping.split(',').map((l) => l.trim())) if (label !== 'le' && !known.has(label)) problems.push(`${where}: no label ${label} to group by`);
      }
    }
    expect(problems).toEqual([]);
  });
});
