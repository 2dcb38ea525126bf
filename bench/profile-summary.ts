/**
 * `node dist/bench/profile-summary.js <file.cpuprofile> [requests] [--last <s>] [--top <n>] [--match <re>]`:
 * a V8 CPU profile (BENCH_PROFILE_DIR) as self and inclusive time per function,
 * divided by `requests` (µs per request) when given. `--last` keeps the samples of
 * the last seconds before the profile ends (the load, not the boot). The samples
 * are wall-clock: on a busy machine every function's share is inflated alike, so
 * compare shares, or two profiles taken at once.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

const [file, requestsArg] = process.argv.slice(2);
const requests = Number(requestsArg) > 0 ? Number(requestsArg) : 1;
const lastUs = Number(option('--last') ?? 0) * 1e6;
const top = Number(option('--top') ?? 40);
const match = option('--match');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);

// Sample times, and the time each node was on top of the stack within the window.
let t = profile.startTime;
const times = profile.timeDeltas.map((delta) => (t += delta));
const end = times[times.length - 1] ?? profile.startTime;
const onTop = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (lastUs > 0 && times[i] < end - lastUs) return;
  onTop.set(id, (onTop.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

const label = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/.*node_modules\//, '~/')}:${f.lineNumber + 1}`;
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (const [id, time] of onTop) {
  total += time;
  const node = nodes.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + time);
  // Each function once per stack, however deep it recurses.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = label(nodes.get(at)!);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + time);
  }
}

const unit = requests > 1 ? 'µs/request' : 'µs';
const rows = (times: Map<string, number>) =>
  [...times]
    .filter(([name]) => !match || new RegExp(match).test(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, time]) => `${(time / requests).toFixed(2).padStart(10)}  ${name}`);
process.stdout.write(
  [
    `${(total / requests).toFixed(1)} ${unit} sampled`,
    '',
    `self (${unit})`,
    ...rows(self),
    '',
    `inclusive (${unit})`,
    ...rows(inclusive),
  ].join('\n') + '\n',
);
