// require('os'): tmpdir, EOL and a few facts about the machine.
'use strict';

const { notSupported } = require('errors');

function tmpdir() {
  const env = process.env;
  let path = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

module.exports = {
  EOL: '\n',
  tmpdir,
  platform: () => process.platform,
  arch: () => process.arch,
  type: () => binding.osType,
  hostname: () => binding.hostname(),
  homedir: () => process.env.HOME ?? '/',
  endianness: () => 'LE',
  cpus: () => { throw notSupported('os.cpus()'); },
  availableParallelism: () => binding.parallelism(),
};
