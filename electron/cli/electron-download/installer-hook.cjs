// Preloaded (node --require) into the electron package's own installer by `lab start`. The
// installer downloads through @electron/get, which uses the global fetch: this wrapper tells the
// lab over the IPC channel when a request starts, when it is answered and how many bytes have
// arrived (so the lab can show progress and give up on a silent network), and names the network
// error behind undici's bare "fetch failed" (ENOTFOUND, ECONNREFUSED...) in the installer's message.
'use strict';

const realFetch = globalThis.fetch;
const report = (message) => {
  if (process.send && process.connected) process.send(message);
};

globalThis.fetch = async function fetchWithReports(input, init) {
  const url = String(input && typeof input === 'object' && 'url' in input ? input.url : input);
  report({ type: 'request', url });
  let response;
  try {
    response = await realFetch(input, init);
  } catch (error) {
    const cause = error && error.cause;
    const why = cause ? String(cause.message || cause.code || cause) : 'no reason given';
    throw new Error(`${error.message} for ${url}: ${why}`, { cause: error });
  }
  const total = Number(response.headers.get('content-length')) || null;
  report({ type: 'response', url, status: response.status, total });
  if (!response.body) return response;
  let bytes = 0;
  let reported = 0;
  const counted = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes - reported >= 256 * 1024) {
          reported = bytes;
          report({ type: 'bytes', url, bytes, total });
        }
        controller.enqueue(chunk);
      },
      flush() {
        report({ type: 'done', url, bytes, total });
      },
    }),
  );
  const wrapped = new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(wrapped, 'url', { value: response.url });
  return wrapped;
};
