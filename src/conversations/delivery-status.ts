import type { MessageStatus, SendStatus } from '../generated/prisma/enums';

/** A delivery status reported by the provider for one of our outbound messages. */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

// Progress order; a status only ever moves to a later one. failed ends a message that was not yet
// delivered, but never overrides delivered or read (a late failure report changes nothing then).
const messageOrder: MessageStatus[] = ['pending', 'queued', 'sent', 'delivered', 'read'];
const sendOrder: SendStatus[] = ['pending', 'accepted', 'sent', 'delivered', 'read'];

function statusesBefore<S extends string>(order: S[], next: DeliveryStatus): S[] {
  const position = next === 'failed' ? order.indexOf('delivered' as S) : order.indexOf(next as S);

  return order.slice(0, position);
}

/** Lists the message statuses from which `next` is a move forward. */
export function messageStatusesBefore(next: DeliveryStatus): MessageStatus[] {
  return statusesBefore(messageOrder, next);
}

/** Lists the send statuses from which `next` is a move forward. Withheld sends never change. */
export function sendStatusesBefore(next: DeliveryStatus): SendStatus[] {
  return statusesBefore(sendOrder, next);
}
