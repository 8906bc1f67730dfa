#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (the devnode ships as source inside the monorepo).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
