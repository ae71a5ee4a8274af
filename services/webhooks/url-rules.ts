/**
 * What a webhook URL may be, and which addresses the server may call. A webhook makes the server send
 * requests where a party says, so, where the operator asks (the default in production), private,
 * loopback and link-local addresses are refused: at registration for a literal address or a
 * localhost name, and again at delivery for the address a name resolves to.
 */
import { BlockList, isIP } from 'node:net';
import { type Failure, fail, ok, type Result } from '../result.js';
import { webhookUrlLengthMax } from './webhook.js';

const privateV4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateV4.addSubnet(network, prefix, 'ipv4');
}
const privateV6 = new BlockList();
for (const [network, prefix] of [
  // Unspecified, loopback and the deprecated IPv4-compatible addresses.
  ['::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateV6.addSubnet(network, prefix, 'ipv6');
}

/** Loopback, private, link-local, shared, multicast or reserved: nothing a party's public receiver uses. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return privateV4.check(bare, 'ipv4');
  if (family !== 6) return false;
  // An IPv4-mapped IPv6 address reaches the IPv4 address it embeds, written either way:
  // ::ffff:10.0.0.1 or, as the URL parser writes it, ::ffff:a00:1.
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)?.[1];
  if (dotted) return privateV4.check(dotted, 'ipv4');
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(bare);
  if (hex?.[1] && hex[2]) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return privateV4.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  return privateV6.check(bare, 'ipv6');
}

function refuse(message: string): Failure {
  return fail('webhook_url_invalid', message, 'url');
}

/**
 * The URL in normal form (as the WHATWG URL parser writes it), or webhook_url_invalid: not an
 * absolute http(s) URL, longer than 2048 characters, with a user name or password (the signature
 * authenticates the sender; a receiver's own credentials would sit in the database in clear) or a
 * fragment; or, unless private addresses are allowed, a literal private address or localhost.
 */
export function parseWebhookUrl(raw: string, options: { privateAddressesAllowed: boolean }): Result<string> {
  if (raw.length < 1 || raw.length > webhookUrlLengthMax) {
    return refuse(`url must be 1 to ${webhookUrlLengthMax} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('url is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse(`url must start with https:// or http://, not ${url.protocol}//`);
  }
  if (url.hostname === '') return refuse('url names no host');
  if (url.username !== '' || url.password !== '') {
    return refuse(
      'url must not carry a user name or password: verify the Tradeproof-Signature header instead',
    );
  }
  if (url.hash !== '' || raw.includes('#')) return refuse('url must not have a #fragment');
  if (url.href.length > webhookUrlLengthMax)
    return refuse(`url must be at most ${webhookUrlLengthMax} characters`);
  if (!options.privateAddressesAllowed) {
    const host = url.hostname.toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) {
      return refuse(
        `url names ${url.hostname}, a loopback or private address: this server delivers only to public addresses`,
      );
    }
  }
  return ok(url.href);
}
