import { storage } from 'nestjs-pino/storage';
import type { Bindings } from 'pino';

/**
 * Adds fields to the current request's logger, so every later line of the request carries them,
 * its completion line included. Does nothing outside a request (the health probes have no request
 * logger).
 *
 * nestjs-pino's PinoLogger.assign makes a child of the request's logger instead. A child is made
 * with Object.create(parent), and V8 gives a parent that serves as a prototype a hidden class of
 * its own. That hidden class lives in the old generation until the next full collection and keeps
 * the request's logger alive, so each request's loggers were promoted and the full collections
 * came sooner (BENCHMARKS.md, "Hidden classes made per request").
 */
export function addRequestLogFields(fields: Bindings): void {
  const store = storage.getStore();

  if (!store) {
    return;
  }

  store.logger.setBindings(fields);

  if (store.responseLogger && store.responseLogger !== store.logger) {
    store.responseLogger.setBindings(fields);
  }
}
