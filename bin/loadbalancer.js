#!/usr/bin/env node
// The balancer: `loadbalancer -port 8080 -algo wrr -backends http://localhost:8001,http://localhost:8002`
require('../dist/apps/balancer/main.js');
