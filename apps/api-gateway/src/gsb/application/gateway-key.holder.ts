import type { SigningKey } from './gateway-signing-key.js';

/** The chain-head key, loaded at boot (before any head is signed or the JWKS is served). */
export class GatewayKeyHolder {
  private current: SigningKey | null = null;

  get key(): SigningKey {
    if (!this.current) throw new Error('gateway signing key not loaded yet');
    return this.current;
  }

  set(key: SigningKey): void {
    this.current = key;
  }
}
