// GET /api/openapi.json (the OpenAPI 3.1 document) and GET /api/docs (a readable page of it, no scripts).
import type { FastifyInstance } from 'fastify';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function registerApiDocs(app: FastifyInstance): void {
  app.get('/api/openapi.json', { config: { scope: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get('/api/docs', { config: { scope: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const document = app.swagger() as { paths?: Record<string, Record<string, Operation>> };
    const rows = Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const params = (op.parameters ?? [])
          .map(
            (p) =>
              `<code>${escapeHtml(p.name)}</code>${p.required ? '*' : ''} ${escapeHtml(p.description ?? '')}`,
          )
          .join('<br>');
        return `<tr><td>${escapeHtml(op.tags?.join(', ') ?? '')}</td><td><code>${method.toUpperCase()} ${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}</td><td>${params}</td></tr>`;
      }),
    );
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Fidelio API</title><style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:75rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}code{font-size:13px}</style></head>
<body><h1>Fidelio API v1</h1><p>Authenticate with <code>Authorization: Bearer &lt;API key&gt;</code> or a browser session (POST /api/v1/session; send <code>X-CSRF-Token</code> on changes). Errors are <code>application/problem+json</code> with the path of each bad field. The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a>. Guide: docs/api.md.</p>
<table><thead><tr><th>area</th><th>operation</th><th>what</th><th>parameters</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`;
  });
}
