import { createInterface } from 'node:readline/promises';
import { tokenStoreFor, withComposition } from '../../runtime/compose.ts';
import { ConnectError, runConnectFlow } from '../../runtime/connect-flow.ts';
import type { XeroConnection } from '../../xero/index.ts';
import { parseOptions, UsageError, writeLine, type CliCommand } from '../command.ts';

const DEFAULT_REDIRECT = 'http://localhost:5555/callback';

export const command: CliCommand = {
  name: 'connect',
  summary: 'connect a standard Xero app (XERO_AUTH=authorization_code): consent in the browser, token stored encrypted',
  usage: 'b24xero connect [--redirect-uri URL] [--tenant ID] [--timeout SECONDS]',
  help: [
    'options:',
    `  --redirect-uri URL   the loopback redirect registered for the app in developer.xero.com (default ${DEFAULT_REDIRECT})`,
    '  --tenant ID          which organisation to use when the consent covers several (default: ask, or the only one)',
    '  --timeout SECONDS    how long to wait for the browser (default 300)',
    'Prints a URL to open in a browser; after consent Xero redirects to the loopback address, where this command',
    'waits. On a server without a browser, forward the port first: ssh -L 5555:localhost:5555 <server>.',
    'The refresh token is stored encrypted (AES-256-GCM, key from XERO_CLIENT_SECRET) in b_b24xero_token; the daemon',
    'rotates it from then on. A Custom Connection (the default XERO_AUTH=client_credentials) needs no connect.',
  ],

  async run(ctx) {
    const values = parseOptions(ctx.args, { 'redirect-uri': { type: 'string' }, tenant: { type: 'string' }, timeout: { type: 'string' } });
    const timeoutSeconds = values.timeout === undefined ? 300 : Number(values.timeout);
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) throw new UsageError(`--timeout must be whole seconds, got '${values.timeout}'`);
    return withComposition(ctx, { requireXero: true, connectionLimit: 2, logStream: ctx.stderr }, async ({ config, db, redactor }) => {
      if (config.xero.auth !== 'authorization_code') {
        writeLine(ctx.stderr, 'b24xero connect: XERO_AUTH is client_credentials (a Custom Connection), which needs no connect; set XERO_AUTH=authorization_code for a standard app');
        return 1;
      }
      let result;
      try {
        result = await runConnectFlow({
          xero: config.xero, redirectUri: values['redirect-uri'] ?? DEFAULT_REDIRECT, redactor, timeoutMs: timeoutSeconds * 1000,
          onAuthorizeUrl: (url) => {
            writeLine(ctx.stdout, 'Open this address in a browser, sign in to Xero and allow access:');
            writeLine(ctx.stdout, `  ${url}`);
            writeLine(ctx.stdout, `waiting for Xero to redirect to ${values['redirect-uri'] ?? DEFAULT_REDIRECT} …`);
          },
        });
      } catch (error) {
        if (error instanceof ConnectError) {
          writeLine(ctx.stderr, `b24xero connect: ${error.message}`);
          return 1;
        }
        throw error;
      }
      const tenant = await chooseTenant(result.connections, values.tenant ?? config.xero.tenantId ?? undefined);
      if (typeof tenant === 'string') {
        writeLine(ctx.stderr, `b24xero connect: ${tenant}`);
        return 1;
      }
      await tokenStoreFor({ instance: config.instance, clientSecret: config.xero.clientSecret! }, db).replace(result.tokenSet, tenant.tenantId);
      writeLine(ctx.stdout, `connected to "${tenant.tenantName ?? tenant.tenantId}" (tenant ${tenant.tenantId}); the token is stored for instance '${config.instance}'`);
      if (result.connections.length > 1 && config.xero.tenantId !== tenant.tenantId) {
        writeLine(ctx.stdout, `several organisations are connected: put XERO_TENANT_ID=${tenant.tenantId} in the env file so the daemon uses this one`);
      }
      return 0;
    });
  },
};

/** The organisation to use, or the message saying why none could be chosen. */
async function chooseTenant(connections: XeroConnection[], wanted: string | undefined): Promise<XeroConnection | string> {
  const list = connections.map((c, i) => `  ${i + 1}. ${c.tenantName ?? '?'} (${c.tenantId})`).join('\n');
  if (connections.length === 0) return 'the consent connected no organisation: run connect again and pick one on Xero\'s page';
  if (wanted) return connections.find((c) => c.tenantId === wanted) ?? `tenant ${wanted} is not among the connected organisations:\n${list}`;
  if (connections.length === 1) return connections[0]!;
  if (!process.stdin.isTTY) return `several organisations are connected; choose one with --tenant ID:\n${list}`;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`Which organisation should this portal sync with?\n${list}\nnumber: `);
    return connections[Number(answer) - 1] ?? `'${answer}' is not one of 1-${connections.length}`;
  } finally {
    rl.close();
  }
}
