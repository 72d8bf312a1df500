// Timers fire by due time; equal due times in the order they were set.
setTimeout(() => console.log("300"), 300);
setTimeout(() => console.log("100 first"), 100);
setTimeout(() => console.log("200"), 200);
setTimeout(() => console.log("100 second"), 100);
