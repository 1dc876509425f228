// Child process: a bare Fastify app whose one route reads the JSON body and answers 204 — the baseline that
// shows what HTTP and Fastify alone cost on this machine. Prints {"ready":{"url"}} then, on SIGTERM, {"closed":{}}.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/bare', async (_request, reply) => reply.code(204).send());
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ ready: { url: `http://127.0.0.1:${port}` } })}\n`);
process.once('SIGTERM', async () => {
  await app.close();
  process.stdout.write(`${JSON.stringify({ closed: {} })}\n`, () => process.exit(0));
});
