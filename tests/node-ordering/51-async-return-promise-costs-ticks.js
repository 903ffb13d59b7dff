// Returning a promise from an async function costs extra microtasks: the result has to adopt
// the returned promise's state through a then-job. Returning a plain value does not.
async function plain() { return 'plain'; }
async function wrapped() { return Promise.resolve('wrapped'); }
wrapped().then((v) => console.log(v));
plain().then((v) => console.log(v));
Promise.resolve()
  .then(() => console.log('step 1'))
  .then(() => console.log('step 2'))
  .then(() => console.log('step 3'))
  .then(() => console.log('step 4'));
