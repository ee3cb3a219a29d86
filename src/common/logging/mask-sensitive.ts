const redacted = '[redacted]';

const secretPatterns: RegExp[] = [
  /\bBearer\s+\S+/gi,
  /\bwhsec_[A-Za-z0-9_-]+/g,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  // Telegram bot tokens: numeric bot id, colon, 30+ characters.
  /\b\d{6,}:[A-Za-z0-9_-]{30,}/g,
];

// Seven or more digits, optionally separated by spaces, dots, dashes or brackets, not part of a
// longer word or hyphenated id (so UUIDs survive). An underscore may border a number, as in
// send_to_+14155550123_failed.
const phonePattern = /(?<![A-Za-z0-9-])\+?\(?\d(?:[\s().-]{0,2}\d){6,17}(?![A-Za-z0-9-])/g;
const emailPattern = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\b/g;

function maskPhone(match: string): string {
  const digits = match.replace(/\D/g, '');
  const prefix = match.startsWith('+') ? '+' : '';

  return `${prefix}${'•'.repeat(Math.max(digits.length - 2, 1))}${digits.slice(-2)}`;
}

/**
 * Removes secrets and personal data from text meant for an alert: the given secret values and
 * common token shapes become "[redacted]", phone numbers keep only their last two digits, and an
 * email address keeps its first letter and domain.
 */
export function maskSensitive(text: string, secrets: readonly string[] = []): string {
  let masked = text;

  for (const secret of secrets) {
    if (secret.length >= 4) {
      masked = masked.split(secret).join(redacted);
    }
  }

  for (const pattern of secretPatterns) {
    masked = masked.replace(pattern, redacted);
  }

  masked = masked.replace(emailPattern, (_match, first: string, domain: string) => {
    return `${first}***@${domain}`;
  });

  return masked.replace(phonePattern, maskPhone);
}
