export type AlertKind =
  | 'unexpected_error'
  | 'readiness_failed'
  | 'guard_tripped'
  | 'send_failed'
  | 'quota_reached'
  | 'reply_invalid'
  | 'job_failed';

export interface Alert {
  kind: AlertKind;
  /** One line for a person on call. Phone numbers and secrets are masked before it is sent. */
  message: string;
  /** Alerts with the same fingerprint within the cooldown are coalesced; defaults to kind + message. */
  fingerprint?: string;
  tenantId?: string;
  details?: Record<string, string | number | boolean | null | undefined>;
}

/** Cuts text to at most `max` UTF-16 code units without splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }

  let end = max - 1;

  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) {
    end -= 1;
  }

  return `${text.slice(0, end)}…`;
}

export function formatAlert(alert: Alert, environment: string): string {
  const lines = [`[aias ${environment}] ${alert.kind}: ${alert.message}`];

  if (alert.tenantId) {
    lines.push(`tenant: ${alert.tenantId}`);
  }

  for (const [key, value] of Object.entries(alert.details ?? {})) {
    if (value !== undefined && value !== null) {
      lines.push(`${key}: ${String(value)}`);
    }
  }

  return lines.join('\n');
}
