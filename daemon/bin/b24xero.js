#!/usr/bin/env node
// The `b24xero` bin. The daemon ships as TypeScript sources, so tsx's loader is registered first; then the CLI runs.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
