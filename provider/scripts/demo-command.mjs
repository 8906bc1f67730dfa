// The offline demo image's name and the demo job's command (no imports, so any script can load it).
export const DEMO_IMAGE = 'necto/demo:1';

/**
 * The demo job's command: prints progress once a second for `seconds` seconds, then writes
 * `<outputs>/result.txt`. Plain busybox `sh -c`, so the buyer reads exactly what runs.
 */
export function demoCommand(seconds = 30, outputs = '/outputs') {
  if (!Number.isInteger(seconds) || seconds < 0) throw new TypeError('seconds must be a non-negative integer');
  const script = [
    `n=${seconds}`,
    'i=0',
    'echo "necto demo: $n steps"',
    'while [ "$i" -lt "$n" ]; do i=$((i+1)); echo "step $i/$n ($((i*100/n))%)"; sleep 1; done',
    `mkdir -p ${outputs}`,
    `echo "necto demo finished $n steps at $(date -u +%Y-%m-%dT%H:%M:%SZ)" > ${outputs}/result.txt`,
    `echo "wrote ${outputs}/result.txt"`,
  ].join('; ');
  return ['sh', '-c', script];
}
