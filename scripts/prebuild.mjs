#!/usr/bin/env node
// prepack step: build the N-API addon into prebuilds/<platform>-<arch>/ with prebuildify, so that the
// packed tarball needs no compiler (node-gyp-build loads it; scripts/build-native.mjs skips compiling).
// N-API (NAPI_VERSION 8 in binding.gyp): one binary serves Node 20, 22 and 24.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeGyp, offlineHeadersEnv } from './native-tools.mjs';

if (process.platform !== 'linux') {
  console.warn(`prebuild: the native addon is Linux-only; no prebuild made on ${process.platform}`);
  process.exit(0);
}
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
Object.assign(process.env, offlineHeadersEnv());
const prebuildify = createRequire(import.meta.url)('prebuildify');
prebuildify({ cwd: root, napi: true, strip: true, tagLibc: true, targets: [process.versions.node], nodeGyp: findNodeGyp() }, (err) => {
  if (err) {
    console.error(`prebuild: ${err.message}`);
    process.exit(1);
  }
  console.log('prebuild: prebuilds/ written');
});
