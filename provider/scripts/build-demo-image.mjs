#!/usr/bin/env node
// Builds the offline demo image `necto/demo:1`: a rootfs of Debian's static busybox (`/bin/busybox` and one
// symlink per applet) imported with `podman import`. No registry is needed. Idempotent: the image carries a
// label with the hash of what went into it and is rebuilt only when that changes.
//
//   node provider/scripts/build-demo-image.mjs        (as root it installs podman, runc, busybox-static when missing)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_IMAGE, demoCommand } from './demo-command.mjs';
import { ensureDebianPackages, podmanGlobalArgs } from './podman-service.mjs';

export { DEMO_IMAGE, demoCommand };

const BUSYBOX = '/bin/busybox';
const HASH_LABEL = 'necto.demo.build';


function podman(args, { input } = {}) {
  return spawnSync('podman', args, { encoding: 'utf8', input, maxBuffer: 16 * 1024 * 1024 });
}

/** The label value that identifies this build: busybox's bytes and the image recipe. */
function buildHash(command) {
  return createHash('sha256')
    .update(readFileSync(BUSYBOX))
    .update(JSON.stringify({ command, layout: 2 }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Ensures `necto/demo:1` exists in the podman store named by `podmanArgs` (global options such as
 * `--root`/`--runroot`; default: podman's own store). Returns { image, id, built }.
 */
export function buildDemoImage({ podmanArgs = podmanGlobalArgs(), tag = DEMO_IMAGE, quiet = true } = {}) {
  ensureDebianPackages(['podman', 'runc', 'busybox-static'], { quiet });
  const command = demoCommand(30);
  const hash = buildHash(command);
  const existing = podman([...podmanArgs, 'image', 'inspect', '--format', `{{.Id}} {{index .Labels "${HASH_LABEL}"}}`, tag]);
  if (existing.status === 0) {
    const [id, label] = existing.stdout.trim().split(' ');
    if (label === hash && id) return { image: tag, id: `sha256:${id.replace(/^sha256:/, '')}`, built: false };
  }

  const work = mkdtempSync(join(tmpdir(), 'necto-demo-'));
  try {
    const rootfs = join(work, 'rootfs');
    for (const dir of ['bin', 'etc', 'tmp', 'outputs', 'proc', 'sys', 'dev', 'root']) mkdirSync(join(rootfs, dir), { recursive: true });
    chmodSync(join(rootfs, 'tmp'), 0o1777);
    copyFileSync(BUSYBOX, join(rootfs, 'bin/busybox'));
    chmodSync(join(rootfs, 'bin/busybox'), 0o755);
    const applets = spawnSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((a) => /^[\w.[-]+$/.test(a));
    if (!applets.includes('sh')) throw new Error(`${BUSYBOX} lists no sh applet: is busybox-static installed?`);
    for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(rootfs, 'bin', applet));
    writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
    writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    const tarball = join(work, 'rootfs.tar');
    const tar = spawnSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-cf', tarball, '.'], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    const imported = podman([
      ...podmanArgs,
      'import',
      '--quiet',
      '--change', `CMD ${JSON.stringify(command)}`,
      '--change', 'ENV PATH=/bin',
      '--change', 'WORKDIR /',
      '--change', `LABEL ${HASH_LABEL}=${hash}`,
      '--message', 'necto demo image (busybox-static)',
      tarball,
      tag,
    ]);
    if (imported.status !== 0) throw new Error(`podman import failed: ${imported.stderr.trim()}`);
    const id = imported.stdout.trim().split('\n').pop() ?? '';
    if (!quiet) console.log(`built ${tag} (${id})`);
    return { image: tag, id: `sha256:${id.replace(/^sha256:/, '')}`, built: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { image, id, built } = buildDemoImage({ quiet: false });
    console.log(built ? `${image} ready (${id})` : `${image} already present (${id})`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
