import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A second app process started as production runs it (NODE_ENV=production), next to the suite's
 * development server: what only production does (HSTS, a Secure cookie, metrics behind a token) is
 * checked on the real start-up path, node api/dist/main.js, with its own embedded PostgreSQL.
 */
export interface ProductionServer {
	baseURL: string;
	metricsToken: string;
	output: () => string;
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => done(port));
		});
	});
}

export async function startProductionServer(e2eDir: string): Promise<ProductionServer> {
	const [port, pgPort] = [await freePort(), await freePort()];
	const dataDir = mkdtempSync(join(tmpdir(), 'rsm-e2e-prod-'));
	chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as another user when we are root
	const baseURL = `http://127.0.0.1:${port}`;
	const metricsToken = randomBytes(24).toString('base64url');
	const env: NodeJS.ProcessEnv = { ...process.env };
	delete env.DATABASE_URL; // always its own embedded server: never share a database with the dev server
	Object.assign(env, {
		NODE_ENV: 'production',
		PORT: String(port),
		HOST: '127.0.0.1',
		RSM_DATA_DIR: dataDir,
		EMBEDDED_PG_PORT: String(pgPort),
		RSM_SECRET_KEY: randomBytes(32).toString('base64url'),
		PUBLIC_URL: baseURL,
		METRICS_TOKEN: metricsToken,
		LOG_LEVEL: 'warn',
		JOBS_ENABLED: 'false'
	});
	let output = '';
	const child: ChildProcess = spawn(process.execPath, [resolve(e2eDir, '../api/dist/main.js')], { cwd: e2eDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<void>((done) => child.once('exit', () => done()));

	const stop = async () => {
		if (child.exitCode === null) {
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(killer);
		}
		rmSync(dataDir, { recursive: true, force: true });
	};

	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) {
			await stop();
			throw new Error(`the production server exited with ${child.exitCode}:\n${output}`);
		}
		const ready = await fetch(`${baseURL}/health/ready`).then((r) => r.ok, () => false);
		if (ready) break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`the production server was not ready within 120 s:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return { baseURL, metricsToken, output: () => output, stop };
}
