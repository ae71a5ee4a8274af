/**
 * What the console keeps, and where. The API key and the pinned log key live in sessionStorage: they
 * end with the tab and are never written to localStorage, where any later visitor of the machine
 * would find them. Only the language choice per party (not a secret) is remembered in localStorage.
 */
const apiKeyItem = 'tradeproof.apiKey';
const logKeyItem = 'tradeproof.logKey';
const languageItem = (partyId: string) => `tradeproof.language.${partyId}`;

export function currentApiKey(): string | null {
  return sessionStorage.getItem(apiKeyItem);
}

export function pinnedLogKey(): string | null {
  return sessionStorage.getItem(logKeyItem);
}

export function keepSession(apiKey: string, logKey: string): void {
  sessionStorage.setItem(apiKeyItem, apiKey);
  sessionStorage.setItem(logKeyItem, logKey);
}

export function endSession(): void {
  sessionStorage.removeItem(apiKeyItem);
  sessionStorage.removeItem(logKeyItem);
}

export function rememberedLanguage(partyId: string): string | null {
  return localStorage.getItem(languageItem(partyId));
}

export function rememberLanguage(partyId: string, language: string): void {
  localStorage.setItem(languageItem(partyId), language);
}
