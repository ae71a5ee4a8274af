/**
 * Removing a test's DATA_DIR. As root, where the postgres user cannot reach the folder, the embedded
 * cluster lives under /var/lib/tradeproof instead, and DATA_DIR's postgres-location names it: it
 * goes too, or every run as root would leave a cluster behind.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { locationFileName } from '../../services/db/embedded-place.js';

export function removeDataDir(dataDir: string): void {
  const location = path.join(dataDir, locationFileName);
  const cluster = existsSync(location) ? readFileSync(location, 'utf8').split('\n')[0] : undefined;
  if (cluster) rmSync(path.dirname(cluster), { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
