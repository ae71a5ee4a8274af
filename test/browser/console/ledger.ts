/** What the console tests' global setup hands every test: the ledger's address and the demo's keys. */
export interface ConsoleLedger {
  /** http://127.0.0.1:<port>, serving the console at / and the API at /graphql. */
  base: string;
  /** API keys by role (admin, core, ningbo, suzhou, wuxi, changzhou, jiangyin, lender, auditor). */
  apiKeys: Record<string, string>;
  /** Key files of the parties that sign with their own key (core, ningbo). */
  keyFiles: Record<string, string>;
}

/** The demo's parties, by the role each plays in the console tests. */
export const demoNames = {
  core: 'Huadong Heavy Machinery Group',
  subsidiary: 'Huadong Machinery Leasing',
  ningbo: 'Ningbo Precision Gears',
  suzhou: 'Suzhou Hydraulics',
  wuxi: 'Wuxi Steel Forging',
  changzhou: 'Changzhou Bearing Works',
  jiangyin: 'Jiangyin Special Steel',
  lender: 'Bank of Jiangnan Supply Chain Finance',
  auditor: 'Jiangsu Trade Audit',
} as const;

declare module 'vitest' {
  export interface ProvidedContext {
    consoleLedger: ConsoleLedger;
  }
}
