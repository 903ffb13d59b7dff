// fs.promises with await: each await resumes in a microtask after its fs callback (poll
// phase); a nextTick queued there runs after that microtask queue is empty.
const fs = require('fs');
const os = require('os');
const path = require('path');
const file = path.join(os.tmpdir(), `eventloops-94-${process.pid}.txt`);
async function main() {
  await fs.promises.writeFile(file, 'abc');
  console.log('written');
  process.nextTick(() => console.log('tick after written'));
  Promise.resolve().then(() => console.log('promise after written'));
  const text = await fs.promises.readFile(file, 'utf8');
  console.log('read', text);
  const stats = await fs.promises.stat(file);
  console.log('size', stats.size);
  await fs.promises.unlink(file);
  try {
    await fs.promises.stat(file);
  } catch (err) {
    console.log('stat after unlink:', err.code);
  }
  return 'done';
}
main().then((v) => console.log(v));
console.log('main returned');
