export type InvalidReplyReason =
  'empty' | 'too_long' | 'control_characters' | 'link' | 'prompt_marker';

export type ReplyValidation =
  { isValid: true; text: string } | { isValid: false; reason: InvalidReplyReason };

export interface ReplyRules {
  maxLength: number;
  allowLinks: boolean;
}

// C0 and C1 controls except tab and line feed, plus zero-width and bidirectional formatting marks.
const controlCharacters =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

const linkPatterns = [
  /\b(?:https?|ftp):\/\//i,
  /\bwww\./i,
  // A bare domain such as example.com/book or bit.ly.
  /\b[a-z0-9-]+\.(?:com|net|org|io|co|ly|me|app|biz|info|us|uk|ca|ai|link|site|online|xyz)\b/i,
];

// Traces of templates, chat formats or model self-talk that must never reach a customer.
const promptMarkers = [
  /\{\{|\}\}/,
  /\{%|%\}/,
  /<\|/,
  /\|>/,
  /\[\/?INST\]/i,
  /<<\/?SYS>>/i,
  /<\/?s>/i,
  /^\s*(?:system|assistant|user)\s*:/im,
  /```/,
  /\bas an ai\b/i,
  /\bas a(?:n)? (?:ai )?language model\b/i,
  /\bI(?:'m| am) an ai\b/i,
  /\bI(?:'m| am) (?:just )?a (?:chat)?bot\b/i,
  /\bsystem prompt\b/i,
  /\[(?:your|customer|business|insert)[^\]]*\]/i,
];

/** Checks a reply before it is sent. Surrounding whitespace is trimmed; nothing else is rewritten. */
export function validateReply(raw: string, rules: ReplyRules): ReplyValidation {
  const text = raw.trim();

  if (text.length === 0) {
    return { isValid: false, reason: 'empty' };
  }

  if ([...text].length > rules.maxLength) {
    return { isValid: false, reason: 'too_long' };
  }

  if (controlCharacters.test(text)) {
    return { isValid: false, reason: 'control_characters' };
  }

  if (!rules.allowLinks && linkPatterns.some((pattern) => pattern.test(text))) {
    return { isValid: false, reason: 'link' };
  }

  if (promptMarkers.some((pattern) => pattern.test(text))) {
    return { isValid: false, reason: 'prompt_marker' };
  }

  return { isValid: true, text };
}
