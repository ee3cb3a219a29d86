'use strict';

const readline = require('node:readline');

// The native engine reports every engine error under this JSON-RPC code, with the Prisma error
// in `data`, which is where the Prisma CLI reads it.
const ENGINE_ERROR_CODE = 4466;
const ENGINE_ERROR_MESSAGE = 'An error happened. Check the data field for details.';
const METHOD_NOT_FOUND_CODE = -32601;

class MethodNotFoundError extends Error {}

/**
 * Serves line-delimited JSON-RPC 2.0 on stdin and stdout, the protocol the Prisma CLI speaks to
 * its schema engine.
 *
 * Requests run one at a time, because every wasm engine method borrows the engine mutably
 * (`&mut self`), and wasm-bindgen throws when a second call starts while one is running.
 * Handlers can send `print` requests to the CLI, which writes their content to its stdout.
 *
 * @param {(method: string, params: unknown, rpc: { print(content: string): Promise<void> }) => Promise<unknown>} handle
 *   runs one request and returns its result; throws MethodNotFoundError for an unknown method
 * @param {(error: unknown) => object} toErrorData converts a thrown error to the `data` object
 */
function serveJsonRpc(handle, toErrorData) {
  const pendingPrints = new Map();
  let nextPrintId = 1;
  let queue = Promise.resolve();
  let rejectActiveRequest;

  function send(message) {
    process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  }

  const rpc = {
    print(content) {
      const id = nextPrintId++;
      return new Promise((resolve) => {
        pendingPrints.set(id, resolve);
        send({ id, method: 'print', params: { content } });
      });
    },
  };

  async function runRequest({ id, method, params }) {
    const failure = new Promise((resolve, reject) => {
      rejectActiveRequest = reject;
    });

    let response;
    try {
      const result = await Promise.race([handle(method, params, rpc), failure]);
      // JSON has no undefined, and the CLI treats a response without `result` as invalid.
      response = { id, result: result ?? null };
    } catch (error) {
      if (error instanceof MethodNotFoundError) {
        response = { id, error: { code: METHOD_NOT_FOUND_CODE, message: error.message } };
      } else {
        const data = toErrorData(error);
        // For a panic the CLI shows the top-level message, so it carries the panic message.
        const message = data.is_panic ? data.message : ENGINE_ERROR_MESSAGE;
        response = { id, error: { code: ENGINE_ERROR_CODE, message, data } };
      }
    }
    rejectActiveRequest = undefined;
    if (id !== undefined) {
      send(response);
    }
  }

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });

  lines.on('line', (line) => {
    if (line.trim() === '') {
      return;
    }

    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({
        id: null,
        error: {
          code: -32700,
          message: `Invalid JSON-RPC message (parse error): ${line.slice(0, 200)}`,
        },
      });
      return;
    }

    if (message.method === undefined) {
      // A response from the CLI to one of our print requests.
      pendingPrints.get(message.id)?.();
      pendingPrints.delete(message.id);
      return;
    }

    queue = queue.then(() => runRequest(message));
  });

  // The CLI closes stdin to stop the engine.
  lines.on('close', () => {
    queue.finally(() => process.exit(0));
  });

  return {
    /**
     * Sends `error` as the response to the running request, for a failure that its handler
     * cannot report, and moves on to the next request. Returns false when no request is running.
     */
    failActiveRequest(error) {
      if (!rejectActiveRequest) {
        return false;
      }
      rejectActiveRequest(error);
      return true;
    },
  };
}

module.exports = { serveJsonRpc, MethodNotFoundError };
