/**
 * node dist/scripts/cpu-profile-summary.js <file.cpuprofile> [top]
 *
 * Where a CPU profile (`node --cpu-prof`, as `BENCH_CPU_PROF=<dir> npm run
 * bench` takes of the API) spent its time: self time grouped by package
 * (node_modules/<name>), by the API's own source file, by built-in function
 * (JSON.stringify and the like), or by V8's own entries (garbage
 * collection, idle, the program itself), as shares of the
 * busy (not idle) time. Prints a markdown table.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The group a frame's self time is counted under. */
export function groupOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const source = url.indexOf('/dist/');
  return source >= 0 ? url.slice(source + '/dist/'.length) : url;
}

export function summarise(profile: Profile): { group: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const group = groupOf(byId.get(id)!.callFrame);
    totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busy = [...totals].filter(([group]) => group !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
  return [...totals]
    .filter(([group]) => group !== '(idle)')
    .map(([group, us]) => ({ group, ms: us / 1000, share: us / busy }))
    .sort((a, b) => b.ms - a.ms);
}

if (process.argv[2]) {
  const top = Number(process.argv[3] ?? 25);
  const rows = summarise(JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile).slice(0, top);
  process.stdout.write(['| where | self time | share of busy time |', '|---|---|---|', ...rows.map((r) => `| ${r.group} | ${r.ms.toFixed(0)} ms | ${(r.share * 100).toFixed(1)}% |`)].join('\n') + '\n');
}
