import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * While the server closes, every answer says `Connection: close`: a request
 * that was in flight when the close began is answered, then its keep-alive
 * connection ends instead of holding the close open until the idle timeout.
 * Answers what to run on every answer, before its headers go out.
 */
export function closeConnectionsWhenClosing(
  instance: FastifyInstance,
): (reply: FastifyReply) => void {
  let closing = false;
  instance.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  return (reply) => {
    if (closing) void reply.header('connection', 'close');
  };
}
