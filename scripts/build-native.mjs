#!/usr/bin/env node
// Builds the libtorch addon with node-gyp. Debian's libtorch-dev by default; LIBTORCH=<dir> for any other
// libtorch, such as <site-packages>/torch from a CUDA PyTorch installation.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const addon = join(root, 'native', 'build', 'Release', 'normality.node');
// Installed as a dependency, the package is rebuilt with npm rebuild; in a clone, with npm run build:native.
const installed = root.split(/[\\/]/).includes('node_modules');
const rebuild = installed ? 'npm rebuild normality' : 'npm run build:native';

// npm install runs this with --if-missing: an install that keeps the addon (npm ci in a clone whose
// native/build survived) does not rebuild it; npm rebuild and npm run build:native always do.
if (process.argv.includes('--if-missing') && existsSync(addon) && process.env.npm_command !== 'rebuild') {
  console.log(`normality: the native addon is built already (${addon}); ${rebuild} builds it again`);
  process.exit(0);
}

function fail(message, solutions) {
  console.error(`normality: cannot build the native addon: ${message}\nPossible solutions:\n${solutions.map((s) => `- ${s}`).join('\n')}`);
  process.exit(1);
}

function torchFlags() {
  const dir = process.env.LIBTORCH;
  if (!dir) {
    if (!existsSync('/usr/include/torch/csrc/api/include/torch/torch.h')) {
      fail('Debian\'s libtorch headers are not installed', [
        `Install them, then ${rebuild}: sudo apt-get install --no-install-recommends libtorch-dev`,
        `Or build against another libtorch: LIBTORCH=/path/to/libtorch ${rebuild}`,
      ]);
    }
    return {
      includes: ['/usr/include', '/usr/include/torch/csrc/api/include'],
      standard: cxxStandard('/usr/include'),
      defines: [],
      libraries: ['-ltorch', '-ltorch_cpu', '-lc10'],
    };
  }
  const lib = join(dir, 'lib');
  if (!existsSync(join(dir, 'include', 'torch')) || !existsSync(lib)) {
    fail(`LIBTORCH=${dir} does not hold include/torch and lib/`, [
      'Point LIBTORCH at a libtorch folder, e.g. LIBTORCH=$(python3 -c "import torch, os; print(os.path.dirname(torch.__file__))")',
    ]);
  }
  const libraries = [`-L${lib}`, `-Wl,-rpath,${lib}`, '-ltorch', '-ltorch_cpu', '-lc10'];
  if (existsSync(join(lib, 'libtorch_cuda.so'))) {
    // Without --no-as-needed the linker drops these (nothing references them directly) and the CUDA kernels never register.
    libraries.push('-Wl,--no-as-needed', '-ltorch_cuda', '-lc10_cuda', '-Wl,--as-needed');
  }
  const defines = [];
  const cmake = join(dir, 'share', 'cmake', 'Torch', 'TorchConfig.cmake');
  const abi = existsSync(cmake) && /_GLIBCXX_USE_CXX11_ABI=(\d)/.exec(readFileSync(cmake, 'utf8'));
  if (abi) defines.push(`_GLIBCXX_USE_CXX11_ABI=${abi[1]}`);
  const include = join(dir, 'include');
  return { includes: [include, join(include, 'torch', 'csrc', 'api', 'include')], standard: cxxStandard(include), defines, libraries };
}

// libtorch up to 2.9 builds as C++17; later releases refuse anything before C++20 (ATen.h says so).
function cxxStandard(include) {
  const aten = join(include, 'ATen', 'ATen.h');
  return existsSync(aten) && readFileSync(aten, 'utf8').includes('C++20') ? 'c++20' : 'c++17';
}

const flags = torchFlags();
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const args = [gyp, 'rebuild', `--directory=${join(root, 'native')}`, `-j`, 'max'];
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr');
// gyp splits these variables on spaces when binding.gyp expands them with <@(...).
args.push(`--torch_include_dirs=${flags.includes.join(' ')}`);
args.push(`--torch_defines=${flags.defines.join(' ')}`);
args.push(`--torch_libraries=${flags.libraries.join(' ')}`);
args.push(`--torch_cxx_std=${flags.standard}`);
console.log(`normality: building the native addon against ${process.env.LIBTORCH ?? "Debian's libtorch-dev"}`);
const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
if (result.status !== 0) {
  fail('node-gyp failed (see its output above)', [
    `Install a C++ toolchain and Python, then ${rebuild}: sudo apt-get install g++ make python3`,
    `Install libtorch, then ${rebuild}: sudo apt-get install --no-install-recommends libtorch-dev`,
  ]);
}
