// process.exit() inside a promise job: no catch() or finally() can stop it, and no other job
// runs after it.
process.on('exit', (code) => console.log(`exit listener, code ${code}`));
Promise.resolve()
  .then(() => {
    console.log('job 1');
    try {
      process.exit(3);
    } catch (e) {
      console.log('caught (never)');
    } finally {
      console.log('finally (never)');
    }
  })
  .catch(() => console.log('catch (never)'));
Promise.resolve().then(() => console.log('job 2 (never)'));
