// A then with no function passes the value on; a catch with none passes the rejection on.
Promise.resolve("kept")
  .then(null)
  .then(undefined, undefined)
  .then((v) => console.log("value", v));
Promise.reject("refused")
  .then((v) => console.log("never", v))
  .catch((e) => console.log("rejection", e));
