#!/usr/bin/env node
// The operator CLI: `loadex --help`
require('../dist/apps/cli/main.js');
