import { verifyBundleText } from '../../verify/verify-bundle';
export default function Page() {
  return <h1>TODO {String(verifyBundleText('{}', '').valid)}</h1>;
}
