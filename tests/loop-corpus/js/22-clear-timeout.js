// A cleared timer never fires; clearing from another timer works too.
const never = setTimeout(() => console.log("never"), 20);
const later = setTimeout(() => console.log("later"), 40);
setTimeout(() => {
  console.log("clearing");
  clearTimeout(later);
}, 30);
clearTimeout(never);
