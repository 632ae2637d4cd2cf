/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a HELP, a TYPE, or a
 * sample `name{label="value",…} number`, each sample belongs to a family declared by TYPE before it, and label
 * values are properly escaped. Throws naming the first line that is not. NaN is read case-insensitively, as
 * Prometheus's own parser (Go's ParseFloat) does: prom-client prints the event-loop lag as `Nan` before its first sample.
 */
export interface PromFamily {
  type: string;
  help: string;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*",?)*)\\})? (-?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|\\+Inf|-Inf|[Nn][Aa][Nn]))(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const fail = (why: string) => { throw new Error(`line ${i + 1} ${why}: ${JSON.stringify(line)}`); };
    if (line.startsWith('# HELP ')) {
      const [, name, help] = /^# HELP (\S+) ?(.*)$/.exec(line) ?? fail('is a bad HELP');
      families.set(name!, { ...(families.get(name!) ?? { type: '', samples: [] }), help: help ?? '' });
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const [, name, type] = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line) ?? fail('is a bad TYPE');
      families.set(name!, { ...(families.get(name!) ?? { help: '', samples: [] }), type: type! });
      return;
    }
    if (line.startsWith('#') || line.trim() === '') return; // comments and empty lines are ignored by the format
    const m = SAMPLE.exec(line) ?? fail('is not a sample');
    const name = m[1]!;
    const family = families.get(name) ?? families.get(SUFFIXES.map((s) => (name.endsWith(s) ? name.slice(0, -s.length) : '')).find((n) => n && families.has(n)) ?? '');
    if (!family || !family.type) fail('has no TYPE before it');
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    family!.samples.push({ name, labels, value: /^nan$/i.test(m[3]!) ? NaN : Number(m[3]!.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity')) });
  });
  return families;
}
