# "Coroutines need no locks": true between awaits, false across one.
import asyncio

balance = 0


async def deposit_between_awaits(name, n):
    global balance
    for _ in range(2):
        balance = balance + n  # no await from read to write: no other coroutine can run here
        print(name, "deposits", n, "->", balance)
        await asyncio.sleep(0)


async def deposit_across_await(name, n):
    global balance
    for _ in range(2):
        seen = balance
        print(name, "reads", seen)
        await asyncio.sleep(0)  # the other coroutine runs here and deposits too
        balance = seen + n
        print(name, "writes", balance)


# asyncio.Lock in a few lines (the lab's Python has no classes and no `async with`):
# whoever finds it held waits on a future; release() hands the lock to the first waiter.
# CPython 3.11's asyncio.Lock with `async with` prints the same order below.
held = False
waiting = []


async def acquire():
    global held
    if held:
        waiter = asyncio.get_running_loop().create_future()
        waiting.append(waiter)
        await waiter  # woken by release(), which handed the lock over
    held = True


def release():
    global held
    if waiting:
        waiting.pop(0).set_result(None)
    else:
        held = False


async def deposit_with_lock(name, n):
    global balance
    for _ in range(2):
        await acquire()
        try:
            seen = balance
            await asyncio.sleep(0)  # the other coroutine runs, finds the lock held and waits
            balance = seen + n
            print(name, "writes", balance, "holding the lock")
        finally:
            release()


async def race(label, deposit):
    global balance
    balance = 0
    print("--", label)
    await asyncio.gather(deposit("a", 10), deposit("b", 10))
    print("balance", balance, "of 40")


async def main():
    await race("no await between read and write", deposit_between_awaits)
    await race("an await between read and write", deposit_across_await)
    await race("a lock held across the await", deposit_with_lock)


asyncio.run(main())
