import type { FastifyInstance } from 'fastify';

/**
 * While the server closes, every answer says `Connection: close`: a request
 * that was in flight when the close began is answered, then its keep-alive
 * connection ends instead of holding the close open until the idle timeout.
 */
export function closeConnectionsWhenClosing(instance: FastifyInstance): void {
  let closing = false;
  instance.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  instance.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
