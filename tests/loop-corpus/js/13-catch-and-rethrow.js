// A rejection skips then callbacks until a catch; a throw inside then rejects the next promise.
Promise.resolve(1)
  .then((v) => {
    console.log("got", v);
    throw new Error("bad " + v);
  })
  .then(() => console.log("skipped"))
  .catch((e) => {
    console.log("caught " + e.message);
    return "recovered";
  })
  .then((v) => console.log(v));
