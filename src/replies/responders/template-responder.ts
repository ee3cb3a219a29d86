import type { ReplyContext, Responder } from './responder';

/**
 * The default responder: fixed sentences filled with the tenant's and the contact's names. It needs
 * no network and returns the same reply for the same conversation, so tests and demos are stable.
 */
export class TemplateResponder implements Responder {
  readonly name = 'template';

  generate(context: ReplyContext): Promise<string> {
    const greeting = context.contactName ? `Hi ${context.contactName}!` : 'Hi!';
    const hasReplied = context.history.some((turn) => turn.role === 'business');

    if (!hasReplied) {
      return Promise.resolve(
        `${greeting} Thanks for contacting ${context.tenantName}. What can we help you with, and what day and time suit you for an appointment?`,
      );
    }

    return Promise.resolve(
      `Thanks! Someone from ${context.tenantName} will confirm the details with you shortly.`,
    );
  }
}
