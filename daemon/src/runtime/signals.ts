/**
 * The one place the daemon listens for SIGTERM / SIGINT: the first asks for a graceful stop (the call in flight
 * finishes, state is persisted, the process ends within systemd's stop timeout); a second one ends the process at
 * once — what an administrator pressing Ctrl-C twice means. Intents are recorded before every Xero create, so even
 * that loses nothing: the next start looks the object up before creating it again.
 */
export interface SignalHandlers {
  remove(): void;
}

export function onStopSignals(graceful: (signal: NodeJS.Signals) => void, forceful: (signal: NodeJS.Signals) => void): SignalHandlers {
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) graceful(signal);
    else forceful(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    remove() {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}
