// With no 'unhandledRejection' listener, an 'uncaughtException' listener gets the reason with
// origin 'unhandledRejection'; a reason that is not an Error is wrapped in one.
process.on('uncaughtException', (err, origin) => {
  console.log(`${origin}: ${err instanceof Error} ${err.code || err.message}`);
});
Promise.reject(new Error('an error'));
Promise.reject(42);
setImmediate(() => console.log('the loop goes on'));
process.on('exit', (code) => console.log(`exit ${code}`));
