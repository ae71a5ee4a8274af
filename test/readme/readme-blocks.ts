/**
 * README.md's examples as data: each ```graphql and ```sh fence, with the line it starts on and the
 * reason given when it is not run (an HTML comment `<!-- not run: … -->` on the line before it).
 */
export interface ReadmeBlock {
  language: 'graphql' | 'sh';
  line: number;
  text: string;
  /** Why the README runner leaves it out, when it does. */
  notRun: string | null;
}

export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = readme.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^\s*```(graphql|sh)\s*$/.exec(lines[index] ?? '');
    if (!fence) continue;
    const indent = (lines[index] ?? '').indexOf('`');
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length && !/^\s*```\s*$/.test(lines[end] ?? ''); end++) {
      body.push((lines[end] ?? '').slice(indent));
    }
    const before = lines.slice(Math.max(0, index - 2), index).join('\n');
    const notRun = /<!--\s*not run:\s*([\s\S]*?)-->/.exec(before)?.[1]?.trim() ?? null;
    blocks.push({ language: fence[1] as 'graphql' | 'sh', line: index + 1, text: body.join('\n'), notRun });
    index = end;
  }
  return blocks;
}

/** `# as admin` in a GraphQL example: whose API key runs it (the demo's tier-2 supplier by default). */
export function actingAs(block: ReadmeBlock): string {
  return /^\s*#\s*as (\w[\w-]*)\s*$/m.exec(block.text)?.[1] ?? 'supplier';
}

/** `# variables: {…}` in a GraphQL example: its variables, as JSON on that one line. */
export function variablesOf(block: ReadmeBlock): Record<string, unknown> {
  const json = /^\s*#\s*variables:\s*(\{.*\})\s*$/m.exec(block.text)?.[1];
  return json ? (JSON.parse(json) as Record<string, unknown>) : {};
}

/** `# keeps a.b.c as <NAME>`: a value of the answer that later examples use. */
export function keptValues(block: ReadmeBlock): Array<{ path: string[]; name: string }> {
  return [...block.text.matchAll(/^\s*#\s*keeps ([\w.]+) as <([A-Z0-9_]+)>\s*$/gm)].map((match) => ({
    path: (match[1] ?? '').split('.'),
    name: match[2] ?? '',
  }));
}

/** `# answers DomainError CODE`: the example shows a refusal on purpose. */
export function expectedRefusal(block: ReadmeBlock): string | null {
  return /^\s*#\s*answers DomainError ([A-Z_]+)\s*$/m.exec(block.text)?.[1] ?? null;
}

/** Every `<NAME>` placeholder the text names. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/<([A-Z][A-Z0-9_]*)>/g)].map((match) => match[1] ?? ''))];
}
