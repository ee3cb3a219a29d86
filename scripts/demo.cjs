#!/usr/bin/env node
'use strict';

/* global fetch */

// npm run demo: builds the service if needed, starts it on the embedded database (no DATABASE_URL,
// no Redis), sends one signed Blooio message and one lead, prints the stored rows and stops it.
// Everything stays on 127.0.0.1; the embedded data lives in .data/ (delete it to start over).

const { spawn, spawnSync } = require('node:child_process');
const { createHmac, randomUUID } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { Client } = require('pg');

const root = path.join(__dirname, '..');
const dataDir = path.join(root, '.data');
const serviceLog = path.join(dataDir, 'demo-service.log');
const readyTimeoutMs = 180_000;

function newestMtime(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;

    return Math.max(newest, mtime);
  }, 0);
}

function buildIfNeeded() {
  const entry = path.join(root, 'dist', 'main.js');

  if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= newestMtime(path.join(root, 'src'))) {
    return;
  }

  console.log('Building the service (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

  if (result.status !== 0) {
    throw new Error('npm run build failed');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();

      server.close(() => resolve(port));
    });

    server.on('error', reject);
  });
}

function startService(port) {
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' };

  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  fs.mkdirSync(dataDir, { recursive: true });

  const log = fs.openSync(serviceLog, 'w');

  return spawn(process.execPath, [path.join('dist', 'main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', log, log],
  });
}

async function waitUntilReady(baseUrl, child) {
  const deadline = Date.now() + readyTimeoutMs;

  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The service exited with status ${child.exitCode}; see ${serviceLog}`);
    }

    const response = await fetch(`${baseUrl}/health/ready`).catch(() => undefined);

    if (response?.ok) {
      return;
    }

    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  throw new Error(`The service was not ready within ${readyTimeoutMs / 1000} s; see ${serviceLog}`);
}

async function post(url, body, headers) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

  return { status: response.status, body: await response.json() };
}

async function sendSamples(baseUrl, credentials) {
  const messageId = `msg_demo_${randomUUID()}`;
  const body = JSON.stringify({
    event: 'message.received',
    message_id: messageId,
    external_id: '+14155552671',
    internal_id: credentials.receivingNumber,
    protocol: 'imessage',
    text: 'Hi! Do you have a cleaning slot next Tuesday?',
    timestamp: Date.now(),
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', credentials.webhookSecret)
    .update(`${timestamp}.${body}`)
    .digest('hex');
  const inbound = await post(`${baseUrl}/webhooks/blooio`, body, {
    'x-blooio-signature': `t=${timestamp},v1=${signature}`,
  });

  console.log(
    `\nPOST /webhooks/blooio (signed message.received) -> ${inbound.status}`,
    inbound.body,
  );

  const lead = JSON.stringify({
    name: 'Jane Doe',
    phone: '(415) 555-2671',
    email: 'jane@example.com',
    source: 'demo',
    consent: { given: true, at: new Date().toISOString(), wording: 'I agree to receive texts.' },
    tags: ['demo'],
  });
  const leadHeaders = {
    authorization: `Bearer ${credentials.apiKey}`,
    'idempotency-key': randomUUID(),
  };
  const first = await post(`${baseUrl}/webhooks/lead-intake`, lead, leadHeaders);
  const retry = await post(`${baseUrl}/webhooks/lead-intake`, lead, leadHeaders);

  console.log(`POST /webhooks/lead-intake -> ${first.status}`, first.body);
  console.log(
    `POST /webhooks/lead-intake again, same Idempotency-Key -> ${retry.status} (replayed)`,
  );

  return { messageId, opportunityId: first.body.opportunityId };
}

async function printStored(ids) {
  const { url } = JSON.parse(fs.readFileSync(path.join(dataDir, 'embedded.json'), 'utf8'));
  const client = new Client({ connectionString: url });

  await client.connect();

  try {
    const message = await client.query(
      `SELECT m.direction, m.status, m.reply_state, c.phone AS contact, c.our_number, m.body
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.provider_message_id = $1`,
      [ids.messageId],
    );
    const opportunity = await client.query(
      `SELECT o.status, p.name AS pipeline, k.name, k.phone, k.email, k.consent_given, k.tags
       FROM opportunities o JOIN pipelines p ON p.id = o.pipeline_id JOIN contacts k ON k.id = o.contact_id
       WHERE o.id = $1`,
      [ids.opportunityId],
    );

    console.log('\nStored message:');
    console.table(message.rows);
    console.log('Stored lead (contact and opportunity):');
    console.table(opportunity.rows);
  } finally {
    await client.end();
  }
}

async function stopService(child) {
  if (child.exitCode !== null) {
    return;
  }

  const exited = new Promise((resolve) => child.once('exit', resolve));

  child.kill('SIGTERM');

  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);

  await exited;
  clearTimeout(timer);
}

async function main() {
  buildIfNeeded();

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  console.log(
    `Starting the service on ${baseUrl} with the embedded database (log: ${serviceLog})…`,
  );

  const child = startService(port);

  try {
    await waitUntilReady(baseUrl, child);

    const credentials = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8'),
    );
    const ids = await sendSamples(baseUrl, credentials);

    await printStored(ids);
  } finally {
    await stopService(child);
    console.log('Service stopped.');
  }
}

main().catch((error) => {
  console.error(`Demo failed: ${error.message}`);
  process.exit(1);
});
