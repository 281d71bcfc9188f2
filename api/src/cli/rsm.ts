#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './cli.js';

// `rsm …` (npm run rsm -- … at the repository root, or the api package's bin): see cli.ts.
runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rsm: ${String(err)}\n`);
    process.exitCode = 4;
  },
);
