// Resolving a promise with a thenable (another promise included) takes two extra microtasks:
// one to call its then(), one for that then() to call back.
const p = Promise.resolve('inner');
new Promise((resolve) => resolve(p)).then((v) => console.log('adopted', v));
Promise.resolve('direct').then((v) => console.log(v));
Promise.resolve()
  .then(() => console.log('job 1'))
  .then(() => console.log('job 2'))
  .then(() => console.log('job 3'));
const thenable = { then(onFulfilled) { console.log('thenable.then called'); onFulfilled('from thenable'); } };
Promise.resolve(thenable).then((v) => console.log(v));
