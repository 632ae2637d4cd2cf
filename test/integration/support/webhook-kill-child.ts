/**
 * A daemon-side process for the webhook kill -9 test: the real composition from the environment (like `b24xero`),
 * the real 'webhooks' job with the real invoice puller — which, once the puller has queued its inbox rows, says
 * `pulled <ids>` and then waits forever, so the test's SIGKILL lands after the effect and before the events are
 * marked processed. Run as `node --import tsx webhook-kill-child.ts` with the world's env.
 */
import { compose } from '../../../daemon/src/runtime/compose.ts';
import { runWebhookJob } from '../../../daemon/src/runtime/webhook-job.ts';
import { pullInvoices } from '../../../daemon/src/sync/pull/invoice-pull.ts';

const app = compose({ env: process.env, cwd: '/' }, { requireXero: true, logStream: process.stderr });
await runWebhookJob(app.passDeps(), {
  invoices: async (ctx, ids) => {
    await pullInvoices(ctx, { ids });
    process.stdout.write(`pulled ${ids.join(',')}\n`);
    await new Promise(() => setInterval(() => undefined, 60_000)); // held open until the SIGKILL
  },
});
