/** Where the demo (and any client on this machine) finds the ledger: --url, else HOST and PORT as npm start reads them. */
import { describe, expect, it } from 'vitest';
import { ledgerUrl } from '../../scripts/ledger-url.js';

describe('ledgerUrl', () => {
  it('takes --url as given, over HOST and PORT', () => {
    expect(ledgerUrl('https://ledger.example.com/graphql', { PORT: '5000' })).toEqual({
      url: 'https://ledger.example.com/graphql',
      from: '--url',
    });
  });

  it('without --url, uses the server defaults, or HOST and PORT, reaching every-interface addresses by loopback', () => {
    expect(ledgerUrl(undefined, {})).toEqual({
      url: 'http://127.0.0.1:4000/graphql',
      from: 'the default, as npm start without HOST and PORT',
    });
    expect(ledgerUrl(undefined, { HOST: '0.0.0.0', PORT: '7410' }).url).toBe('http://127.0.0.1:7410/graphql');
    expect(ledgerUrl(undefined, { HOST: '::' }).url).toBe('http://[::1]:4000/graphql');
    expect(ledgerUrl(undefined, { HOST: '::1', PORT: '7411' }).url).toBe('http://[::1]:7411/graphql');
    expect(ledgerUrl(undefined, { HOST: 'ledger.internal' })).toEqual({
      url: 'http://ledger.internal:4000/graphql',
      from: 'HOST and PORT',
    });
  });

  it('says what to change when it cannot tell', () => {
    expect(() => ledgerUrl('localhost:4000', {})).toThrow(
      '--url must be an http(s) URL such as http://127.0.0.1:4000/graphql, got "localhost:4000"',
    );
    expect(() => ledgerUrl(undefined, { PORT: '0' })).toThrow(
      'PORT=0 lets the server pick its port: give the URL it printed with --url',
    );
    expect(() => ledgerUrl(undefined, { PORT: 'http' })).toThrow('PORT must be a whole number, got "http"');
  });
});
