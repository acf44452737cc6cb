#!/usr/bin/env node
// Entry point of the `skiff` command: runs the compiled CLI.
import { main } from '../dist/src/cli/index.js';

process.exitCode = await main(process.argv.slice(2));
