#!/usr/bin/env node
'use strict';

// Starts the local PostgreSQL and Redis when they are not listening, with the commands this machine
// image uses, and waits up to 30 s for each. Services that are already up are left alone.

const { execSync } = require('node:child_process');
const net = require('node:net');

const services = [
  {
    name: 'PostgreSQL',
    port: 5432,
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  },
  {
    name: 'Redis',
    port: 6379,
    start:
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
  },
];

function isListening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });

    socket.setTimeout(500);
    socket.once('connect', () => resolve(socket.end() && true));
    socket.once('timeout', () => resolve(socket.destroy() && false));
    socket.once('error', () => resolve(false));
  });
}

async function ensure(service) {
  if (await isListening(service.port)) {
    return;
  }

  console.log(`${service.name} is not listening on 127.0.0.1:${service.port}; starting it`);
  execSync(service.start, { stdio: 'inherit', shell: '/bin/bash' });

  for (let attempt = 0; attempt < 60; attempt += 1) {
    if (await isListening(service.port)) {
      return;
    }

    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  throw new Error(`${service.name} did not start listening on port ${service.port} within 30 s`);
}

(async () => {
  for (const service of services) {
    await ensure(service);
  }
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
