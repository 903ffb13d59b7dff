// process.exit(code) overrides process.exitCode; with no argument it uses process.exitCode.
process.exitCode = 9;
process.on('exit', (code) => console.log(`exit ${code}, exitCode ${process.exitCode}`));
setImmediate(() => process.exit(2));
