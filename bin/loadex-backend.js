#!/usr/bin/env node
// The demo backend: `loadex-backend --port 8001`
require('../dist/apps/backend/main.js');
