import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Lints the committed openapi.json (kept equal to the generated one by openapi.e2e-spec) with the
 * repo's redocly.yaml and .spectral.yaml. Zero errors; every warning must come from a rule accepted in
 * those files (with its reason) and in README "API contract", so a new kind of warning needs a decision.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name: string) => resolve(root, 'node_modules/.bin', name);

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
  });
  if (result.error) throw result.error;
  if (!result.stdout.trim()) throw new Error(`${command} printed nothing (exit ${result.status}): ${result.stderr}`);
  return result.stdout;
}

function countByRule(findings: Array<{ rule: string; severity: 'error' | 'warning' }>) {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const rules = [...new Set(warnings.map((f) => f.rule))].sort();
  return { errors, warnings, rules };
}

describe('openapi.json lint (run in npm test)', () => {
  it('passes @redocly/cli lint with the recommended rules: 0 errors, only accepted warnings', () => {
    const report = JSON.parse(run(bin('redocly'), ['lint', 'openapi.json', '--config', 'redocly.yaml', '--format', 'json'])) as {
      problems: Array<{ ruleId: string; severity: 'error' | 'warn'; message: string; location: Array<{ pointer: string }> }>;
    };
    const { errors, warnings, rules } = countByRule(
      report.problems.map((p) => ({ rule: p.ruleId, severity: p.severity === 'warn' ? 'warning' : 'error', where: p.location[0]?.pointer, message: p.message })),
    );
    console.log(`redocly lint: ${errors.length} errors, ${warnings.length} warnings (${rules.join(', ')})`);
    expect(errors).toEqual([]);
    expect(rules.filter((r) => !['info-license-strict'].includes(r))).toEqual([]);
  });

  it('passes spectral lint with spectral:oas and the OWASP ruleset: 0 errors, only accepted warnings', () => {
    const results = JSON.parse(run(bin('spectral'), ['lint', 'openapi.json', '--ruleset', '.spectral.yaml', '--format', 'json', '--quiet'])) as Array<{
      code: string;
      severity: number; // 0 error, 1 warning, 2 info, 3 hint
      message: string;
      path: string[];
    }>;
    const { errors, warnings, rules } = countByRule(
      results
        .filter((r) => r.severity <= 1)
        .map((r) => ({ rule: r.code, severity: r.severity === 0 ? 'error' : 'warning', where: r.path.join('.'), message: r.message })),
    );
    console.log(`spectral lint: ${errors.length} errors, ${warnings.length} warnings (${rules.join(', ')})`);
    expect(errors).toEqual([]);
    const accepted = [
      'owasp:api2:2023-read-restricted',
      'owasp:api2:2023-write-restricted',
      'owasp:api4:2023-array-limit',
      'owasp:api4:2023-rate-limit',
      'owasp:api4:2023-rate-limit-responses-429',
      'owasp:api4:2023-string-limit',
      'owasp:api4:2023-string-restricted',
      'owasp:api8:2023-define-cors-origin',
      'owasp:api8:2023-define-error-responses-401',
    ];
    expect(rules.filter((r) => !accepted.includes(r))).toEqual([]);
  });
});
