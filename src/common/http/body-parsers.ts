import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { JsonParseError } from '../errors/problem';

/**
 * The body formats DRF's default parsers accept: JSON, form-urlencoded and
 * multipart (fields only; files stay buffers). Anything else with a body is a 415.
 * An empty JSON body is `{}`, as DRF reads it, so field errors say what is missing.
 */
export async function registerBodyParsers(
  instance: FastifyInstance,
  bodyLimit: number,
): Promise<void> {
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json$/,
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, {});
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(new JsonParseError((error as Error).message), undefined);
      }
    },
  );
  // A field sent twice reads as its last value, as Django's QueryDict does.
  await instance.register(formbody, {
    bodyLimit,
    parser: (text: string) => Object.fromEntries(new URLSearchParams(text)),
  });
  await instance.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fieldSize: bodyLimit, fileSize: bodyLimit, files: 5, fields: 100, parts: 105 },
  });
}
