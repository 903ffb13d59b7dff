// Promise.race settles with the first input to settle; allSettled waits for all, rejected or
// not. Timers of different delays decide who is first.
const slow = new Promise((resolve) => setTimeout(() => resolve('slow'), 20));
const fast = new Promise((resolve) => setTimeout(() => resolve('fast'), 5));
const broken = new Promise((_, reject) => setTimeout(() => reject(new Error('broken')), 10));
Promise.race([slow, fast, broken]).then((v) => console.log('race:', v));
Promise.allSettled([slow, fast, broken]).then((results) => {
  for (const r of results) {
    console.log('settled:', r.status, r.status === 'fulfilled' ? r.value : r.reason.message);
  }
});
Promise.any([broken, slow]).then((v) => console.log('any:', v));
broken.catch(() => console.log('broken handled'));
