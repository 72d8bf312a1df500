// Only the first resolve or reject counts.
const p = new Promise((resolve, reject) => {
  resolve("first");
  resolve("second");
  reject(new Error("ignored"));
});
p.then((v) => console.log(v));
