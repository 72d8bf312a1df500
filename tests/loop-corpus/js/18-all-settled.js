// allSettled waits for all and reports each outcome.
Promise.allSettled([Promise.resolve(1), Promise.reject("nope"), 3]).then((results) => {
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    console.log(r.status, r.status === "fulfilled" ? r.value : r.reason);
  }
});
