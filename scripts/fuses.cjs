// electron-builder afterPack hook: flips Electron's fuses on the packaged binary (Electron's
// security checklist). RunAsNode off (the app cannot be abused as a Node interpreter), no
// NODE_OPTIONS or --inspect, cookies encrypted, the app loaded only from its ASAR, whose integrity
// is validated where the platform supports it (Windows and macOS).
const { FuseV1Options, FuseVersion, flipFuses } = require('@electron/fuses');
const path = require('node:path');

/** The fuse settings, exported so a test can assert them. */
const fuses = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

function executableOf(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName ?? name.toLowerCase());
}

async function afterPack(context) {
  const asarIntegrity = ['win32', 'darwin'].includes(context.electronPlatformName);
  await flipFuses(executableOf(context), {
    ...fuses,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: asarIntegrity,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin',
  });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuses = fuses;
