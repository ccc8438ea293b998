#!/usr/bin/env node
// `npx btcw`: the compiled command line (npm ci builds it, the prepare script).
import '../build/cli/main.js';
