import { Client } from 'pg';

import { superuserUrl } from './bench-config';

/** Rows a scenario wrote, compared with the requests the server accepted. */
export interface RowCheck {
  accepted: number;
  messages: number;
  inboxRows: number;
  /** Accepted message ids with no stored message. */
  lost: number;
  /** Message ids stored more than once. */
  duplicated: number;
  /** Stored ids whose request got no response because the run ended while it was in flight. */
  storedInFlight: number;
  /** Stored ids whose response was anything but "stored". Must be 0. */
  unacknowledged: number;
  /** Reply jobs queued for these messages; undefined without the job queue's schema. */
  replyJobs?: number;
  isConsistent: boolean;
}

const settleMs = 1000;

/** Counts the graphile-worker jobs whose payload names one of the phase's messages. */
async function countReplyJobs(client: Client, pattern: string): Promise<number | undefined> {
  const schema = await client.query<{ present: boolean }>(
    `SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS present`,
  );

  if (!schema.rows[0].present) {
    return undefined;
  }

  const jobs = await client.query<{ count: string }>(
    `SELECT count(*) FROM graphile_worker._private_jobs
     WHERE (payload->>'messageId')::uuid IN (SELECT id FROM messages WHERE provider_message_id LIKE $1)`,
    [pattern],
  );

  return Number(jobs.rows[0].count);
}

/**
 * Compares the messages and inbox rows whose ids start with runTag with the accepted ids, after
 * waiting for the requests still in flight when the load ended to finish. Both counts are read in
 * one snapshot. inFlightIds are the requests sent without a response, and each of them may or may not be stored.
 */
export async function checkRows(
  runTag: string,
  acceptedIds: Set<string>,
  inFlightIds: Set<string> = new Set(),
): Promise<RowCheck> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));

  const client = new Client({ connectionString: superuserUrl });

  await client.connect();

  try {
    const pattern = `${runTag}-%`;

    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const messages = await client.query<{ provider_message_id: string }>(
      'SELECT provider_message_id FROM messages WHERE provider_message_id LIKE $1',
      [pattern],
    );
    const inbox = await client.query<{ count: string }>(
      'SELECT count(*) FROM webhook_events WHERE dedup_key LIKE $1',
      [pattern],
    );
    const storedIds = messages.rows.map((row) => row.provider_message_id);
    const distinctIds = new Set(storedIds);
    const lost = [...acceptedIds].filter((id) => !distinctIds.has(id)).length;
    const unanswered = [...distinctIds].filter((id) => !acceptedIds.has(id));
    const storedInFlight = unanswered.filter((id) => inFlightIds.has(id)).length;
    const unacknowledged = unanswered.length - storedInFlight;
    const inboxRows = Number(inbox.rows[0].count);
    const duplicated = storedIds.length - distinctIds.size;
    const replyJobs = await countReplyJobs(client, pattern);

    await client.query('COMMIT');

    return {
      accepted: acceptedIds.size,
      messages: storedIds.length,
      inboxRows,
      lost,
      duplicated,
      storedInFlight,
      unacknowledged,
      replyJobs,
      isConsistent:
        lost === 0 && duplicated === 0 && unacknowledged === 0 && inboxRows === storedIds.length,
    };
  } finally {
    await client.end();
  }
}
