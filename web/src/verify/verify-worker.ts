/**
 * The verifier off the page's thread: a bundle of thousands of events takes seconds of hashing and
 * curve arithmetic, and the page stays responsive meanwhile. Same code as verify-bundle.ts runs.
 */
import { verifyBundleText } from './verify-bundle';

export interface VerifyRequest {
  text: string;
  logKey: string;
}

self.onmessage = (event: MessageEvent<VerifyRequest>) => {
  self.postMessage(verifyBundleText(event.data.text, event.data.logKey));
};
