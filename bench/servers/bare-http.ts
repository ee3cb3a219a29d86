import { createServer } from 'node:http';

/**
 * The ceiling: a node:http server that reads the request body and responds 200 with a small JSON
 * body, doing no other work. No Node service on this machine can respond faster than this.
 */
const port = Number(process.env.PORT ?? 28084);
const responseBody = JSON.stringify({ status: 'stored' });

const server = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(responseBody),
    });
    response.end(responseBody);
  });
});

server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
