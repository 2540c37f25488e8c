#!/usr/bin/env node
import { createCliContext } from '../context';
import { runCli } from '../program';

void runCli(process.argv.slice(2), createCliContext()).then((code) => {
  process.exitCode = code;
});
