/**
 * The process settings Gatehouse is measured with (README, Benchmark), applied on
 * import. `main.ts` imports it first; an application that embeds Gatehouse's
 * modules does the same, before anything else loads: `import '@gatehouse-auth/nestjs/runtime';`.
 */
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

// libuv's pool hashes passwords; more threads than cores only makes them fight.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));

// V8 moves an allocation site's objects straight to the old space once it has
// seen them survive young-generation GCs. Here it decides so while ~1,800 modules
// load at boot, and under concurrent requests, for sites the request path shares
// (streams, HTTP parsing, promises): every request's short-lived objects then pile
// up in the old space until a full GC. Off, `npm run bench` measured ~20 % less
// CPU per authenticated request and ~25 % less peak RSS. V8 reads the flag at each
// GC and compile, so setting it before the modules load holds.
setFlagsFromString('--no-allocation-site-pretenuring');
