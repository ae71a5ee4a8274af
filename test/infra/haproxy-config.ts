/**
 * Just enough of an HAProxy configuration reader for the compose tests: sections (global, defaults,
 * listen, frontend, backend) with their directive lines, comments dropped.
 */
export interface HaproxySection {
  kind: string;
  name: string;
  lines: string[];
}

export interface HaproxyServer {
  name: string;
  host: string;
  port: number;
  /** The words after the address: check, port 8080, inter 2s … */
  options: string[];
}

const sectionKinds = new Set(['global', 'defaults', 'listen', 'frontend', 'backend']);

export function parseHaproxy(text: string): HaproxySection[] {
  const sections: HaproxySection[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim().replace(/\s+/g, ' ');
    if (line === '') continue;
    const [first = '', second = ''] = line.split(' ');
    if (sectionKinds.has(first) && !/^\s/.test(raw)) {
      sections.push({ kind: first, name: second, lines: [] });
      continue;
    }
    const current = sections.at(-1);
    if (current === undefined) throw new Error(`a directive before any section: ${line}`);
    current.lines.push(line);
  }
  return sections;
}

/** The value of the first directive of a section starting with `keyword` (words after it), or null. */
export function directive(section: HaproxySection | undefined, keyword: string): string | null {
  const line = section?.lines.find((entry) => entry === keyword || entry.startsWith(`${keyword} `));
  return line === undefined ? null : line.slice(keyword.length).trim();
}

export function servers(section: HaproxySection | undefined): HaproxyServer[] {
  return (section?.lines ?? [])
    .filter((line) => line.startsWith('server '))
    .map((line) => {
      const [, name = '', address = '', ...options] = line.split(' ');
      const colon = address.lastIndexOf(':');
      return { name, host: address.slice(0, colon), port: Number(address.slice(colon + 1)), options };
    });
}

/** The port a `check port N` option names, else the server's own port. */
export function checkPort(server: HaproxyServer): number {
  const at = server.options.indexOf('port');
  return at === -1 ? server.port : Number(server.options[at + 1]);
}

/** The section that binds `port` (a listen or a frontend), and the one holding its servers. */
export function proxyFor(
  sections: readonly HaproxySection[],
  port: number,
): { front: HaproxySection; back: HaproxySection } {
  const front = sections.find(
    (section) =>
      (section.kind === 'listen' || section.kind === 'frontend') &&
      (directive(section, 'bind') ?? '').split(' ').some((bind) => bind.endsWith(`:${port}`)),
  );
  if (front === undefined) throw new Error(`no listen or frontend binds :${port}`);
  if (front.kind === 'listen') return { front, back: front };
  const name = directive(front, 'default_backend');
  const back = sections.find((section) => section.kind === 'backend' && section.name === name);
  if (back === undefined) throw new Error(`frontend ${front.name} names no existing default_backend`);
  return { front, back };
}

/** A directive of a proxy, falling back to the defaults section as HAProxy does. */
export function effective(
  sections: readonly HaproxySection[],
  section: HaproxySection,
  keyword: string,
): string | null {
  return (
    directive(section, keyword) ??
    directive(
      sections.find((entry) => entry.kind === 'defaults'),
      keyword,
    )
  );
}
