// The desk's secrets sealed by the operating system: Electron's safeStorage (DPAPI on Windows, the
// Keychain on macOS, the desktop's secret store on Linux). Where it cannot really encrypt (no secret
// store on Linux: its `basic_text` backend uses a fixed password), nothing is pretended: the values
// stay plain and the settings screen says so.
import type { SafeStorage } from 'electron';
import { encryptingBox, type SecretBox } from '../store/repos/secrets';

export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/** The box over safeStorage, or undefined (plain) when the system offers no real encryption. Call after `ready`. */
export function osSecretBox(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return undefined;
  return encryptingBox(
    (value) => safeStorage.encryptString(value),
    (data) => safeStorage.decryptString(data),
  );
}
