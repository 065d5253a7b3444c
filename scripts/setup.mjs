// Makes sure what a build needs is on the machine: Debian packages (installed with apt-get
// when running as root on Debian, otherwise named in a clear message) and npm packages.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

// What each need is checked by, and the Debian package that brings it.
const REQUIREMENTS = {
  cmake: { check: () => onPath('cmake'), apt: 'cmake' },
  compiler: { check: () => onPath('g++'), apt: 'g++' },
  nlohmann: { check: () => existsSync('/usr/include/nlohmann/json.hpp'), apt: 'nlohmann-json3-dev' },
  boostTest: { check: () => existsSync('/usr/include/boost/test/unit_test.hpp'), apt: 'libboost-test-dev' },
  emscripten: { check: () => onPath('emcc'), apt: 'emscripten' },
  chromium: { check: () => existsSync('/usr/bin/chromium'), apt: 'chromium' },
};

export const NEEDS = {
  demo: ['cmake', 'compiler', 'nlohmann', 'emscripten'],
  test: ['cmake', 'compiler', 'nlohmann', 'boostTest', 'emscripten', 'chromium'],
  bench: ['cmake', 'compiler', 'nlohmann', 'emscripten', 'chromium'],
};

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function canUseApt() {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && onPath('apt-get');
}

function installDebianPackages(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`parcours: installing Debian packages: ${packages.join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}

function ensureNodeModules() {
  const wanted = ['esbuild', 'typescript', 'playwright-core'];
  if (wanted.every((name) => existsSync(join(ROOT, 'node_modules', name, 'package.json')))) return;
  const command = existsSync(join(ROOT, 'package-lock.json')) ? 'ci' : 'install';
  console.log(`parcours: installing npm packages (npm ${command})`);
  execFileSync('npm', [command, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
}

/** Installs or names what `purpose` ('demo' or 'test') needs; exits with a message if it cannot. */
export function ensurePrerequisites(purpose) {
  const missing = NEEDS[purpose].filter((name) => !REQUIREMENTS[name].check());
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((name) => REQUIREMENTS[name].apt))];
    if (!canUseApt()) {
      console.error(
        `parcours: missing prerequisites for 'npm run ${purpose}'. On Debian or Ubuntu install them with:\n` +
          `  sudo apt-get install -y ${packages.join(' ')}\n` +
          'then run the command again.',
      );
      process.exit(1);
    }
    installDebianPackages(packages);
    const still = missing.filter((name) => !REQUIREMENTS[name].check());
    if (still.length > 0) {
      console.error(`parcours: still missing after apt-get: ${still.join(', ')}`);
      process.exit(1);
    }
  }
  ensureNodeModules();
}
