export interface ConversationTurn {
  role: 'contact' | 'business';
  text: string;
}

/** The input of a responder: the tenant, and the conversation oldest first, ending with the inbound message. */
export interface ReplyContext {
  tenantName: string;
  businessDetails: string;
  contactName: string | null;
  history: ConversationTurn[];
  maxLength: number;
}

/** Produces the text of one reply. The caller validates it before anything is sent. */
export interface Responder {
  readonly name: string;
  generate(context: ReplyContext, signal?: AbortSignal): Promise<string>;
}

export const RESPONDER = Symbol('RESPONDER');

/** The responder failed to produce a reply at all (as opposed to producing an invalid one). */
export class ResponderError extends Error {
  override readonly name = 'ResponderError';
}
